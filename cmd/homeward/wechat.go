package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/homeward-ngo/homeward/bot/console"
	"github.com/homeward-ngo/homeward/bot/wechat"
)

// wechatPath is where the WeChat server URL points on the HTTP server.
const wechatPath = "/wechat"

// wechatHandler builds the handler of a WeChat Official Account from
// WECHAT_TOKEN, WECHAT_APP_ID and WECHAT_AES_KEY, or returns (nil, nil) when
// none of them is set. All three are required: the account must use safe
// mode, because the plain signature does not cover the message body. It
// registers the channel on the engine, so call it before the engine handles
// updates.
func wechatHandler(env envFunc, a *app) (http.Handler, error) {
	token, appID, key := env("WECHAT_TOKEN"), env("WECHAT_APP_ID"), env("WECHAT_AES_KEY")
	if token == "" && appID == "" && key == "" {
		return nil, nil
	}
	var missing []string
	for _, v := range []struct{ name, value string }{{"WECHAT_TOKEN", token}, {"WECHAT_APP_ID", appID}, {"WECHAT_AES_KEY", key}} {
		if v.value == "" {
			missing = append(missing, v.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("WeChat: %s not set; a WeChat account needs WECHAT_TOKEN, WECHAT_APP_ID and WECHAT_AES_KEY (safe mode)", strings.Join(missing, " and "))
	}
	if n := len(key); n != 43 {
		return nil, fmt.Errorf("WeChat: WECHAT_AES_KEY has %d characters; copy the 43-character EncodingAESKey from the account's server settings", n)
	}
	tg := strings.TrimPrefix(env("TELEGRAM_BOT_USERNAME"), "@")
	ch, err := wechat.NewChannel(wechat.ChannelConfig{Engine: a.engine, Store: a.db, TelegramBot: tg})
	if err != nil {
		return nil, fmt.Errorf("WeChat: TELEGRAM_BOT_USERNAME: %w", err)
	}
	if tg == "" {
		a.log.Warn("TELEGRAM_BOT_USERNAME is not set: WeChat users who ask for travel check-ins are told they need Telegram, without a link")
	}
	h, err := wechat.NewHandler(wechat.Config{
		Token:          token,
		AppID:          appID,
		EncodingAESKey: key,
		OnError:        a.logWeChat,
	}, ch.Reply)
	if err != nil {
		return nil, fmt.Errorf("WeChat: %w", err)
	}
	return h, nil
}

// logWeChat logs why the WeChat handler refused a request or answered
// "success". The package's errors carry no OpenID and no message text.
func (a *app) logWeChat(err error) {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		a.log.Warn("wechat: reply missed WeChat's 5-second window; it is kept for the person's next message", "err", err)
	case errors.Is(err, wechat.ErrSignature), errors.Is(err, wechat.ErrStale),
		errors.Is(err, wechat.ErrAppID), errors.Is(err, wechat.ErrCiphertext):
		a.log.Info("wechat: request refused", "err", err)
	default:
		a.log.Warn("wechat: request failed", "err", err)
	}
}

// mountWeChat serves the WeChat account on the HTTP server (at /wechat on
// HOMEWARD_HTTP_ADDR) when it is configured, and reports whether it is. It
// always registers the Telegram side of the WeChat handoff, so that a
// "/start w_…" link opens well on any deployment's Telegram bot.
func mountWeChat(env envFunc, a *app) (bool, error) {
	wechat.RegisterLanding(a.engine)
	h, err := wechatHandler(env, a)
	if err != nil || h == nil {
		return false, err
	}
	a.ops.Mount(wechatPath, h)
	a.log.Info("serving a WeChat Official Account", "path", wechatPath)
	return true, nil
}

// consoleBesideWeChat runs the terminal chat while WeChat is served. With
// no terminal (a service), there is no one to chat with: it waits for the
// signal to stop instead, so that the end of standard input does not stop
// WeChat.
func consoleBesideWeChat(ctx context.Context, c *console.Console) error {
	if !c.Interactive {
		<-ctx.Done()
		return nil
	}
	return c.Run(ctx)
}
