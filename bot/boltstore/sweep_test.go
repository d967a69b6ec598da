package boltstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/boltstore/storetest"
)

func TestSweepSessionsKeepsOnlyTheLanguage(t *testing.T) {
	db := storetest.Open(t)
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	err := db.Update(ctx, func(tx bot.Tx) error {
		// 1,200 idle sessions, more than one sweep chunk, and one recent.
		for i := 0; i < 1200; i++ {
			s := &bot.Session{Chat: fmt.Sprintf("tg:%d", i), Lang: "th", Flow: "offer", Step: "fee",
				Answers: map[string]string{"nationality": "MM"}, Flags: map[string]string{"fee": "y"}, Updated: now.AddDate(0, -2, 0)}
			if err := tx.PutSession(s); err != nil {
				return err
			}
		}
		return tx.PutSession(&bot.Session{Chat: "tg:recent", Lang: "vi", Answers: map[string]string{"nationality": "VN"}, Updated: now})
	})
	if err != nil {
		t.Fatal(err)
	}
	n, err := db.SweepSessions(ctx, now.AddDate(0, 0, -30))
	if err != nil || n != 1200 {
		t.Fatalf("swept %d (err %v), want 1200", n, err)
	}
	_ = db.View(ctx, func(tx bot.Tx) error {
		s, err := tx.Session("tg:0")
		if err != nil {
			t.Fatal(err)
		}
		if s.Lang != "th" || s.Flow != "" || len(s.Answers) != 0 || len(s.Flags) != 0 {
			t.Errorf("swept session %+v: want only the language kept", s)
		}
		r, _ := tx.Session("tg:recent")
		if r.Answers["nationality"] != "VN" {
			t.Errorf("a recent session was swept: %+v", r)
		}
		return nil
	})
	if n, _ := db.SweepSessions(ctx, now.AddDate(0, 0, -30)); n != 0 {
		t.Errorf("a second sweep cleared %d again", n)
	}
}

func TestDropStale(t *testing.T) {
	db := storetest.Open(t)
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	err := db.Update(ctx, func(tx bot.Tx) error {
		for _, m := range []bot.Message{{Chat: "wx:a", Queued: now.AddDate(0, 0, -10)}, {Chat: "wx:b", Queued: now}, {Chat: "tg:1", Queued: now.AddDate(0, 0, -10)}} {
			if err := tx.Enqueue(&m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := db.DropStale(ctx, "wx", now.AddDate(0, 0, -7)); err != nil || n != 1 {
		t.Fatalf("dropped %d (err %v), want 1", n, err)
	}
	if msgs, _ := bot.TakeOutbox(ctx, db, "tg"); len(msgs) != 1 {
		t.Errorf("another channel lost messages")
	}
}
