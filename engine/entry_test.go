package engine

import (
	"reflect"
	"testing"
	"time"
)

// TestLogEntryKeepsEveryField: a process:log event is kept inline only when
// it has no field an inline entry would lose, so every field of Event (one
// added later too) is either a log field or checked by onlyLogFields; and
// an inline entry gives back the event it was made from.
func TestLogEntryKeepsEveryField(t *testing.T) {
	logFields := map[string]bool{"Type": true, "Time": true, "Process": true, "Group": true, "Stream": true, "Line": true}
	base := Event{Type: ProcessLog, Time: time.Unix(1, 0), Process: "p", Group: Main, Stream: "stderr", Line: "l"}
	var en entry
	if !logEntry(&en, &base) {
		t.Fatal("a plain log event is not kept inline")
	}
	var back Event
	en.event(&back)
	if !reflect.DeepEqual(back, base) {
		t.Errorf("inline round trip: %+v, want %+v", back, base)
	}
	typ := reflect.TypeFor[Event]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		if logFields[f.Name] {
			continue
		}
		ev := base
		v := reflect.ValueOf(&ev).Elem().Field(i)
		switch v.Kind() {
		case reflect.String:
			v.SetString("x")
		case reflect.Int, reflect.Int64:
			v.SetInt(1)
		case reflect.Bool:
			v.SetBool(true)
		case reflect.Pointer:
			v.Set(reflect.New(f.Type.Elem()))
		case reflect.Slice:
			v.Set(reflect.MakeSlice(f.Type, 1, 1))
		default:
			t.Fatalf("field %s: kind %s not handled by this test", f.Name, v.Kind())
		}
		if logEntry(&en, &ev) {
			t.Errorf("a log event with %s set is kept inline and loses it (onlyLogFields)", f.Name)
		}
	}
}
