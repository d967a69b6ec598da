package telegram

import (
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/homeward-ngo/homeward/bot"
)

// TestLoad measures the dispatcher against the fake server, which answers
// at once and counts the 429s real Telegram would send. It takes about a
// minute and a half, so it runs only when asked:
//
//	HOMEWARD_TG_LOAD=1 go test -run TestLoad -v ./bot/telegram/
func TestLoad(t *testing.T) {
	if os.Getenv("HOMEWARD_TG_LOAD") == "" {
		t.Skip("set HOMEWARD_TG_LOAD=1 to measure (about 90 s)")
	}
	h := newHarness(t, func(c *Config) { c.SendTimeout = 10 * time.Second })
	h.ctx = t.Context()
	h.start()

	// 1. Sustained outbound rate: 1,000 chats, half of them with two
	// messages, all queued at once.
	const chats, doubles = 1000, 500
	var ms []bot.Message
	for i := range chats {
		ms = append(ms, bot.Message{Chat: chatKey(int64(20000 + i)), Text: fmt.Sprintf("message one to chat %d", i), Kind: "reply"})
	}
	for i := range doubles {
		ms = append(ms, bot.Message{Chat: chatKey(int64(20000 + i)), Text: fmt.Sprintf("message two to chat %d", i), Kind: "reply"})
	}
	h.enqueue(ms...)
	sent, err := h.srv.WaitSent(h.ctx, len(ms))
	if err != nil {
		t.Fatal(err)
	}
	first, last := sent[0].Time, sent[len(sent)-1].Time
	rate := float64(len(sent)-1) / last.Sub(first).Seconds()
	st := h.srv.RateStats()
	report(t, "outbound: %d messages to %d chats in %.1f s: %.2f msg/s (%.1f%% of 25/s); would-be 429s %d (chat %d, global %d); max in any 1 s %d; min gap per chat %s",
		len(sent), chats, last.Sub(first).Seconds(), rate, rate/25*100, st.WouldBe429, st.PerChat, st.Global, st.MaxPerSecond, st.MinChatGap.Round(time.Millisecond))
	if st.WouldBe429 != 0 {
		t.Errorf("%d sends over Telegram's limits", st.WouldBe429)
	}
	for i := range doubles {
		ts := h.srv.SendTimes(int64(20000 + i))
		if len(ts) != 2 || ts[1].Sub(ts[0]) < time.Second {
			t.Errorf("chat %d: send times %v", 20000+i, ts)
		}
	}
	h.until("the outbox empty", func() bool { return len(h.outbox()) == 0 })

	// 1b. Per-chat spacing: 10 chats with 10 messages each.
	ms = ms[:0]
	for j := range 10 {
		for i := range 10 {
			ms = append(ms, bot.Message{Chat: chatKey(int64(40000 + i)), Text: fmt.Sprintf("message %d", j), Kind: "reply"})
		}
	}
	base := len(h.srv.Sent())
	h.enqueue(ms...)
	if _, err := h.srv.WaitSent(h.ctx, base+len(ms)); err != nil {
		t.Fatal(err)
	}
	minGap := time.Hour
	for i := range 10 {
		ts := h.srv.SendTimes(int64(40000 + i))
		for k := 1; k < len(ts); k++ {
			minGap = min(minGap, ts[k].Sub(ts[k-1]))
		}
	}
	report(t, "per-chat spacing: 10 chats x 10 messages: smallest gap between two sends to one chat %s; would-be 429s %d",
		minGap.Round(time.Millisecond), h.srv.RateStats().WouldBe429)
	if minGap < time.Second {
		t.Errorf("per-chat gap %s", minGap)
	}
	h.until("the outbox empty", func() bool { return len(h.outbox()) == 0 })

	// 2. Latency from an update arriving to its reply leaving, one user
	// at a time.
	const n = 300
	var lat []time.Duration
	for i := range n {
		chat := int64(30000 + i)
		at := time.Now()
		h.srv.PushMessage(chat, "/help")
		got := h.sent(chat, 1)
		lat = append(lat, got[0].Time.Sub(at))
		time.Sleep(50 * time.Millisecond) // below the global pace: no queueing
	}
	slices.Sort(lat)
	report(t, "update to reply: n=%d median %s p90 %s p99 %s max %s", n,
		lat[n/2].Round(10*time.Microsecond), lat[n*9/10].Round(10*time.Microsecond), lat[n*99/100].Round(10*time.Microsecond), lat[n-1].Round(10*time.Microsecond))
}

func report(t *testing.T, format string, args ...any) {
	t.Helper()
	t.Logf(format, args...)
	fmt.Printf(format+"\n", args...)
}
