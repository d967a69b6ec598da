package boltstore_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/boltstore"
	"github.com/homeward-ngo/homeward/bot/boltstore/storetest"
	bolt "go.etcd.io/bbolt"
)

var ctx = context.Background()

func TestSecondOpenFailsFastNamingTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data.db")
	db, err := boltstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = boltstore.Open(path)
	if err == nil {
		t.Fatal("a second open of a file in use succeeded")
	}
	if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "another Homeward process") {
		t.Errorf("error %q should name the file and say why", err)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data.db")
	db, err := boltstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Bolt().Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), []byte{0, 0, 0, 0, 0, 0, 0, 99})
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := boltstore.Open(path); err == nil || !strings.Contains(err.Error(), "schema 99") {
		t.Errorf("opening a file from a newer version: %v", err)
	}
}

func TestSessionRoundTrip(t *testing.T) {
	db := storetest.Open(t)
	want := &bot.Session{Chat: "tg:1", Lang: "th", Flow: "offer", Step: "dest", Seq: 3,
		Answers: map[string]string{"destination": "TH"}, Flags: map[string]string{"fee": "y"}}
	if err := db.Update(ctx, func(tx bot.Tx) error { return tx.PutSession(want) }); err != nil {
		t.Fatal(err)
	}
	err := db.View(ctx, func(tx bot.Tx) error {
		got, err := tx.Session("tg:1")
		if err != nil {
			return err
		}
		if got.Lang != "th" || got.Seq != 3 || got.Answers["destination"] != "TH" || got.Flags["fee"] != "y" {
			t.Errorf("got %+v", got)
		}
		if _, err := tx.Session("tg:2"); err != bot.ErrNotFound {
			t.Errorf("missing session: err=%v, want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOutboxOrderAndDrop(t *testing.T) {
	db := storetest.Open(t)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	err := db.Update(ctx, func(tx bot.Tx) error {
		for i, chat := range []string{"tg:1", "tg:2", "tg:1", "wx:a", "tg:1"} {
			if err := tx.Enqueue(&bot.Message{Chat: chat, Text: chat, Queued: now.Add(time.Duration(i) * time.Second)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.View(ctx, func(tx bot.Tx) error {
		n, oldest, err := tx.OutboxDepth("tg")
		if err != nil || n != 4 || !oldest.Equal(now) {
			t.Errorf("tg depth %d oldest %v err %v; want 4, %v", n, oldest, err, now)
		}
		return nil
	})
	if err := db.Update(ctx, func(tx bot.Tx) error { return tx.DropOutbox("tg:1") }); err != nil {
		t.Fatal(err)
	}
	msgs, err := bot.TakeOutbox(ctx, db, "tg")
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].Chat != "tg:2" {
		t.Errorf("after dropping tg:1, the tg outbox holds %+v", msgs)
	}
	if msgs, _ := bot.TakeOutbox(ctx, db, "wx"); len(msgs) != 1 {
		t.Errorf("another channel's message was touched: %d left", len(msgs))
	}
}

func TestSeenMarksAreHashedAndTrimmed(t *testing.T) {
	db := storetest.Open(t)
	old := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	err := db.Update(ctx, func(tx bot.Tx) error {
		if err := tx.MarkSeen("wx:e:oUSER-openid:1700000000", old); err != nil {
			return err
		}
		return tx.MarkSeen("tg:u:2", old.Add(48*time.Hour))
	})
	if err != nil {
		t.Fatal(err)
	}
	// The sender's id must not be readable in the file.
	var raw bytes.Buffer
	if _, err := db.Backup(ctx, &raw); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw.Bytes(), []byte("oUSER-openid")) {
		t.Error("a processed mark stores the sender's id in clear")
	}
	n, err := db.TrimSeen(ctx, old.Add(24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("trim: n=%d err=%v, want 1", n, err)
	}
	_ = db.View(ctx, func(tx bot.Tx) error {
		if seen, _ := tx.Seen("wx:e:oUSER-openid:1700000000"); seen {
			t.Error("old mark survived the trim")
		}
		if seen, _ := tx.Seen("tg:u:2"); !seen {
			t.Error("new mark was trimmed")
		}
		return nil
	})
}

func TestBackupIsAConsistentCopy(t *testing.T) {
	db := storetest.Open(t)
	if err := db.Update(ctx, func(tx bot.Tx) error { return tx.PutSession(&bot.Session{Chat: "tg:9", Lang: "vi"}) }); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	if _, err := db.BackupFile(ctx, path); err != nil {
		t.Fatal(err)
	}
	cp, err := boltstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if errs := cp.Check(); len(errs) > 0 {
		t.Fatalf("backup fails the check: %v", errs)
	}
	err = cp.View(ctx, func(tx bot.Tx) error {
		s, err := tx.Session("tg:9")
		if err == nil && s.Lang != "vi" {
			t.Errorf("backup session %+v", s)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCancelledContextRunsNothing(t *testing.T) {
	db := storetest.Open(t)
	c, cancel := context.WithCancel(ctx)
	cancel()
	ran := false
	if err := db.Update(c, func(bot.Tx) error { ran = true; return nil }); err == nil || ran {
		t.Errorf("Update on a cancelled context: err=%v ran=%v", err, ran)
	}
}
