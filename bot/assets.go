package bot

import (
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/homeward-ngo/homeward/bot/offer"
	"github.com/homeward-ngo/homeward/content"
	"github.com/homeward-ngo/homeward/locales"
)

// LoadAssets loads the translations from localesFS and the content from
// contentFS, checks every message ID the content names against English and
// every action and validator its flows name against the engine, and
// compiles the offer patterns. It is the one way the bot, the preview, the
// tools and the tests get their assets. log receives the catalog's
// missing-translation lines; nil discards them.
func LoadAssets(contentFS, localesFS fs.FS, log *slog.Logger) (Assets, error) {
	cat, err := locales.Load(localesFS, log)
	if err != nil {
		return Assets{}, err
	}
	c, err := content.Load(contentFS, content.Checker{Message: func(id string) bool { return cat.Defined(locales.Source, id) }})
	if err != nil {
		return Assets{}, err
	}
	if err := CheckContent(c); err != nil {
		return Assets{}, err
	}
	r, err := offer.NewReader(c)
	if err != nil {
		return Assets{}, fmt.Errorf("content/patterns: %w", err)
	}
	return Assets{Content: c, Text: cat, Reader: r}, nil
}
