package tui

import (
	"fmt"
	"time"
)

// holdOpen keeps the UI open after a failed start, on the drain's
// goroutine once the event stream is over: ovrseer's entry is selected (its
// log holds why the start failed) until a key is pressed, hold passes or
// the UI ends on its own.
func (u *ui) holdOpen(d *drain, hold time.Duration) {
	unhold := make(chan struct{})
	u.app.QueueUpdateDraw(func() {
		u.unhold = unhold
		u.closeOverlay()
		u.selectIndex(0)
		u.log.toBottom()
		u.message = fmt.Sprintf("the start failed (the reason is above) — press any key to close (closes in %s)", hold.Round(time.Second))
	})
	t := time.NewTimer(hold)
	defer t.Stop()
	select {
	case <-unhold:
	case <-t.C:
	case <-d.stop:
	}
}

// released handles a key while holding: the first one closes the UI.
func (u *ui) released() bool {
	if u.unhold == nil {
		return false
	}
	select {
	case <-u.unhold:
	default:
		close(u.unhold)
	}
	return true
}
