package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/homeward-ngo/homeward/bot"
)

func TestMaintainOnceForgetsIdleAnswers(t *testing.T) {
	a, err := openApp(sources{}, env(t), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx := context.Background()
	now := time.Now().UTC()
	err = a.db.Update(ctx, func(tx bot.Tx) error {
		if err := tx.MarkSeen("tg:u:1", now.Add(-72*time.Hour)); err != nil {
			return err
		}
		return tx.PutSession(&bot.Session{Chat: "tg:1", Lang: "my", Answers: map[string]string{"nationality": "MM"}, Updated: now.AddDate(0, -2, 0)})
	})
	if err != nil {
		t.Fatal(err)
	}
	a.maintainOnce(ctx, now)
	_ = a.db.View(ctx, func(tx bot.Tx) error {
		if seen, _ := tx.Seen("tg:u:1"); seen {
			t.Error("a three-day-old processed mark survived")
		}
		s, err := tx.Session("tg:1")
		if err != nil || s.Lang != "my" || len(s.Answers) != 0 {
			t.Errorf("idle session after maintenance: %+v, %v", s, err)
		}
		return nil
	})
}
