package boltstore

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/homeward-ngo/homeward/bot"
	bolt "go.etcd.io/bbolt"
)

// sweepChunk bounds how many records one sweep transaction rewrites, so
// that a sweep never holds the writer lock long enough to delay an update.
const sweepChunk = 500

// SweepSessions forgets the answers of sessions idle since before: the
// destination, nationality and offer flags a person gave are kept only
// while they use them. What the bot needs to speak to the chat again — its
// language — stays, since a guardian's alerts are rendered in it. It
// returns how many sessions it cleared.
func (s *DB) SweepSessions(ctx context.Context, before time.Time) (int, error) {
	var n int
	var from []byte
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		var next []byte
		err := s.db.Update(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketSessions)
			c := b.Cursor()
			k, v := c.First()
			if from != nil {
				k, v = c.Seek(from)
			}
			type rewrite struct{ k, v []byte }
			var out []rewrite
			seen := 0
			for ; k != nil && seen < sweepChunk; k, v = c.Next() {
				seen++
				var ss bot.Session
				if err := json.Unmarshal(v, &ss); err != nil {
					return fmt.Errorf("sweeping sessions: %w", err)
				}
				if !ss.Updated.Before(before) || (ss.Flow == "" && len(ss.Answers) == 0 && len(ss.Flags) == 0 && ss.Pending == "") {
					continue
				}
				kept := bot.Session{Chat: ss.Chat, Lang: ss.Lang, Hint: ss.Hint, Seq: ss.Seq, Updated: ss.Updated}
				nv, err := json.Marshal(&kept)
				if err != nil {
					return err
				}
				out = append(out, rewrite{bytes.Clone(k), nv})
			}
			if k != nil {
				next = bytes.Clone(k)
			}
			// Collect, then write: no puts under the live cursor.
			for _, r := range out {
				if err := b.Put(r.k, r.v); err != nil {
					return err
				}
			}
			n += len(out)
			return nil
		})
		if err != nil || next == nil {
			return n, err
		}
		from = next
	}
}

// DropStale deletes the queued messages of a channel that were queued before
// a time: WeChat keeps an answer for the person's next message, but not for
// ever for someone who never writes again.
func (s *DB) DropStale(ctx context.Context, channel string, before time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var n int
	err := s.db.Update(func(btx *bolt.Tx) error {
		t := &Tx{tx: btx}
		msgs, err := t.Outbox(channel, 0)
		if err != nil {
			return err
		}
		for _, m := range msgs {
			if m.Queued.Before(before) {
				if err := t.Dequeue(channel, m.Seq); err != nil {
					return err
				}
				n++
			}
		}
		return nil
	})
	return n, err
}
