package telegram

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/homeward-ngo/homeward/bot"
)

// allowedUpdates are the update kinds the bot asks for. Channel posts are
// left out on purpose: a reply there would be published to every
// subscriber.
var allowedUpdates = []string{"message", "edited_message", "callback_query"}

// emptyPause is the pause after a getUpdates that came back empty at once
// instead of waiting (the npm emulator does not long-poll). Harmless with
// Telegram, which only returns early with updates.
const emptyPause = 100 * time.Millisecond

// handleAttempts is how often the poll loop tries to handle one update
// before it gives up on it, so that one update the engine cannot handle
// does not stop every other.
const handleAttempts = 5

// poll is the long-poll loop. The offset sent to getUpdates, which confirms
// every update below it, only moves past an update once Handle returned.
func (b *Bot) poll(ctx context.Context) error {
	b.dropWebhook(ctx)
	offset := 0
	var fails int
	for ctx.Err() == nil {
		start := time.Now()
		us, err := b.c.getUpdates(ctx, tgbotapi.UpdateConfig{
			Offset:         offset,
			Limit:          100,
			Timeout:        int(b.cfg.PollTimeout / time.Second),
			AllowedUpdates: allowedUpdates,
		})
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			switch apiCode(err) {
			case http.StatusUnauthorized:
				return ErrUnauthorized
			case http.StatusConflict:
				return ErrConflict
			}
			fails++
			wait := retryAfter(err)
			if wait <= 0 {
				wait = backoff(fails, time.Second, time.Minute)
			}
			b.log.Warn("telegram getUpdates failed", "err", err, "retry_in", wait.String())
			if !sleep(ctx, wait) {
				return nil
			}
			continue
		}
		fails = 0
		if len(us) == 0 && time.Since(start) < time.Second {
			if !sleep(ctx, emptyPause) {
				return nil
			}
		}
		for _, u := range us {
			if err := b.handleRetrying(ctx, u); err != nil {
				return nil // ctx ended: the update is replayed next time
			}
			offset = u.UpdateID + 1
		}
	}
	return nil
}

// dropWebhook deletes a webhook left from webhook mode, which would make
// every getUpdates fail with 409. Pending updates are kept.
func (b *Bot) dropWebhook(ctx context.Context) {
	var info tgbotapi.WebhookInfo
	err := b.c.with(ctx, "getWebhookInfo", b.cfg.SendTimeout, func(api *tgbotapi.BotAPI) error {
		var err error
		info, err = api.GetWebhookInfo()
		return err
	})
	if err != nil || info.URL == "" {
		return
	}
	b.log.Warn("telegram webhook was set: deleting it to receive by long polling")
	if err := b.c.request(ctx, tgbotapi.DeleteWebhookConfig{}, "deleteWebhook"); err != nil {
		b.log.Warn("telegram deleteWebhook failed", "err", err)
	}
}

// handleRetrying handles an update, retrying failures of the engine (the
// disk, say) with backoff. It returns an error only when ctx ended.
func (b *Bot) handleRetrying(ctx context.Context, u tgbotapi.Update) error {
	for attempt := 1; ; attempt++ {
		err := b.handle(ctx, ctx, u, attempt == handleAttempts)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if attempt == handleAttempts {
			b.log.Error("telegram update dropped: the engine failed on it repeatedly", "update_id", u.UpdateID, "err", err)
			return nil
		}
		wait := backoff(attempt, 500*time.Millisecond, 10*time.Second)
		b.log.Warn("telegram update failed, retrying", "update_id", u.UpdateID, "err", err, "retry_in", wait.String())
		if !sleep(ctx, wait) {
			return ctx.Err()
		}
	}
}

// kind is what the channel does with an update.
type kind int

const (
	ignore kind = iota // nothing
	engine             // hand to the engine
	group              // a group chat: ask to talk in private
	answer             // a button press that cannot be handled: only answer it
)

// convert maps a Telegram update to the engine's Update.
func convert(tu tgbotapi.Update) (bot.Update, kind) {
	u := bot.Update{ID: "tg:u:" + strconv.Itoa(tu.UpdateID)}
	switch {
	case tu.Message != nil:
		m := tu.Message
		if m.Chat == nil || m.From != nil && m.From.IsBot {
			return u, ignore
		}
		if m.Chat.Type != "private" {
			return u, group
		}
		u.Chat = chatKey(m.Chat.ID)
		if m.From != nil {
			u.Hint = m.From.LanguageCode
		}
		u.Text = m.Text
		if u.Text == "" {
			u.Text = m.Caption // a photo of an offer with its text
		}
		if l := m.Location; l != nil {
			u.Location = &bot.Location{Lat: l.Latitude, Lon: l.Longitude, Live: l.LivePeriod > 0}
		}
		u.At = plausible(m.Date)
		return u, engine
	case tu.EditedMessage != nil:
		// Only a live location moves by editing its message; other edits
		// are ignored: the conversation has moved on.
		m := tu.EditedMessage
		if m.Chat == nil || m.Chat.Type != "private" || m.Location == nil {
			return u, ignore
		}
		u.Chat = chatKey(m.Chat.ID)
		if m.From != nil {
			u.Hint = m.From.LanguageCode
		}
		u.Location = &bot.Location{Lat: m.Location.Latitude, Lon: m.Location.Longitude, Live: true}
		return u, engine
	case tu.CallbackQuery != nil:
		q := tu.CallbackQuery
		if q.Message == nil || q.Message.Chat == nil || q.Message.Chat.Type != "private" || q.Data == "" {
			return u, answer
		}
		u.Chat = chatKey(q.Message.Chat.ID)
		if q.From != nil {
			u.Hint = q.From.LanguageCode
		}
		u.Data = q.Data
		return u, engine
	}
	return u, ignore
}

// plausible turns a message date into the update's time, or zero (now)
// when it is not believable: clocks differ, and the emulator sends
// milliseconds.
func plausible(unix int) time.Time {
	if unix <= 0 {
		return time.Time{}
	}
	t := time.Unix(int64(unix), 0)
	if d := time.Since(t); d < -time.Minute || d > 48*time.Hour {
		return time.Time{}
	}
	return t
}

// handle hands one update to the engine. A button press is answered in the
// background (under bg, which outlives a webhook request) once the engine
// is done, with the stale notice if there is one; answerOnError also
// answers it when the engine failed (the last attempt).
func (b *Bot) handle(ctx, bg context.Context, tu tgbotapi.Update, answerOnError bool) error {
	u, k := convert(tu)
	switch k {
	case ignore:
		return nil
	case answer:
		b.answer(bg, tu.CallbackQuery, bot.Outcome{})
		return nil
	case group:
		return b.groupLine(ctx, tu)
	}
	out, err := b.cfg.Engine.Handle(ctx, u)
	if q := tu.CallbackQuery; q != nil && (err == nil || answerOnError) {
		b.answer(bg, q, out)
	}
	if err != nil {
		return err
	}
	if !out.Duplicate {
		b.Wake()
	}
	return nil
}

// answer answers a button press in the background, and removes the
// keyboard of a stale one.
func (b *Bot) answer(ctx context.Context, q *tgbotapi.CallbackQuery, out bot.Outcome) {
	b.background(ctx, func(ctx context.Context) {
		text := ""
		if out.Stale {
			text = truncateUTF16(out.Notice, 200)
		}
		err := b.c.request(ctx, tgbotapi.NewCallback(q.ID, text), "answerCallbackQuery")
		switch {
		case err == nil, ctx.Err() != nil:
		case strings.Contains(description(err), "query is too old"):
			b.log.Info("telegram button press answered too late", "err", err)
		default:
			b.log.Warn("telegram answerCallbackQuery failed", "err", err)
		}
		if !out.Stale || q.Message == nil || q.Message.Chat == nil {
			return
		}
		none := tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}}
		err = b.c.request(ctx, tgbotapi.NewEditMessageReplyMarkup(q.Message.Chat.ID, q.Message.MessageID, none), "editMessageReplyMarkup")
		if err != nil && ctx.Err() == nil && !strings.Contains(description(err), "not modified") {
			b.log.Info("telegram could not remove a stale keyboard", "err", err)
		}
	})
}

// groupEvery is how often one group is told to talk in private at most.
const groupEvery = 10 * time.Minute

// groupLine answers a message in a group with one line asking to talk in
// private, at most once per groupEvery per group. The line goes through
// the outbox, with the update's processed mark, like any other answer.
func (b *Bot) groupLine(ctx context.Context, tu tgbotapi.Update) error {
	m := tu.Message
	now := time.Now()
	b.mu.Lock()
	last, ok := b.groups[m.Chat.ID]
	due := !ok || now.Sub(last) >= groupEvery
	if due {
		for id, t := range b.groups {
			if now.Sub(t) >= groupEvery {
				delete(b.groups, id)
			}
		}
		b.groups[m.Chat.ID] = now
	}
	b.mu.Unlock()
	if !due {
		return nil
	}
	lang := ""
	if m.From != nil {
		lang = b.cfg.Text.Match(m.From.LanguageCode)
	}
	id := "tg:u:" + strconv.Itoa(tu.UpdateID)
	err := b.cfg.Store.Update(ctx, func(tx bot.Tx) error {
		if seen, err := tx.Seen(id); err != nil || seen {
			return err
		}
		msg := &bot.Message{
			Chat:   chatKey(m.Chat.ID),
			Text:   b.cfg.Text.Text(lang, "tg.group_private", map[string]any{"Bot": "@" + b.me.UserName}),
			IDs:    []string{"tg.group_private"},
			Kind:   "reply",
			Queued: now.UTC(),
		}
		if err := tx.Enqueue(msg); err != nil {
			return err
		}
		return tx.MarkSeen(id, now.UTC())
	})
	if err != nil {
		return fmt.Errorf("telegram: queuing the group line: %w", err)
	}
	b.Wake()
	return nil
}

// truncateUTF16 cuts s to at most n UTF-16 units.
func truncateUTF16(s string, n int) string {
	if utf16Len(s) <= n {
		return s
	}
	return s[:hardCut(s, n)]
}

// backoff is the wait after the n-th failure in a row: min doubled each
// time up to max, with ±20% jitter so that many waiters spread out.
func backoff(n int, min, max time.Duration) time.Duration {
	d := min
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	d = minDur(d, max)
	return d + time.Duration(rand.Int64N(41)-20)*d/100
}

func minDur(a, b time.Duration) time.Duration {
	if a < b {
		return a
	}
	return b
}
