package boltstore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/boltstore"
	"github.com/homeward-ngo/homeward/bot/boltstore/storetest"
	"github.com/homeward-ngo/homeward/bot/checkin"
)

// fullTrip sets every field the ladder record keeps, and more.
func fullTrip() *checkin.Trip {
	tr := activeTrip("ladder1", t0.Add(6*time.Hour))
	tr.Name, tr.Country, tr.Nationality, tr.City = "Aung Ko", "TH", "MM", "Mae Sot"
	tr.Reminded, tr.LastCheckIn = t0.Add(6*time.Hour), t0.Add(time.Hour)
	tr.Policy = checkin.Policy{Grace: time.Hour, UrgentAfter: 2 * time.Hour, Repeat: time.Hour, MaxRepeats: 24,
		Extension: time.Hour, MaxExtensions: 2, Retention: 30 * 24 * time.Hour, SetupTTL: 7 * 24 * time.Hour, Early: 30 * time.Minute}
	tr.State = checkin.Alerted
	tr.Alert = &checkin.Alert{Reason: checkin.SOS, Since: t0.Add(7 * time.Hour), Sent: t0.Add(9 * time.Hour), Stage: 2, Repeats: 3,
		Acked: true, AckBy: "tg:2", AckAt: t0.Add(10 * time.Hour)}
	tr.Guardians = []checkin.Guardian{{Chat: "tg:2", Invited: t0, Accepted: t0, TestSent: t0, TestAcked: t0}}
	tr.Location = &checkin.Location{Lat: 16.7, Lon: 98.5, At: t0}
	for i, w := range []string{"consent", "started", "check-in", "alert sos", "urgent"} {
		tr.Log = append(tr.Log, checkin.Event{At: t0.Add(time.Duration(i) * time.Minute), What: w})
	}
	return tr
}

func asJSON(t *testing.T, tr *checkin.Trip) string {
	t.Helper()
	b, err := json.Marshal(tr)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestLadderRecord: PutTrip writes the ladder record with the JSON; Trip
// reads back the very trip; TripLadder gives its ladder fields; a change
// written with PutTripLadder shows in Trip without the JSON being
// rewritten; DeleteTrip removes the record too.
func TestLadderRecord(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	tr := fullTrip()
	if err := db.Update(ctx, func(tx bot.Tx) error { return tx.PutTrip(tr) }); err != nil {
		t.Fatal(err)
	}
	raw := func() []byte {
		var v []byte
		_ = db.Bolt().View(func(tx *bolt.Tx) error { v = bytes.Clone(tx.Bucket([]byte("trips")).Get([]byte(tr.ID))); return nil })
		return v
	}
	body := raw()
	err := db.Update(ctx, func(tx bot.Tx) error {
		got, err := tx.Trip(tr.ID)
		if err != nil {
			return err
		}
		if asJSON(t, got) != asJSON(t, tr) {
			t.Errorf("Trip:\n%s\nwant\n%s", asJSON(t, got), asJSON(t, tr))
		}
		ls := tx.(interface {
			TripLadder(string) (*checkin.Trip, error)
			PutTripLadder(*checkin.Trip) error
		})
		l, err := ls.TripLadder(tr.ID)
		if err != nil {
			return err
		}
		want := &checkin.Trip{ID: tr.ID, Traveler: tr.Traveler, Name: tr.Name, Country: tr.Country, State: tr.State,
			Created: tr.Created, End: tr.End, Due: tr.Due, Reminded: tr.Reminded, Wake: tr.Wake, Policy: tr.Policy, Alert: tr.Alert, Log: tr.Log}
		if asJSON(t, l) != asJSON(t, want) {
			t.Errorf("TripLadder:\n%s\nwant\n%s", asJSON(t, l), asJSON(t, want))
		}
		// What the ladder does alone: the alert over, a new deadline.
		l.State, l.Alert, l.Due, l.Reminded = checkin.Active, nil, t0.Add(12*time.Hour), time.Time{}
		l.Log = append(l.Log, checkin.Event{At: t0.Add(11 * time.Hour), What: "resolved by a guardian"})
		return ls.PutTripLadder(l)
	})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw(), body) {
		t.Error("PutTripLadder rewrote the trip's JSON")
	}
	err = db.Update(ctx, func(tx bot.Tx) error {
		got, err := tx.Trip(tr.ID)
		if err != nil {
			return err
		}
		if got.State != checkin.Active || got.Alert != nil || got.Log[len(got.Log)-1].What != "resolved by a guardian" ||
			got.City != "Mae Sot" || len(got.Guardians) != 1 || got.Wake.IsZero() {
			t.Errorf("after PutTripLadder, Trip gives %s", asJSON(t, got))
		}
		if next, _ := tx.NextDue(); !next.Equal(got.Wake) || !got.Wake.Equal(t0.Add(12*time.Hour)) {
			t.Errorf("due entry at %v, trip wakes at %v", next, got.Wake)
		}
		return tx.DeleteTrip(tr.ID)
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Bolt().View(func(tx *bolt.Tx) error {
		if n := tx.Bucket([]byte("ladder")).Stats().KeyN; n != 0 {
			t.Errorf("%d ladder records left after DeleteTrip", n)
		}
		return nil
	})
}

// TestTripWithoutLadderRecord: a trip written before the record existed
// (schema 1) is read whole from its JSON, by Trip and TripLadder alike.
func TestTripWithoutLadderRecord(t *testing.T) {
	db := storetest.Open(t)
	tr := fullTrip()
	tr.Wake = tr.NextWake()
	if err := db.Bolt().Update(func(tx *bolt.Tx) error {
		b, _ := json.Marshal(tr)
		return tx.Bucket([]byte("trips")).Put([]byte(tr.ID), b)
	}); err != nil {
		t.Fatal(err)
	}
	_ = db.View(context.Background(), func(tx bot.Tx) error {
		got, err := tx.Trip(tr.ID)
		if err != nil || asJSON(t, got) != asJSON(t, tr) {
			t.Errorf("Trip: %v %v", got, err)
		}
		l, err := tx.(interface {
			TripLadder(string) (*checkin.Trip, error)
		}).TripLadder(tr.ID)
		if err != nil || l.State != tr.State || l.Alert == nil || l.Name != tr.Name {
			t.Errorf("TripLadder: %v %v", l, err)
		}
		return nil
	})
}

// TestCorruptLadderRecord: every cut of a record, and a wrong version, is
// an error, never a panic or a half-read trip.
func TestCorruptLadderRecord(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	tr := fullTrip()
	if err := db.Update(ctx, func(tx bot.Tx) error { return tx.PutTrip(tr) }); err != nil {
		t.Fatal(err)
	}
	var rec []byte
	_ = db.Bolt().View(func(tx *bolt.Tx) error { rec = bytes.Clone(tx.Bucket([]byte("ladder")).Get([]byte(tr.ID))); return nil })
	bad := [][]byte{append([]byte{99}, rec[1:]...), append(bytes.Clone(rec), 0)}
	for i := range len(rec) {
		bad = append(bad, rec[:i])
	}
	for _, b := range bad {
		if err := db.Bolt().Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("ladder")).Put([]byte(tr.ID), b) }); err != nil {
			t.Fatal(err)
		}
		_ = db.View(ctx, func(tx bot.Tx) error {
			if got, err := tx.Trip(tr.ID); err == nil {
				t.Errorf("a record of %d bytes (of %d) was read: %v", len(b), len(rec), got)
			}
			return nil
		})
	}
}

// TestSchemaOneMigrates: a file of schema 1 opens as schema 2, with the
// ladder bucket.
func TestSchemaOneMigrates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data.db")
	db, err := boltstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Bolt().Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket([]byte("ladder")); err != nil {
			return err
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), []byte{0, 0, 0, 0, 0, 0, 0, 1})
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err = boltstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_ = db.Bolt().View(func(tx *bolt.Tx) error {
		if tx.Bucket([]byte("ladder")) == nil || !bytes.Equal(tx.Bucket([]byte("meta")).Get([]byte("schema")), []byte{0, 0, 0, 0, 0, 0, 0, byte(boltstore.SchemaVersion)}) {
			t.Error("not migrated to schema 2")
		}
		return nil
	})
}
