package control

import (
	"reflect"
	"testing"

	"github.com/ovrseer/ovrseer/engine"
)

// lifecycle:reload reaches an attached client with its names (the UI
// says what a reload changed).
func TestDecodeReload(t *testing.T) {
	d := &engine.ReloadDiff{Added: []string{"new"}, Removed: []string{"old"}, Changed: []string{"api", "web"}}
	ev := engine.Event{Type: engine.LifecycleReload, Reload: d}
	var back engine.Event
	if _, err := DecodeEvent(ev.AppendJSON(nil), &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Reload, d) {
		t.Errorf("decoded %+v, want %+v", back.Reload, d)
	}
}
