package boltstore

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/homeward-ngo/homeward/bot"
	bolt "go.etcd.io/bbolt"
)

// Tx is one transaction; it implements bot.Tx.
type Tx struct {
	tx *bolt.Tx
}

var _ bot.Tx = (*Tx)(nil)

// Bolt returns the bbolt transaction, for the parts of the store in other
// files of this package.
func (t *Tx) Bolt() *bolt.Tx { return t.tx }

func be64(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

func put64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

// seenKey hashes an update ID: some platforms' IDs carry the user's id
// (WeChat events are keyed by sender), and the marks outlive /forget.
func seenKey(id string) []byte {
	h := sha256.Sum256([]byte("homeward-seen:" + id))
	return h[:16]
}

// Seen reports whether an update ID was already handled.
func (t *Tx) Seen(id string) (bool, error) {
	return t.tx.Bucket(bucketProcessed).Get(seenKey(id)) != nil, nil
}

// MarkSeen records an update ID as handled at a time; TrimSeen forgets
// marks older than the platforms redeliver.
func (t *Tx) MarkSeen(id string, at time.Time) error {
	k := seenKey(id)
	ts := put64(uint64(at.Unix()))
	if err := t.tx.Bucket(bucketProcessed).Put(k, ts); err != nil {
		return fmt.Errorf("marking update: %w", err)
	}
	return t.tx.Bucket(bucketSeenAt).Put(append(ts, k...), k)
}

// TrimSeen deletes processed-update marks older than before, at most limit
// of them, and returns how many it deleted.
func (t *Tx) TrimSeen(before time.Time, limit int) (int, error) {
	at := t.tx.Bucket(bucketSeenAt)
	limitKey := put64(uint64(before.Unix()))
	// Collect, then delete: deleting under a live cursor can skip keys.
	var keys, hashes [][]byte
	c := at.Cursor()
	for k, v := c.First(); k != nil && bytes.Compare(k[:8], limitKey) < 0 && len(keys) < limit; k, v = c.Next() {
		keys = append(keys, bytes.Clone(k))
		hashes = append(hashes, bytes.Clone(v))
	}
	for i := range keys {
		if err := at.Delete(keys[i]); err != nil {
			return i, err
		}
		if err := t.tx.Bucket(bucketProcessed).Delete(hashes[i]); err != nil {
			return i, err
		}
	}
	return len(keys), nil
}

// Session returns the session of a chat.
func (t *Tx) Session(chat string) (*bot.Session, error) {
	b := t.tx.Bucket(bucketSessions).Get([]byte(chat))
	if b == nil {
		return nil, bot.ErrNotFound
	}
	var s bot.Session
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("reading session: %w", err)
	}
	return &s, nil
}

// PutSession writes a session.
func (t *Tx) PutSession(s *bot.Session) error {
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("writing session: %w", err)
	}
	return t.tx.Bucket(bucketSessions).Put([]byte(s.Chat), b)
}

// DeleteSession deletes a chat's session.
func (t *Tx) DeleteSession(chat string) error {
	return t.tx.Bucket(bucketSessions).Delete([]byte(chat))
}

// outbox returns the outbox bucket of a channel, creating it in a write
// transaction.
func (t *Tx) outbox(channel string) (*bolt.Bucket, error) {
	ob := t.tx.Bucket(bucketOutbox)
	if b := ob.Bucket([]byte(channel)); b != nil || !t.tx.Writable() {
		return b, nil
	}
	return ob.CreateBucket([]byte(channel))
}

// Enqueue appends a message to its channel's outbox.
func (t *Tx) Enqueue(m *bot.Message) error {
	b, err := t.outbox(bot.Channel(m.Chat))
	if err != nil {
		return fmt.Errorf("queueing message: %w", err)
	}
	seq, err := b.NextSequence()
	if err != nil {
		return fmt.Errorf("queueing message: %w", err)
	}
	m.Seq = seq
	v, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("queueing message: %w", err)
	}
	return b.Put(put64(seq), v)
}

// Outbox lists queued messages of a channel, oldest first.
func (t *Tx) Outbox(channel string, limit int) ([]bot.Message, error) {
	b, err := t.outbox(channel)
	if err != nil || b == nil {
		return nil, err
	}
	var out []bot.Message
	c := b.Cursor()
	for k, v := c.First(); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Next() {
		var m bot.Message
		if err := json.Unmarshal(v, &m); err != nil {
			return nil, fmt.Errorf("reading outbox: %w", err)
		}
		out = append(out, m)
	}
	return out, nil
}

// PutMessage rewrites a queued message in place.
func (t *Tx) PutMessage(m *bot.Message) error {
	b, err := t.outbox(bot.Channel(m.Chat))
	if err != nil {
		return err
	}
	if b.Get(put64(m.Seq)) == nil {
		return bot.ErrNotFound
	}
	v, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("writing message: %w", err)
	}
	return b.Put(put64(m.Seq), v)
}

// Dequeue removes a message.
func (t *Tx) Dequeue(channel string, seq uint64) error {
	b, err := t.outbox(channel)
	if err != nil || b == nil {
		return err
	}
	return b.Delete(put64(seq))
}

// DropOutbox removes every queued message to a chat.
func (t *Tx) DropOutbox(chat string) error {
	b, err := t.outbox(bot.Channel(chat))
	if err != nil || b == nil {
		return err
	}
	var keys [][]byte
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var m struct{ Chat string }
		if json.Unmarshal(v, &m) == nil && m.Chat == chat {
			keys = append(keys, bytes.Clone(k))
		}
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// OutboxDepth counts a channel's queued messages and the time of the oldest.
func (t *Tx) OutboxDepth(channel string) (int, time.Time, error) {
	b, err := t.outbox(channel)
	if err != nil || b == nil {
		return 0, time.Time{}, err
	}
	n := b.Stats().KeyN
	var oldest time.Time
	if _, v := b.Cursor().First(); v != nil {
		var m struct{ Queued time.Time }
		if err := json.Unmarshal(v, &m); err == nil {
			oldest = m.Queued
		}
	}
	return n, oldest, nil
}
