package bot

import (
	"slices"
	"strings"
)

// goMessages lists every message ID the Go code of this package renders
// itself (through Say, Ask, Text, TextIn, Notice, SayRaw), beyond the IDs the
// content files name. An entry ending in "." stands for every ID with that
// prefix: the code builds those IDs from data ("offer.result." + risk,
// "contact.kind." + kind, "country." + code).
//
// The lint reads this list to find English messages that nothing uses, and
// TestMessageIDsListed parses this package's sources so that an ID added to
// the code but not here fails the tests: add new IDs here.
var goMessages = []string{
	"button.stale",
	"cancel.done",
	"cancel.nothing",
	"cmd.unknown",
	"contact.as_of",
	"contact.hours",
	"contact.kind.",
	"contacts.header",
	"contacts.none",
	"contacts.other",
	"contacts.other_prompt",
	"contacts.verify",
	"country.",
	"flow.changed",
	"forget.confirm",
	"forget.done",
	"forget.kept",
	"forget.no",
	"forget.word",
	"forget.yes",
	"help",
	"input.unsupported",
	"input.use_buttons",
	"language.change_hint",
	"language.pick",
	"language.set",
	"location.not_kept",
	"offer.advice",
	"offer.found",
	"offer.from_text",
	"offer.next.",
	"offer.not_checked",
	"offer.read.found",
	"offer.read.none",
	"offer.result.",
	"offer.unsure",
	"sos.no_trip",
	"start.bad_link",
	"welcome",
}

// goButtonMessages are the IDs of goMessages that the code uses as button
// labels, which the lint holds to a label's length.
var goButtonMessages = []string{"contacts.other", "forget.no", "forget.yes"}

// MessageIDs returns the message IDs the engine's Go code renders, sorted.
// An entry ending in "." stands for every ID with that prefix.
func MessageIDs() []string {
	out := slices.Clone(goMessages)
	slices.Sort(out)
	return out
}

// ButtonMessageIDs returns the message IDs the engine's Go code uses as
// button labels, sorted.
func ButtonMessageIDs() []string {
	out := slices.Clone(goButtonMessages)
	slices.Sort(out)
	return out
}

// UsesMessage reports whether the engine's Go code renders message id, given
// MessageIDs' prefix entries.
func UsesMessage(id string) bool {
	for _, m := range goMessages {
		if m == id || (strings.HasSuffix(m, ".") && strings.HasPrefix(id, m)) {
			return true
		}
	}
	return false
}
