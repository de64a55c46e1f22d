package engine

// Cycles returns each dependency cycle among names once, as the names along
// it with the first repeated at the end ("a", "b", "a"), found in the order
// of names and of each one's deps. Deps that are not in names, and a name
// depending on itself, are left to the caller to report. It is the one
// cycle check: the Ovrfile loader and Plan validation both use it.
func Cycles(names []string, deps func(name string) []string) [][]string {
	const (
		unseen = iota
		onPath
		finished
	)
	mark := make(map[string]int, len(names))
	for _, n := range names {
		mark[n] = unseen
	}
	var cycles [][]string
	var path []string
	var visit func(name string)
	visit = func(name string) {
		mark[name] = onPath
		path = append(path, name)
		for _, d := range deps(name) {
			m, known := mark[d]
			if !known || d == name {
				continue
			}
			switch m {
			case onPath:
				start := len(path) - 1
				for path[start] != d {
					start--
				}
				cycles = append(cycles, append(append([]string{}, path[start:]...), d))
			case unseen:
				visit(d)
			}
		}
		path = path[:len(path)-1]
		mark[name] = finished
	}
	for _, n := range names {
		if mark[n] == unseen {
			visit(n)
		}
	}
	return cycles
}
