package wechat

import (
	"regexp"
	"strings"

	"github.com/homeward-ngo/homeward/bot"
)

// buttonPrefix is the engine button prefix of what the channel presses:
// "wx.offer" (a menu click) and "wx.trip" (the way into check-ins).
const buttonPrefix = "wx"

// startPrefix is the /start payload prefix of the link from WeChat to
// Telegram: "w_<language>_<offer risk>".
const startPrefix = "w"

var (
	botNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{4,31}$`)
	// langRE is what a language tag may hold in a payload: no "_", which
	// separates the payload's parts.
	langRE = regexp.MustCompile(`^[A-Za-z0-9-]{1,35}$`)
)

// risks are the offer-check results a handoff link carries; "none" means
// the person has not finished a check.
var risks = map[string]bool{"high": true, "medium": true, "low": true, "none": true}

func validBotName(s string) bool { return botNameRE.MatchString(s) }

// press handles the channel's own buttons.
func (c *Channel) press(t *bot.Turn, data string) error {
	switch data {
	case buttonPrefix + ".offer":
		return t.StartFlow("offer", false)
	case buttonPrefix + ".trip":
		if bot.Channel(t.S.Chat) != ChatPrefix {
			// Only WeChat hands over; elsewhere the press is not ours.
			t.Notice("button.stale")
			return nil
		}
		return c.handoff(t)
	}
	t.Notice("button.stale")
	return nil
}

// handoff explains why travel check-ins cannot run on WeChat (it lets an
// account write first only within 48 hours of the person's last message, and
// only five times), and links to the Telegram bot with the person's
// language and offer-check result. The main menu follows, so that the
// numbers keep working.
func (c *Channel) handoff(t *bot.Turn) error {
	t.S.Flow, t.S.FlowHash, t.S.Step, t.S.Prompt = "", "", "", nil
	t.Say("wechat.trip.why", nil)
	if c.telegramBot == "" {
		t.Say("wechat.trip.no_link", nil)
	} else {
		link := "https://t.me/" + c.telegramBot + "?start=" + handoffPayload(t.Lang(), t.S.Answers["offer_risk"])
		t.Say("wechat.trip.link", map[string]any{"Link": link})
	}
	return t.StartFlow("main", true)
}

// handoffPayload builds the /start payload of a handoff link: at most 64
// characters of [A-Za-z0-9_-], as Telegram requires.
func handoffPayload(lang, risk string) string {
	if !langRE.MatchString(lang) {
		lang = "x" // no language known: the Telegram side asks
	}
	if !risks[risk] {
		risk = "none"
	}
	return startPrefix + "_" + lang + "_" + risk
}

// RegisterLanding registers, on the engine, the Telegram side of the
// handoff: the "/start w_<language>_<risk>" link that WeChat users follow to
// set up travel check-ins. NewChannel registers it too; a deployment that
// runs Telegram without WeChat calls it so that such links still open well.
// Call it before the engine handles updates.
func RegisterLanding(e *bot.Engine) { e.RegisterStart(startPrefix, landOnTelegram) }

// landOnTelegram handles "/start w_<language>_<risk>" on Telegram: it keeps
// the language, says what the check on WeChat found, keeps that result for
// the trip set-up, and shows the main menu, where check-ins start.
func landOnTelegram(t *bot.Turn, payload string) error {
	lang, risk, _ := strings.Cut(payload, "_")
	if t.T.Has(lang) {
		t.S.Lang = lang
	}
	if !risks[risk] {
		risk = "none"
	}
	if risk != "none" {
		if t.S.Answers == nil {
			t.S.Answers = map[string]string{}
		}
		t.S.Answers["offer_risk"] = risk
	}
	t.Say("wechat.landed."+risk, nil)
	return t.StartFlow("main", true)
}
