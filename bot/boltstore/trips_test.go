package boltstore_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/boltstore/storetest"
	"github.com/homeward-ngo/homeward/bot/checkin"
)

var t0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func activeTrip(id string, due time.Time) *checkin.Trip {
	return &checkin.Trip{ID: id, Owner: "tg:1", Traveler: "tg:1", State: checkin.Active, Created: t0, End: t0.Add(72 * time.Hour),
		Due: due, Schedule: checkin.Schedule{Every: time.Hour}, Policy: checkin.Policy{Grace: time.Hour, Retention: time.Hour}}
}

// TestPopDue writes many entries and pops them in order, each once, right
// up to the second of now, including when the transaction has written
// before it pops (the case where deleting under a cursor skips keys).
func TestPopDue(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	const n = 300
	err := db.Update(ctx, func(tx bot.Tx) error {
		for i := range n {
			// Sub-second deadlines round up: never popped early.
			if err := tx.PutTrip(activeTrip(fmt.Sprintf("t%03d", i), t0.Add(time.Duration(i)*time.Second+time.Millisecond))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, now := range []time.Duration{0, 100 * time.Second, 250 * time.Second, n * time.Second} {
		err := db.Update(ctx, func(tx bot.Tx) error {
			if err := tx.PutSession(&bot.Session{Chat: "tg:x"}); err != nil { // write first
				return err
			}
			due, err := tx.PopDue(t0.Add(now), 0)
			for _, d := range due {
				if d.At.After(t0.Add(now)) || d.Kind != "due" {
					t.Errorf("popped %v (%s) at %v", d.At, d.Kind, now)
				}
				got = append(got, d.Trip)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != n || !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != n {
		t.Fatalf("popped %d entries (want %d), sorted %v", len(got), n, slices.IsSorted(got))
	}
	_ = db.View(ctx, func(tx bot.Tx) error {
		if next, _ := tx.NextDue(); !next.IsZero() {
			t.Errorf("due index not empty: %v", next)
		}
		return nil
	})
}

// TestPutTripMovesDue: a trip has one due entry, at its next wake-up, and
// DeleteTrip removes it with the trip's invites.
func TestPutTripMovesDue(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	tr := activeTrip("a", t0.Add(time.Hour))
	hash := []byte("0123456789abcdef0123456789abcdef")
	err := db.Update(ctx, func(tx bot.Tx) error {
		if err := tx.PutTrip(tr); err != nil {
			return err
		}
		tr.Due = t0.Add(3 * time.Hour)
		if err := tx.PutTrip(tr); err != nil {
			return err
		}
		tr.Invites = []string{fmt.Sprintf("%x", hash)}
		if err := tx.PutInvite(hash, &checkin.Invite{Trip: "a", Role: checkin.RoleGuardian}); err != nil {
			return err
		}
		return tx.PutTrip(tr)
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Update(ctx, func(tx bot.Tx) error {
		if next, _ := tx.NextDue(); !next.Equal(t0.Add(3 * time.Hour)) {
			t.Errorf("next due %v, want the moved one", next)
		}
		if due, _ := tx.PopDue(t0.Add(2*time.Hour), 0); len(due) != 0 {
			t.Errorf("the old entry is still there: %v", due)
		}
		got, err := tx.Trip("a")
		if err != nil || !got.Due.Equal(tr.Due) || !got.Wake.Equal(tr.Due) {
			t.Errorf("read back %+v, %v", got, err)
		}
		return tx.DeleteTrip("a")
	})
	_ = db.Update(ctx, func(tx bot.Tx) error {
		if next, _ := tx.NextDue(); !next.IsZero() {
			t.Errorf("due entry left after DeleteTrip: %v", next)
		}
		if _, err := tx.TakeInvite(hash); !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("invite left after DeleteTrip: %v", err)
		}
		if _, err := tx.Trip("a"); !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("trip left: %v", err)
		}
		return nil
	})
}

func TestInvitesAndLinks(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	h := []byte("hash-of-a-token-hash-of-a-token!")
	err := db.Update(ctx, func(tx bot.Tx) error {
		if err := tx.PutInvite(h, &checkin.Invite{Trip: "a", Role: checkin.RoleTraveler, Expires: t0}); err != nil {
			return err
		}
		inv, err := tx.TakeInvite(h)
		if err != nil || inv.Trip != "a" || inv.Role != checkin.RoleTraveler || !inv.Expires.Equal(t0) {
			t.Errorf("TakeInvite = %+v, %v", inv, err)
		}
		if _, err := tx.TakeInvite(h); !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("an invite was taken twice: %v", err)
		}
		for _, l := range []checkin.Link{{Chat: "tg:1", Trip: "a", Role: "owner"}, {Chat: "tg:1", Trip: "b", Role: "guardian"}, {Chat: "tg:10", Trip: "c", Role: "owner"}} {
			if err := tx.LinkChat(l.Chat, l.Trip, l.Role); err != nil {
				return err
			}
		}
		if err := tx.UnlinkChat("tg:1", "b"); err != nil {
			return err
		}
		got, err := tx.ChatTrips("tg:1")
		if err != nil || len(got) != 1 || got[0] != (checkin.Link{Chat: "tg:1", Trip: "a", Role: "owner"}) {
			t.Errorf("ChatTrips(tg:1) = %v, %v (tg:10's trips must not leak in)", got, err)
		}
		for _, m := range []bot.Message{{Chat: "tg:5", Trip: "a", Text: "x"}, {Chat: "tg:5", Text: "y"}, {Chat: "wx:o", Trip: "a"}} {
			if err := tx.Enqueue(&m); err != nil {
				return err
			}
		}
		if err := tx.DropTripMessages("a"); err != nil {
			return err
		}
		tg, _ := tx.Outbox("tg", 0)
		wx, _ := tx.Outbox("wx", 0)
		if len(tg) != 1 || tg[0].Text != "y" || len(wx) != 0 {
			t.Errorf("after DropTripMessages: tg %v, wx %v", tg, wx)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
