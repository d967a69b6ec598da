package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/homeward-ngo/homeward/bot/checkin"
)

// view renders messages for one chat of a trip in that chat's language and
// time zone: the traveler sees the destination's time, a guardian their
// home's (the traveler's nationality). It borrows a Turn whose session is
// the recipient's, read from the store and never written back.
type view struct {
	*Turn
	tr    *checkin.Trip
	loc   *time.Location
	parts []string
	ids   []string
}

func (b *tripBook) viewFor(t *Turn, tr *checkin.Trip, chat string) *view {
	s := &Session{Chat: chat}
	if chat == t.S.Chat {
		s = t.S
	} else if got, err := t.Tx.Session(chat); err == nil {
		s = got
	}
	loc := tr.Loc
	if chat != tr.Traveler {
		loc = b.loc(tr.Nationality)
	}
	if loc == nil {
		loc = time.UTC
	}
	return &view{Turn: t.with(s), tr: tr, loc: loc}
}

func (v *view) say(id string, data map[string]any) {
	v.raw(id, v.Text(id, data))
}

func (v *view) raw(id, text string) {
	v.parts = append(v.parts, text)
	v.ids = append(v.ids, id)
}

// when shows a time in the reader's zone.
func (v *view) when(at time.Time) string {
	if at.IsZero() {
		return v.Text("trip.never", nil)
	}
	return v.T.DateTime(v.Lang(), at.In(v.loc))
}

// data is what trip messages may use: the name always, and the given
// fields, each rendered only when asked for (dates in the reader's language
// are the costly part of a scheduler tick).
func (v *view) data(fields ...string) map[string]any {
	tr := v.tr
	d := map[string]any{"Name": tr.Name}
	for _, f := range fields {
		switch f {
		case "Where":
			where := HTML(v.Text("trip.location.none", nil))
			if l := tr.Location; l != nil {
				where = HTML(fmt.Sprintf(`<a href="https://www.openstreetmap.org/?mlat=%.5f&amp;mlon=%.5f">%.5f, %.5f</a> (%s)`,
					l.Lat, l.Lon, l.Lat, l.Lon, escapeText(v.when(l.At))))
			}
			d[f] = where
		case "City":
			d[f] = tr.City
			if tr.City == "" {
				d[f] = "—"
			}
		case "Country":
			d[f] = v.countryName(tr.Country)
		case "End":
			d[f] = v.when(tr.End)
		case "Due":
			d[f] = v.when(tr.Due)
		case "Last":
			d[f] = v.when(tr.LastCheckIn)
		case "Now":
			d[f] = v.when(v.Now)
		case "Since":
			if a := tr.Alert; a != nil {
				d[f] = v.when(a.Since)
			}
		}
	}
	return d
}

// all lists every field data knows.
var all = []string{"Where", "City", "Country", "End", "Due", "Last", "Now", "Since"}

// button makes a "ci." button for this trip.
func (v *view) button(label, verb string, extra ...string) Button {
	return Button{Label: v.Text(label, nil), Data: ciData(verb, v.tr.ID, extra...)}
}

func ciData(verb, trip string, extra ...string) string {
	return strings.Join(append([]string{"ci", verb, trip}, extra...), ".")
}

// send queues what was said as one message to the view's chat.
func (v *view) send(t *Turn, kind string, buttons [][]Button) {
	if len(v.parts) == 0 {
		return
	}
	t.SendTo(&Message{Chat: v.S.Chat, Text: strings.Join(v.parts, "\n\n"), Buttons: buttons,
		IDs: v.ids, Kind: kind, Trip: v.tr.ID})
	v.parts, v.ids = nil, nil
}

// guardianButtons are the buttons of every alert.
func (v *view) guardianButtons() [][]Button {
	return [][]Button{{v.button("trip.btn.ack", "ack"), v.button("trip.btn.safe", "safe")}}
}

// travelerButtons are the buttons of a reminder and a check-in reply.
func (v *view) travelerButtons() [][]Button {
	return [][]Button{
		{v.button("trip.btn.ok", "ok"), v.button("trip.btn.help", "help")},
		{v.button("trip.btn.more", "more")},
	}
}

// card is the action card for the destination: whom to call, in order (the
// country's emergency and police lines, the traveler's embassy there, their
// home country's line for citizens abroad), then what never to do.
func (v *view) card() {
	tr := v.tr
	list := v.C.ContactsFor(tr.Country, tr.Nationality)
	if len(list) == 0 {
		v.say("trip.card.none", v.data("Country"))
	} else {
		v.say("trip.card.header", v.data("Country"))
		for i, c := range list {
			v.raw("contact", fmt.Sprintf("%d. %s", i+1, v.renderContact(c)))
		}
	}
	v.say("trip.card.fees", nil)
	v.say("trip.card.evidence", nil)
}

// guardians returns the chats alerts go to: every guardian who accepted.
func guardianChats(tr *checkin.Trip, except string) []string {
	var out []string
	for _, g := range tr.Guardians {
		if !g.Accepted.IsZero() && g.Chat != except {
			out = append(out, g.Chat)
		}
	}
	return out
}

// apply queues the messages of a transition's effects and deletes a trip
// whose time is over; it reports whether the trip was deleted. note
// overrides the message of an all-clear (a "trip.allclear…" ID) or of an
// alert note (a "trip.alert.note…" ID), each only for its own kind: a late
// check-in after a missed-check-in alert is an all-clear, whatever note the
// caller had ready for an SOS.
func (b *tripBook) apply(t *Turn, tr *checkin.Trip, eff []checkin.Effect, note string) (purged bool, err error) {
	for _, e := range eff {
		switch e.Kind {
		case checkin.Purge:
			return true, b.purge(t, tr)
		case checkin.Reminder:
			if tr.Traveler == "" {
				continue
			}
			v := b.viewFor(t, tr, tr.Traveler)
			id := "trip.reminder"
			if tr.Final() {
				id = "trip.reminder.final"
			}
			v.say(id, v.data())
			v.send(t, "reminder", v.travelerButtons())
		case checkin.Started:
			v := b.viewFor(t, tr, tr.Traveler)
			v.say("trip.started", v.data("Due"))
			v.send(t, "reply", v.travelerButtons())
		default:
			for _, chat := range guardianChats(tr, e.Except) {
				v := b.viewFor(t, tr, chat)
				kind := b.guardianMessage(v, e, note)
				var buttons [][]Button
				if e.Kind == checkin.Alerting || e.Kind == checkin.Urgent || e.Kind == checkin.AlertNote {
					buttons = v.guardianButtons()
				}
				v.send(t, kind, buttons)
			}
		}
	}
	return false, nil
}

// guardianMessage says one effect to a guardian and returns the message's
// kind.
func (b *tripBook) guardianMessage(v *view, e checkin.Effect, note string) string {
	tr := v.tr
	d := v.data(all...)
	reason := checkin.Missed
	if tr.Alert != nil {
		reason = tr.Alert.Reason
	}
	switch e.Kind {
	case checkin.Alerting:
		v.say("trip.alert."+string(reason), d)
		v.say("trip.alert.details", d)
		v.say("trip.alert.todo", d)
		return "alert"
	case checkin.Urgent:
		v.say("trip.urgent."+string(reason), d)
		v.say("trip.alert.details", d)
		v.card()
		return "urgent"
	case checkin.AllClear:
		id := "trip.allclear"
		if strings.HasPrefix(note, id) {
			id = note
		}
		v.say(id, d)
		return "allclear"
	case checkin.Acked:
		v.say("trip.acked", d)
		return "alert"
	case checkin.AlertNote:
		id := "trip.alert.note"
		if strings.HasPrefix(note, id) {
			id = note
		}
		v.say(id, d)
		return "alert"
	}
	return "alert"
}

// sendTest queues the test alert to a guardian.
func (b *tripBook) sendTest(t *Turn, tr *checkin.Trip, chat string) {
	v := b.viewFor(t, tr, chat)
	v.say("trip.test", v.data())
	v.send(t, "test", [][]Button{{v.button("trip.btn.test", "test")}})
}

// tellTraveler queues a message to the traveler, unless an alert is out:
// then nothing goes to a phone that may be in someone else's hands.
func (b *tripBook) tellTraveler(t *Turn, tr *checkin.Trip, id string, data map[string]any) {
	if tr.Traveler == "" || tr.State == checkin.Alerted {
		return
	}
	v := b.viewFor(t, tr, tr.Traveler)
	d := v.data()
	for k, x := range data {
		d[k] = x
	}
	v.say(id, d)
	v.send(t, "reply", nil)
}

// purge deletes a trip with its links, invites, due entry and the messages
// still queued about it.
func (b *tripBook) purge(t *Turn, tr *checkin.Trip) error {
	chats := map[string]bool{tr.Owner: true}
	if tr.Traveler != "" {
		chats[tr.Traveler] = true
	}
	for _, g := range tr.Guardians {
		chats[g.Chat] = true
	}
	for c := range chats {
		if err := t.Tx.UnlinkChat(c, tr.ID); err != nil {
			return err
		}
	}
	if err := t.Tx.DropTripMessages(tr.ID); err != nil {
		return err
	}
	return t.Tx.DeleteTrip(tr.ID)
}
