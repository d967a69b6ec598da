package boltstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/homeward-ngo/homeward/bot/checkin"
)

// A trip's ladder state — what the scheduler reads and changes on every
// wake-up — is kept apart from the rest of the trip, in a small binary
// record of bucket "ladder" (trip id → record), so that a scheduler tick
// decodes and writes about 300 bytes per trip instead of the whole trip's
// JSON. The record is authoritative for its fields: Trip reads the JSON and
// lays the record over it, PutTrip writes both, PutTripLadder only the
// record (the JSON's copy of those fields is then stale, and never read on
// its own). A trip written before the record existed has none: it is read
// from its JSON alone until it is next written.
//
// The record's fields are those Advance, NextWake and WakeKind use, plus
// what a reminder says (the traveler's chat and name, the destination for
// its time zone) and the trip's log, which Advance appends to:
//
//	version 1 · ID · Traveler · Name · Country · State · Created · End · Ended ·
//	Due · Reminded · Wake · Policy (9 numbers) · Alert (0, or 1 and its 8 fields) ·
//	len(Log) · Log entries (At · What)
//
// Strings are uvarint-length-prefixed bytes; times are uvarint unix seconds
// plus one (0: the zero time; every time a trip keeps is a whole second
// after 1970); durations and counts are varints.

const ladderVersion = 1

var errLadder = errors.New("corrupt ladder record")

// ladderFields copies the fields the record keeps from src to dst.
func ladderFields(dst, src *checkin.Trip) {
	dst.State, dst.Created, dst.End, dst.Ended = src.State, src.Created, src.End, src.Ended
	dst.Due, dst.Reminded, dst.Wake, dst.Policy = src.Due, src.Reminded, src.Wake, src.Policy
	dst.Alert, dst.Log = src.Alert, src.Log
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, 0)
	}
	return binary.AppendUvarint(b, uint64(t.Unix())+1)
}

// encodeLadder writes the record of a trip.
func encodeLadder(tr *checkin.Trip) []byte {
	b := make([]byte, 0, 160+24*len(tr.Log))
	b = append(b, ladderVersion)
	for _, s := range []string{tr.ID, tr.Traveler, tr.Name, tr.Country, string(tr.State)} {
		b = appendString(b, s)
	}
	for _, t := range []time.Time{tr.Created, tr.End, tr.Ended, tr.Due, tr.Reminded, tr.Wake} {
		b = appendTime(b, t)
	}
	p := tr.Policy
	for _, v := range []int64{int64(p.Grace), int64(p.UrgentAfter), int64(p.Repeat), int64(p.MaxRepeats),
		int64(p.Extension), int64(p.MaxExtensions), int64(p.Retention), int64(p.SetupTTL), int64(p.Early)} {
		b = binary.AppendVarint(b, v)
	}
	if a := tr.Alert; a == nil {
		b = append(b, 0)
	} else {
		b = append(b, 1)
		b = appendString(b, string(a.Reason))
		b = appendTime(b, a.Since)
		b = appendTime(b, a.Sent)
		b = binary.AppendVarint(b, int64(a.Stage))
		b = binary.AppendVarint(b, int64(a.Repeats))
		if a.Acked {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
		b = appendString(b, a.AckBy)
		b = appendTime(b, a.AckAt)
	}
	b = binary.AppendUvarint(b, uint64(len(tr.Log)))
	for _, e := range tr.Log {
		b = appendTime(b, e.At)
		b = appendString(b, e.What)
	}
	return b
}

// ladderReader reads a record; the first error sticks.
type ladderReader struct {
	b   []byte
	err error
}

func (r *ladderReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errLadder
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *ladderReader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errLadder
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *ladderReader) string() string {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errLadder
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *ladderReader) time() time.Time {
	v := r.uvarint()
	if v == 0 || r.err != nil {
		return time.Time{}
	}
	return time.Unix(int64(v-1), 0).UTC()
}

func (r *ladderReader) byte() byte {
	if r.err != nil || len(r.b) == 0 {
		r.err = errLadder
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// decodeLadder reads a record into a trip that has only the record's
// fields.
func decodeLadder(v []byte) (*checkin.Trip, error) {
	r := &ladderReader{b: v}
	if r.byte() != ladderVersion {
		return nil, fmt.Errorf("reading trip state: %w (version)", errLadder)
	}
	tr := &checkin.Trip{}
	tr.ID, tr.Traveler, tr.Name, tr.Country, tr.State = r.string(), r.string(), r.string(), r.string(), checkin.State(r.string())
	tr.Created, tr.End, tr.Ended, tr.Due, tr.Reminded, tr.Wake = r.time(), r.time(), r.time(), r.time(), r.time(), r.time()
	p := &tr.Policy
	p.Grace, p.UrgentAfter, p.Repeat = time.Duration(r.varint()), time.Duration(r.varint()), time.Duration(r.varint())
	p.MaxRepeats, p.Extension, p.MaxExtensions = int(r.varint()), time.Duration(r.varint()), int(r.varint())
	p.Retention, p.SetupTTL, p.Early = time.Duration(r.varint()), time.Duration(r.varint()), time.Duration(r.varint())
	if r.byte() == 1 {
		a := &checkin.Alert{}
		a.Reason, a.Since, a.Sent = checkin.Reason(r.string()), r.time(), r.time()
		a.Stage, a.Repeats = int(r.varint()), int(r.varint())
		a.Acked = r.byte() == 1
		a.AckBy, a.AckAt = r.string(), r.time()
		tr.Alert = a
	}
	n := r.uvarint()
	if r.err == nil && n > uint64(len(r.b)) {
		r.err = errLadder
	}
	if r.err == nil && n > 0 {
		tr.Log = make([]checkin.Event, 0, n)
		for range n {
			tr.Log = append(tr.Log, checkin.Event{At: r.time(), What: r.string()})
		}
	}
	if r.err != nil || len(r.b) != 0 {
		return nil, fmt.Errorf("reading trip state: %w", errLadder)
	}
	return tr, nil
}

// TripLadder returns a trip with only its ladder state and what a reminder
// says (see above): what the scheduler needs for most wake-ups. A trip
// without a record is read whole.
func (t *Tx) TripLadder(id string) (*checkin.Trip, error) {
	if v := t.tx.Bucket(bucketLadder).Get([]byte(id)); v != nil {
		return decodeLadder(v)
	}
	return t.Trip(id)
}

// PutTripLadder writes only the ladder state of a trip read with
// TripLadder (or Trip) in the same transaction, and moves its due entry to
// its next wake-up.
func (t *Tx) PutTripLadder(tr *checkin.Trip) error {
	if err := t.moveDue(tr); err != nil {
		return err
	}
	return t.tx.Bucket(bucketLadder).Put([]byte(tr.ID), encodeLadder(tr))
}
