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
	"contact.hours_24h",
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
	// Travel check-ins (trip*.go).
	"trip.ack.done",
	"trip.acked",
	"trip.alert.",
	"trip.alert.details",
	"trip.alert.note",
	"trip.alert.note_end",
	"trip.alert.note_more",
	"trip.alert.todo",
	"trip.allclear",
	"trip.allclear.resolved",
	"trip.bad.city",
	"trip.bad.code",
	"trip.bad.days",
	"trip.bad.grace",
	"trip.bad.interval",
	"trip.bad.name",
	"trip.bad.times",
	"trip.btn.ack",
	"trip.btn.agree",
	"trip.btn.code",
	"trip.btn.decline",
	"trip.btn.end",
	"trip.btn.end_no",
	"trip.btn.end_yes",
	"trip.btn.guard_no",
	"trip.btn.guard_yes",
	"trip.btn.help",
	"trip.btn.invite",
	"trip.btn.leave",
	"trip.btn.more",
	"trip.btn.ok",
	"trip.btn.remove",
	"trip.btn.safe",
	"trip.btn.test",
	"trip.card.evidence",
	"trip.card.fees",
	"trip.card.header",
	"trip.card.none",
	"trip.checkin.closed",
	"trip.checkin.ok",
	"trip.code.saved",
	"trip.consent",
	"trip.consent.done",
	"trip.consent.family",
	"trip.consent.no",
	"trip.declined",
	"trip.deleted",
	"trip.deleted.alert",
	"trip.end.confirm",
	"trip.end.done",
	"trip.end.kept",
	"trip.guardian.accepted",
	"trip.guardian.accepted_wait",
	"trip.guardian.ask",
	"trip.guardian.left",
	"trip.guardian.left_you",
	"trip.guardian.line",
	"trip.guardian.ready",
	"trip.guardian.removed",
	"trip.guardian.removed_you",
	"trip.guardian.state.invited",
	"trip.guardian.state.ready",
	"trip.guardian.state.test",
	"trip.guardian.state.unreachable",
	"trip.guardian.unreachable",
	"trip.guardians",
	"trip.guardians.none",
	"trip.guardians.none_ready",
	"trip.intro",
	"trip.invite.bad",
	"trip.invite.guardian",
	"trip.invite.self",
	"trip.invite.traveler",
	"trip.location.kept",
	"trip.location.none",
	"trip.more.none",
	"trip.more.ok",
	"trip.never",
	"trip.none",
	"trip.not_started",
	"trip.not_started.consent",
	"trip.reminder",
	"trip.reminder.final",
	"trip.schedule.every",
	"trip.schedule.times",
	"trip.sos.sent",
	"trip.started",
	"trip.state.",
	"trip.status",
	"trip.status.guardian",
	"trip.status.guardian_prompt",
	"trip.status.owner",
	"trip.status.prompt",
	"trip.test",
	"trip.test.ok",
	"trip.urgent.",
	"trip.wait_test",
}

// goButtonMessages are the IDs of goMessages that the code uses as button
// labels, which the lint holds to a label's length.
var goButtonMessages = []string{"contacts.other", "forget.no", "forget.yes",
	// Travel check-ins.
	"trip.btn.ack", "trip.btn.agree", "trip.btn.code", "trip.btn.decline", "trip.btn.end", "trip.btn.end_no", "trip.btn.end_yes", "trip.btn.guard_no", "trip.btn.guard_yes", "trip.btn.help", "trip.btn.invite", "trip.btn.leave", "trip.btn.more", "trip.btn.ok", "trip.btn.remove", "trip.btn.safe", "trip.btn.test"}

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
