package bot_test

import (
	"context"
	"slices"
	"testing"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/boltstore/storetest"
)

// OnHandled hears the kind of every outcome, and nothing else.
func TestOnHandled(t *testing.T) {
	var kinds []string
	db := storetest.Open(t)
	e, err := bot.New(bot.Config{Store: db, Assets: loadAssets(t), OnHandled: func(k string) { kinds = append(kinds, k) }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, u := range []bot.Update{
		{ID: "cli:1", Chat: "cli:x", Text: "/start"},
		{ID: "cli:1", Chat: "cli:x", Text: "/start"},        // redelivered
		{ID: "cli:2", Chat: "cli:x", Data: "1.main.0.q.zz"}, // an old button
	} {
		if _, err := e.Handle(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if want := []string{"ok", "duplicate", "stale"}; !slices.Equal(kinds, want) {
		t.Errorf("kinds = %q, want %q", kinds, want)
	}
}
