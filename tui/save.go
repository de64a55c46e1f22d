package tui

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/ovrseer/ovrseer/internal/ansi"
)

// unsafeName matches what a process name may not bring into a file name.
var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// saveLog writes the selected process's history (the lines the log holds,
// with their times and streams, made safe for a terminal) to
// ovrseer-NAME-TIME.log in the working directory (Options.SaveDir), mode 0600, and shows
// the path.
func (u *ui) saveLog() {
	p := u.selected()
	if p == nil {
		return
	}
	name := fmt.Sprintf("ovrseer-%s-%s.log", unsafeName.ReplaceAllString(p.name, "_"), time.Now().Format("20060102T150405"))
	path, err := filepath.Abs(filepath.Join(u.saveDir, name))
	if err == nil {
		err = writeLog(path, &p.lines)
	}
	if err != nil {
		u.message = "could not save the log: " + shortError(err)
		return
	}
	u.message = fmt.Sprintf("saved %d lines to %s", len(p.lines.lines), path)
}

func writeLog(path string, s *lineStore) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	var buf []byte
	for i := s.first; i < s.end(); i++ {
		m := s.metaAt(i)
		stream := "stdout"
		if m.stderr() {
			stream = "stderr"
		}
		if t := m.time(); !t.IsZero() {
			w.WriteString(t.UTC().Format("2006-01-02T15:04:05.000Z") + " ")
		}
		w.WriteString(stream + " ")
		buf = ansi.AppendSafe(buf[:0], s.at(i))
		w.Write(buf)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
