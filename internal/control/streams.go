package control

import (
	"bufio"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/logger"
)

// historyBatch is how many history records one pass writes.
const historyBatch = 512

// stream writes JSON lines to a client, buffered, each flush bounded by
// writeTimeout: a client that stops reading is dropped, never waited for.
type stream struct {
	rc  *http.ResponseController
	w   *bufio.Writer
	enc *json.Encoder
	buf []byte
	err error
}

func newStream(w http.ResponseWriter) *stream {
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 32<<10)
	return &stream{rc: http.NewResponseController(w), w: bw, enc: json.NewEncoder(bw)}
}

func (st *stream) value(v any) {
	if st.err == nil {
		st.err = st.enc.Encode(v)
	}
}

func (st *stream) raw(line []byte) {
	if st.err == nil {
		_, st.err = st.w.Write(line)
	}
}

// flush sends what is buffered; it reports whether the client is still
// there.
func (st *stream) flush() bool {
	if st.err != nil {
		return false
	}
	st.rc.SetWriteDeadline(time.Now().Add(writeTimeout))
	if st.err = st.w.Flush(); st.err == nil {
		st.err = st.rc.Flush()
	}
	return st.err == nil
}

// logs is GET /v1/processes/NAME/logs?n=100&follow=1: the last n lines of
// the ring, then (follow) the new ones as they come, as a view.
func (s *Server) logs(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if _, ok := s.find(w, name); !ok {
		return
	}
	n, err := intParam(r, "n", 100)
	follow, err2 := boolParam(r, "follow")
	if err != nil || err2 != nil {
		writeError(w, http.StatusBadRequest, firstErr(err, err2).Error())
		return
	}
	var sub *engine.Subscription
	var lines []logger.Line
	if follow { // the ring up to where the subscription starts: no line missed or twice
		only := func(p string) int {
			if p == name {
				return n
			}
			return 0
		}
		var seeded map[string][]logger.Line
		sub, seeded = s.e.SubscribeSeeded(engine.SubscribeOptions{LogBuffer: followLogBuffer}, only)
		defer sub.Close()
		lines = seeded[name]
	} else if lines, err = s.e.Logs(name, n); err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	st := newStream(w)
	for _, l := range lines {
		st.value(LogLine{Time: l.Time.UTC(), Stream: l.Stream.String(), Line: l.Text})
	}
	if !st.flush() || !follow {
		return
	}
	write := func(ev *engine.Event) {
		switch {
		case ev.Type == engine.EventsDropped:
			st.value(LogLine{Dropped: ev.Count})
		case ev.Type == engine.ProcessLog && ev.Process == name:
			st.value(LogLine{Time: ev.Time.UTC(), Stream: ev.Stream, Line: ev.Line})
		}
	}
	for {
		select {
		case <-sub.Ready():
			sub.Each(write)
			if !st.flush() {
				return
			}
		case <-sub.Done():
			sub.Each(write)
			st.flush()
			return
		case <-r.Context().Done():
			return
		}
	}
}

// events is GET /v1/events?since=SEQ&follow=1: the history after SEQ, then
// (follow) new events as they come. With logs=1 the live process:log
// events of every process are mixed in, as a view (what `attach` reads).
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	since, err := intParam(r, "since", 0)
	follow, err2 := boolParam(r, "follow")
	logs, err3 := boolParam(r, "logs")
	seed, err4 := boolParam(r, "seed")
	if err := firstErr(err, err2, err3, err4); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	var sub *engine.Subscription
	var seeded map[string][]logger.Line
	if follow && logs {
		opts := engine.SubscribeOptions{LogBuffer: followLogBuffer}
		if seed {
			sub, seeded = s.e.SubscribeSeeded(opts, func(string) int { return math.MaxInt })
		} else {
			sub = s.e.Subscribe(opts)
		}
		defer sub.Close()
	}
	st := newStream(w)
	if seed && follow && logs {
		s.writeSeed(st, seeded)
	}
	seq := uint64(since)
	var recs []record
	for {
		var lost uint64
		var changed <-chan struct{}
		var over bool
		recs, lost, changed, over = s.hist.since(seq, historyBatch, recs[:0])
		if lost > 0 {
			st.raw(engine.Event{Type: engine.EventsDropped, Count: int(lost)}.AppendJSON(st.buf[:0]))
			st.raw([]byte{'\n'})
		}
		for i := range recs {
			st.buf = appendRecord(st.buf[:0], &recs[i])
			st.raw(st.buf)
			seq = recs[i].seq
		}
		if !st.flush() || over || (!follow && len(recs) < historyBatch) {
			return
		}
		if len(recs) == historyBatch {
			continue // more is waiting
		}
		if !s.waitEvents(r, st, sub, changed) {
			return
		}
	}
}

// writeSeed writes the rings of a seeded subscription (seed=1): each
// process's lines as process:log events, in plan order, then
// {"type":"logs:seeded"}; the live lines that follow start exactly after
// them (engine.Engine.SubscribeSeeded).
func (s *Server) writeSeed(st *stream, seeded map[string][]logger.Line) {
	n := 0
	for _, p := range s.e.Snapshot() {
		for _, l := range seeded[p.Name] {
			if n++; n%historyBatch == 0 && !st.flush() { // each flush has its own deadline
				return
			}
			ev := engine.Event{Type: engine.ProcessLog, Time: l.Time, Process: p.Name, Group: p.Group,
				Stream: l.Stream.String(), Line: l.Text}
			st.buf = append(ev.AppendJSON(st.buf[:0]), '\n')
			st.raw(st.buf)
		}
	}
	st.raw([]byte(`{"type":"` + SeededType + `"}` + "\n"))
}

// SeededType ends the seed of GET /v1/events?follow=1&logs=1&seed=1.
const SeededType = "logs:seeded"

// waitEvents waits for the history to change, passing live log events of
// sub (nil: none) through meanwhile; false means the client is gone.
func (s *Server) waitEvents(r *http.Request, st *stream, sub *engine.Subscription, changed <-chan struct{}) bool {
	var ready <-chan struct{}
	if sub != nil {
		ready = sub.Ready()
	}
	for {
		select {
		case <-changed:
			return true
		case <-ready:
			sub.Each(func(ev *engine.Event) {
				if ev.Type == engine.EventsDropped || ev.Type == engine.ProcessLog && !keep(ev) {
					st.buf = append(ev.AppendJSON(st.buf[:0]), '\n')
					st.raw(st.buf)
				}
			})
			if !st.flush() {
				return false
			}
		case <-r.Context().Done():
			return false
		}
	}
}

// appendRecord writes one history record: its event as --events writes
// it, with "seq" first.
func appendRecord(dst []byte, rec *record) []byte {
	dst = append(dst, `{"seq":`...)
	dst = strconv.AppendUint(dst, rec.seq, 10)
	dst = append(dst, ',')
	n := len(dst)
	dst = rec.ev.AppendJSON(dst)
	dst = append(dst[:n], dst[n+1:]...) // drop the event's own '{'
	return append(dst, '\n')
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
