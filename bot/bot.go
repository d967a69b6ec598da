// Package bot is Homeward's conversation engine and the domain types it
// speaks. Channel adapters (bot/telegram, bot/wechat, bot/console) turn
// platform events into an Update and call Engine.Handle; the engine answers
// by writing Messages into the outbox of the store, in the same transaction
// as the session change, and each channel's dispatcher delivers them.
//
// Nothing here talks to a network. The store is an interface (Store, Tx)
// that bot/boltstore implements.
package bot

import (
	"html"
	"regexp"
	"strings"
	"time"
)

// Update is one thing a person did, as a channel adapter reports it.
type Update struct {
	// ID is the platform's unique id of the event, prefixed by channel
	// ("tg:u:8812"). An update whose ID was already handled is skipped, so a
	// redelivery never runs a step twice. Empty: never de-duplicated.
	ID   string
	Chat string // the conversation, prefixed by channel: "tg:123", "wx:openid", "cli:local"
	Hint string // the client's language hint (Telegram's language_code), may be empty
	Text string // what the person typed; a command starts with "/"
	Data string // the data of a pressed button
	// Location is a shared point; Live marks an update of a live location.
	Location *Location
	At       time.Time // when the platform says it happened; zero: now
}

// Location is a point a person shared.
type Location struct {
	Lat, Lon float64
	Live     bool
}

// Button is one button of a message. Channels without buttons show them
// numbered, and a reply with the number presses it.
type Button struct {
	Label string // rendered text
	Data  string // what a press sends back (Update.Data); at most 64 bytes
}

// Message is one outgoing message, rendered in the recipient's language when
// it was queued.
type Message struct {
	Seq  uint64 // position in the outbox, set by the store
	Chat string
	// Text uses Telegram's HTML subset (<b>, <i>, <a href>); every string a
	// user or the content supplied is escaped. Plain channels use PlainText.
	Text    string
	Buttons [][]Button
	// IDs are the message IDs the text was rendered from, in order: the
	// preview shows them and the golden tests compare them.
	IDs []string
	// Kind says what the message is for ("reply", "reminder", "alert",
	// "urgent", "allclear", "test"): metrics and priorities read it.
	Kind     string
	Queued   time.Time
	Attempts int       // failed delivery attempts so far
	NotAfter time.Time // zero: keep trying; else drop after this time
	// Trip links an alert to its trip, so that a delivery failure to a
	// guardian can be told to the traveler.
	Trip string
}

var tagRE = regexp.MustCompile(`</?(b|i|u|s|code|pre|a)(\s[^>]*)?>`)

// PlainText turns a Message's text into plain text for channels without
// markup: tags dropped, entities unescaped.
func PlainText(s string) string {
	return html.UnescapeString(tagRE.ReplaceAllString(s, ""))
}

// Channel returns the channel prefix of a chat key: "tg" for "tg:123".
func Channel(chat string) string {
	ch, _, _ := strings.Cut(chat, ":")
	return ch
}
