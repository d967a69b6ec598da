package wechat

import "slices"

// messages lists every message ID this package renders. An entry ending in
// "." stands for every ID with that prefix ("wechat.landed." + risk). The
// lint reads it (through MessageIDs) to tell used English messages from
// unused ones; TestMessageIDs checks it against locales/active.en.toml.
var messages = []string{
	"wechat.landed.",
	"wechat.more",
	"wechat.trip.link",
	"wechat.trip.no_link",
	"wechat.trip.why",
}

// MessageIDs returns the message IDs the WeChat channel renders, sorted. An
// entry ending in "." stands for every ID with that prefix.
func MessageIDs() []string {
	out := slices.Clone(messages)
	slices.Sort(out)
	return out
}
