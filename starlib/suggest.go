package starlib

import "github.com/ovrseer/ovrseer/internal/suggest"

// didYouMean renders the ` (did you mean "x"?)` suffix, or "".
func didYouMean(s string, candidates []string) string { return suggest.DidYouMean(s, candidates) }
