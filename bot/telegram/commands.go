package telegram

import (
	"context"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"golang.org/x/text/language"

	"github.com/homeward-ngo/homeward/locales"
)

// menuCommands are the commands Telegram's menu lists, in its order. Each
// has a description message "tgcmd.<command>".
var menuCommands = []string{"start", "menu", "contacts", "sos", "language", "help", "cancel", "forget"}

// setCommands sets the command menu: English as the default, and each
// language of languages.toml whose file translates every description,
// under its ISO 639-1 code (Telegram's language_code). A failure is a
// warning: the bot works without a menu.
func (b *Bot) setCommands(ctx context.Context) {
	cat := b.cfg.Text
	b.setCommandsIn(ctx, cat, "", locales.Source)
	done := map[string]bool{}
	for _, l := range cat.Languages() {
		tag, err := language.Parse(l.Tag)
		if err != nil {
			continue
		}
		base, _ := tag.Base()
		code := base.String()
		if len(code) != 2 || done[code] || !translated(cat, l.Tag) {
			continue
		}
		done[code] = true
		b.setCommandsIn(ctx, cat, code, l.Tag)
	}
}

func translated(cat *locales.Catalog, lang string) bool {
	for _, c := range menuCommands {
		if !cat.Defined(lang, "tgcmd."+c) {
			return false
		}
	}
	return true
}

func (b *Bot) setCommandsIn(ctx context.Context, cat *locales.Catalog, code, lang string) {
	cmds := make([]tgbotapi.BotCommand, 0, len(menuCommands))
	for _, c := range menuCommands {
		d := truncateUTF16(cat.Text(lang, "tgcmd."+c, nil), 256)
		cmds = append(cmds, tgbotapi.BotCommand{Command: c, Description: d})
	}
	cfg := tgbotapi.NewSetMyCommands(cmds...)
	cfg.LanguageCode = code
	if err := b.c.request(ctx, cfg, "setMyCommands"); err != nil && ctx.Err() == nil {
		b.log.Warn("telegram could not set the command menu", "language_code", code, "err", err)
	}
}

// MessageIDs lists the message IDs this package renders itself; an entry
// ending in "." stands for every ID with that prefix. The lint's check for
// unused messages can add them to bot.MessageIDs.
func MessageIDs() []string { return []string{"tg.group_private", "tgcmd."} }
