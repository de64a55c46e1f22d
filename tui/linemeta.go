package tui

import (
	"time"

	"github.com/ovrseer/ovrseer/engine"
)

// lineMeta is what the log shows of a line besides its text: when it
// came (Unix milliseconds) and whether on stderr, packed in 8 bytes.
type lineMeta int64

func metaOf(t time.Time, stderr bool) lineMeta {
	m := lineMeta(t.UnixMilli()) << 1
	if stderr {
		m |= 1
	}
	return m
}

// eventMeta is the meta of ev's line.
func eventMeta(ev *engine.Event) lineMeta { return metaOf(ev.Time, ev.Stream == "stderr") }

func (m lineMeta) stderr() bool { return m&1 != 0 }

// time returns when the line came; zero when not known.
func (m lineMeta) time() time.Time {
	if m>>1 == 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(m >> 1))
}
