package telegramtest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/homeward-ngo/homeward/bot/telegram/telegramtest"
)

func TestStartEmulatorSkipsWithoutEnv(t *testing.T) {
	t.Setenv(telegramtest.EmulatorEnv, "")
	reached := false
	t.Run("e2e", func(t *testing.T) {
		telegramtest.StartEmulator(t)
		reached = true
	})
	if reached {
		t.Error("StartEmulator did not skip without " + telegramtest.EmulatorEnv)
	}
}

// pollBot collects n updates from the emulator. Its getUpdates answers at
// once and ignores offset, so we poll with short sleeps.
func pollBot(ctx context.Context, t *testing.T, bot *tgbotapi.BotAPI, n int) []tgbotapi.Update {
	t.Helper()
	var got []tgbotapi.Update
	for len(got) < n {
		ups, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
		if err != nil {
			t.Fatalf("GetUpdates: %v", err)
		}
		got = append(got, ups...)
		if len(got) >= n {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("got %d of %d updates", len(got), n)
		case <-time.After(50 * time.Millisecond):
		}
	}
	return got
}

// TestEmulatorJourney drives one user journey through the real tgbotapi
// client and the emulator: /start, a keyboard, a button press, the
// answer and an edit. It runs only where TG_EMULATOR_URL is set.
func TestEmulatorJourney(t *testing.T) {
	e := telegramtest.StartEmulator(t)
	e.LanguageCode = "th"
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	bot, err := tgbotapi.NewBotAPIWithClient(e.Token, e.Endpoint(), &http.Client{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if bot.Self.UserName != "TestNameBot" || bot.Self.ID != 666 {
		t.Errorf("getMe = %+v", bot.Self)
	}

	const chat = 4242
	if err := e.SendMessage(ctx, chat, "/start"); err != nil {
		t.Fatal(err)
	}
	up := pollBot(ctx, t, bot, 1)[0]
	if up.Message == nil || !up.Message.IsCommand() || up.Message.Command() != "start" || up.Message.Chat.ID != chat || up.Message.From.LanguageCode != "th" {
		t.Fatalf("update = %+v", up.Message)
	}

	msg := tgbotapi.NewMessage(chat, "Is the job offer asking for a fee?")
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData("Yes", "1.jc.fee.y"),
		tgbotapi.NewInlineKeyboardButtonData("No", "1.jc.fee.n")))
	if _, err := bot.Send(msg); err != nil {
		t.Fatal(err)
	}
	replies, err := e.WaitReplies(ctx, chat, 1)
	if err != nil {
		t.Fatal(err)
	}
	r := replies[0]
	if r.Text != "Is the job offer asking for a fee?" || r.ChatID != chat || len(r.Keyboard) != 1 || r.Keyboard[0][1].CallbackData != "1.jc.fee.n" {
		t.Fatalf("reply = %+v", r)
	}

	if err := e.PressButton(ctx, chat, r.MessageID, "1.jc.fee.y"); err != nil {
		t.Fatal(err)
	}
	cq := pollBot(ctx, t, bot, 1)[0].CallbackQuery
	if cq == nil || cq.Data != "1.jc.fee.y" || cq.Message == nil || cq.Message.MessageID != r.MessageID {
		t.Fatalf("callback = %+v", cq)
	}
	if _, err := bot.Request(tgbotapi.NewCallback(cq.ID, "")); err != nil {
		t.Fatalf("answerCallbackQuery: %v", err)
	}
	// The emulator answers edits with result null: no error, zero Message.
	edited, err := bot.Send(tgbotapi.NewEditMessageText(chat, r.MessageID, "Answered: yes"))
	if err != nil || edited.MessageID != 0 {
		t.Fatalf("edit = %+v, %v", edited, err)
	}
	// Edits do not come back through Replies, only through History.
	if again, err := e.Replies(ctx, chat); err != nil || len(again) != 0 {
		t.Errorf("Replies after edit = %+v, %v", again, err)
	}
	hist, err := e.History(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var sawEdit, sawPress, sawStart bool
	for _, h := range hist {
		switch {
		case h.FromBot && h.MessageID == r.MessageID:
			sawEdit = h.Text == "Answered: yes" && len(h.Keyboard) == 1 // the emulator keeps the keyboard
		case h.CallbackData == "1.jc.fee.y":
			sawPress = true
		case !h.FromBot && h.Text == "/start":
			sawStart = h.ChatID == chat
		}
	}
	if !sawEdit || !sawPress || !sawStart {
		t.Errorf("history = %+v", hist)
	}

	// Methods the emulator lacks come back as an empty *tgbotapi.Error.
	_, err = bot.Request(tgbotapi.NewSetMyCommands(tgbotapi.BotCommand{Command: "start", Description: "Start"}))
	if e, ok := err.(*tgbotapi.Error); !ok || e.Code != 0 {
		t.Errorf("setMyCommands on the emulator: %v", err)
	}
}
