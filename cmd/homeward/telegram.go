package main

import (
	"context"
	"fmt"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/homeward-ngo/homeward/bot/telegram"
)

// runTelegram runs the bot on Telegram: long polling, or a webhook when
// HOMEWARD_WEBHOOK_URL is set.
func runTelegram(ctx context.Context, a *app, env envFunc, token string) error {
	cfg := telegram.Config{
		Token:    token,
		Endpoint: env.or("TELEGRAM_API_ENDPOINT", tgbotapi.APIEndpoint),
		Engine:   a.engine,
		Store:    a.db,
		Text:     a.engine.Assets().Text,
		Log:      a.log,
		Observer: a.ops,
	}
	mode := "long polling"
	if u := env("HOMEWARD_WEBHOOK_URL"); u != "" {
		cfg.Webhook = &telegram.Webhook{
			URL:    u,
			Listen: env.or("HOMEWARD_WEBHOOK_LISTEN", "127.0.0.1:8081"),
			Secret: env("HOMEWARD_WEBHOOK_SECRET"),
		}
		mode = "webhook"
	}
	b, err := telegram.New(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.queued.add(b.Wake)() // alerts the scheduler queues leave at once (checkin.go)
	a.log.Info("running on Telegram", "bot", "@"+b.Username(), "mode", mode)
	if err := b.Run(ctx); err != nil {
		return fmt.Errorf("telegram: %w", err)
	}
	return nil
}
