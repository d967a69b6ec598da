package boltstore

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/checkin"
)

// Travel check-ins keep five buckets:
//
//	trips    trip id                → JSON checkin.Trip
//	ladder   trip id                → the trip's ladder state, binary (ladder.go)
//	due      be64(unix) ‖ trip id   → what is due ("due", "grace", "urgent"…)
//	invites  sha256(token)          → JSON checkin.Invite
//	chats    chat ‖ 0x00 ‖ trip id  → role
//
// A trip has at most one due entry, at its NextWake rounded up to the
// second; the trip records it (Wake) so that PutTrip can move it.

// dueKey is the due-index key of a trip waking at at: the second at or after
// at, so that an entry is never popped before its time.
func dueKey(at time.Time, trip string) []byte {
	sec := at.Unix()
	if at.Nanosecond() > 0 {
		sec++
	}
	return append(put64(uint64(sec)), trip...)
}

func chatKey(chat, trip string) []byte {
	return append(append([]byte(chat), 0), trip...)
}

// Trip returns a trip: its JSON with its ladder record laid over it
// (ladder.go).
func (t *Tx) Trip(id string) (*checkin.Trip, error) {
	v := t.tx.Bucket(bucketTrips).Get([]byte(id))
	if v == nil {
		return nil, bot.ErrNotFound
	}
	var tr checkin.Trip
	if err := json.Unmarshal(v, &tr); err != nil {
		return nil, fmt.Errorf("reading trip: %w", err)
	}
	if lv := t.tx.Bucket(bucketLadder).Get([]byte(id)); lv != nil {
		l, err := decodeLadder(lv)
		if err != nil {
			return nil, err
		}
		ladderFields(&tr, l)
	}
	return &tr, nil
}

// PutTrip writes a trip — its JSON and its ladder record — and moves its
// due entry to its next wake-up.
func (t *Tx) PutTrip(tr *checkin.Trip) error {
	if err := t.moveDue(tr); err != nil {
		return err
	}
	v, err := json.Marshal(tr)
	if err != nil {
		return fmt.Errorf("writing trip: %w", err)
	}
	if err := t.tx.Bucket(bucketLadder).Put([]byte(tr.ID), encodeLadder(tr)); err != nil {
		return fmt.Errorf("writing trip state: %w", err)
	}
	return t.tx.Bucket(bucketTrips).Put([]byte(tr.ID), v)
}

// moveDue moves a trip's due entry from Wake to its next wake-up, and
// records that in Wake.
func (t *Tx) moveDue(tr *checkin.Trip) error {
	due := t.tx.Bucket(bucketDue)
	next := tr.NextWake()
	if !tr.Wake.IsZero() && !tr.Wake.Equal(next) {
		if err := due.Delete(dueKey(tr.Wake, tr.ID)); err != nil {
			return fmt.Errorf("moving due entry: %w", err)
		}
	}
	tr.Wake = next
	if !tr.Wake.IsZero() {
		if err := due.Put(dueKey(tr.Wake, tr.ID), []byte(tr.WakeKind())); err != nil {
			return fmt.Errorf("writing due entry: %w", err)
		}
	}
	return nil
}

// DeleteTrip deletes a trip, its due entry and its open invites. The chat
// links are the caller's: it knows the chats.
func (t *Tx) DeleteTrip(id string) error {
	tr, err := t.Trip(id)
	if err == bot.ErrNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if !tr.Wake.IsZero() {
		if err := t.tx.Bucket(bucketDue).Delete(dueKey(tr.Wake, id)); err != nil {
			return fmt.Errorf("deleting trip: %w", err)
		}
	}
	for _, h := range tr.Invites {
		k, err := hex.DecodeString(h)
		if err != nil {
			continue
		}
		if err := t.tx.Bucket(bucketInvites).Delete(k); err != nil {
			return fmt.Errorf("deleting trip: %w", err)
		}
	}
	if err := t.tx.Bucket(bucketLadder).Delete([]byte(id)); err != nil {
		return fmt.Errorf("deleting trip: %w", err)
	}
	return t.tx.Bucket(bucketTrips).Delete([]byte(id))
}

// PopDue removes and returns the due entries at or before now, earliest
// first. Keys are collected first and deleted after: deleting under a live
// cursor can skip the next key (bbolt #146).
func (t *Tx) PopDue(now time.Time, limit int) ([]checkin.Due, error) {
	b := t.tx.Bucket(bucketDue)
	limitKey := put64(uint64(now.Unix()) + 1) // every key of second now.Unix() sorts below
	var out []checkin.Due
	var keys [][]byte
	c := b.Cursor()
	for k, v := c.First(); k != nil && bytes.Compare(k, limitKey) < 0 && (limit <= 0 || len(keys) < limit); k, v = c.Next() {
		keys = append(keys, bytes.Clone(k))
		out = append(out, checkin.Due{At: time.Unix(int64(be64(k[:8])), 0).UTC(), Trip: string(k[8:]), Kind: string(v)})
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return nil, fmt.Errorf("popping due entries: %w", err)
		}
	}
	return out, nil
}

// NextDue returns the time of the earliest due entry, or zero.
func (t *Tx) NextDue() (time.Time, error) {
	k, _ := t.tx.Bucket(bucketDue).Cursor().First()
	if len(k) < 8 {
		return time.Time{}, nil
	}
	return time.Unix(int64(be64(k[:8])), 0).UTC(), nil
}

// DueCount returns the number of entries in the due index. It reads the
// bucket's pages, not its keys: for a metric, not for every tick.
func (t *Tx) DueCount() (int, error) {
	return t.tx.Bucket(bucketDue).Stats().KeyN, nil
}

// PutInvite stores an invite under the hash of its token.
func (t *Tx) PutInvite(hash []byte, inv *checkin.Invite) error {
	v, err := json.Marshal(inv)
	if err != nil {
		return fmt.Errorf("writing invite: %w", err)
	}
	return t.tx.Bucket(bucketInvites).Put(hash, v)
}

// TakeInvite returns and deletes an invite.
func (t *Tx) TakeInvite(hash []byte) (*checkin.Invite, error) {
	b := t.tx.Bucket(bucketInvites)
	v := b.Get(hash)
	if v == nil {
		return nil, bot.ErrNotFound
	}
	var inv checkin.Invite
	if err := json.Unmarshal(v, &inv); err != nil {
		return nil, fmt.Errorf("reading invite: %w", err)
	}
	if err := b.Delete(hash); err != nil {
		return nil, fmt.Errorf("using invite: %w", err)
	}
	return &inv, nil
}

// LinkChat records a chat's role in a trip.
func (t *Tx) LinkChat(chat, trip, role string) error {
	return t.tx.Bucket(bucketChats).Put(chatKey(chat, trip), []byte(role))
}

// UnlinkChat removes a chat's link to a trip.
func (t *Tx) UnlinkChat(chat, trip string) error {
	return t.tx.Bucket(bucketChats).Delete(chatKey(chat, trip))
}

// ChatTrips lists the trips a chat has a role in.
func (t *Tx) ChatTrips(chat string) ([]checkin.Link, error) {
	prefix := append([]byte(chat), 0)
	var out []checkin.Link
	c := t.tx.Bucket(bucketChats).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		out = append(out, checkin.Link{Chat: chat, Trip: string(k[len(prefix):]), Role: string(v)})
	}
	return out, nil
}

// DropTripMessages removes every queued message about a trip, in every
// channel.
func (t *Tx) DropTripMessages(trip string) error {
	ob := t.tx.Bucket(bucketOutbox)
	var channels [][]byte
	if err := ob.ForEachBucket(func(k []byte) error { channels = append(channels, bytes.Clone(k)); return nil }); err != nil {
		return err
	}
	for _, ch := range channels {
		b := ob.Bucket(ch)
		var keys [][]byte
		err := b.ForEach(func(k, v []byte) error {
			var m struct{ Trip string }
			if json.Unmarshal(v, &m) == nil && m.Trip == trip {
				keys = append(keys, bytes.Clone(k))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range keys {
			if err := b.Delete(k); err != nil {
				return fmt.Errorf("dropping trip messages: %w", err)
			}
		}
	}
	return nil
}
