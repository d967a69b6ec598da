// Package checkin is the pure core of travel check-ins: trips, their
// schedules, the escalation ladder and the duress code. Nothing here reads a
// clock, a file or the network: every function is given the time, and
// returns what should be said (Effects) for the engine to render and queue.
//
// A trip moves through states:
//
//	Pending  created; waiting for the traveler to accept the consent text
//	Setup    accepted; waiting for a guardian who acknowledged a test alert
//	Active   check-ins running: due → reminder → grace over → alert
//	Alerted  guardians alerted; URGENT with the action card, repeated until a
//	         guardian acknowledges; a late check-in sends the all-clear
//	Ended    over; deleted Policy.Retention later
//
// Each trip has exactly one next wake-up (Trip.NextWake); the store keeps it
// as one entry of the due index, and Advance does whatever has become due by
// the time it is called, so a late or repeated wake-up does no harm.
package checkin

import (
	"crypto/pbkdf2"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode"
)

// State is where a trip is in its life.
type State string

// The states of a trip.
const (
	Pending State = "pending"
	Setup   State = "setup"
	Active  State = "active"
	Alerted State = "alerted"
	Ended   State = "ended"
)

// Reason says why guardians were alerted.
type Reason string

// Reasons for an alert.
const (
	Missed Reason = "missed" // no check-in by the end of the grace period
	SOS    Reason = "sos"    // the traveler asked for help
	Duress Reason = "duress" // the traveler used the duress code
)

// Policy holds a trip's ladder timings. It is copied into the trip when the
// trip is created, so that a change of configuration never changes a trip
// that is under way.
type Policy struct {
	Grace         time.Duration `json:"grace"`          // after a missed check-in, before guardians are told
	UrgentAfter   time.Duration `json:"urgent_after"`   // from the first alert to the URGENT one
	Repeat        time.Duration `json:"repeat"`         // between URGENT repeats while nobody acknowledged
	MaxRepeats    int           `json:"max_repeats"`    // URGENT repeats at most
	Extension     time.Duration `json:"extension"`      // what "I need more time" adds
	MaxExtensions int           `json:"max_extensions"` // per trip
	Retention     time.Duration `json:"retention"`      // after the end, before the trip is deleted
	SetupTTL      time.Duration `json:"setup_ttl"`      // a trip that never starts is deleted after this
	// Early is how long before a fixed check-in time a check-in already
	// counts for it.
	Early time.Duration `json:"early"`
}

// Schedule is when check-ins are due: every Every, or at fixed local times.
type Schedule struct {
	Every time.Duration `json:"every,omitempty"`
	Times []int         `json:"times,omitempty"` // minutes after local midnight, sorted
}

// Next returns the first due time after a check-in at after: after+Every, or
// the first fixed local time more than early after it.
func (s Schedule) Next(after time.Time, loc *time.Location, early time.Duration) time.Time {
	if len(s.Times) == 0 {
		return after.Add(s.Every)
	}
	if loc == nil {
		loc = time.UTC
	}
	from := after.Add(early)
	l := after.In(loc)
	for day := 0; day < 3; day++ {
		for _, m := range s.Times {
			// time.Date normalises day overflow and DST gaps.
			c := time.Date(l.Year(), l.Month(), l.Day()+day, m/60, m%60, 0, 0, loc)
			if c.After(from) {
				return c.UTC()
			}
		}
	}
	return after.Add(24 * time.Hour) // unreachable with at least one time
}

// ParseTimes reads fixed local check-in times: "08:00 20:00", "8 20",
// "9:30, 21:30". It returns minutes after midnight, sorted, without repeats.
func ParseTimes(s string) ([]int, error) {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) })
	if len(f) == 0 {
		return nil, errors.New("no times")
	}
	var out []int
	for _, x := range f {
		h, m, hasM := strings.Cut(strings.ReplaceAll(x, ".", ":"), ":")
		hh, ok1 := atoi(h)
		mm, ok2 := 0, true
		if hasM {
			mm, ok2 = atoi(m)
		}
		if !ok1 || !ok2 || hh > 23 || mm > 59 || len(h) > 2 || (hasM && len(m) != 2) {
			return nil, errors.New("not a time: " + x)
		}
		out = append(out, hh*60+mm)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func atoi(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, true
}

// Guardian is a person the traveler invited to be alerted. Chat is their
// chat key; nothing else about them is kept.
type Guardian struct {
	Chat        string    `json:"chat"`
	Invited     time.Time `json:"invited"`              // opened the invite
	Accepted    time.Time `json:"accepted,omitzero"`    // accepted the role
	TestSent    time.Time `json:"test_sent,omitzero"`   // the test alert was queued
	TestAcked   time.Time `json:"test_acked,omitzero"`  // acknowledged the test alert
	Unreachable time.Time `json:"unreachable,omitzero"` // a message to them could not be delivered
}

// Ready reports whether alerts to the guardian are known to arrive.
func (g *Guardian) Ready() bool { return !g.TestAcked.IsZero() && g.Unreachable.IsZero() }

// Location is the last place the traveler shared.
type Location struct {
	Lat  float64   `json:"lat"`
	Lon  float64   `json:"lon"`
	At   time.Time `json:"at"`
	Live bool      `json:"live,omitempty"`
}

// Alert is an alert that has gone out to the guardians.
type Alert struct {
	Reason  Reason    `json:"reason"`
	Since   time.Time `json:"since"`
	Sent    time.Time `json:"sent"`    // the last message of the ladder
	Stage   int       `json:"stage"`   // 1: "has not checked in", 2: URGENT
	Repeats int       `json:"repeats"` // URGENT repeats sent
	Acked   bool      `json:"acked,omitempty"`
	AckBy   string    `json:"ack_by,omitempty"` // the guardian "on it"; cleared if they leave
	AckAt   time.Time `json:"ack_at,omitzero"`
}

// Event is one line of a trip's log. It names no one.
type Event struct {
	At   time.Time `json:"at"`
	What string    `json:"what"`
}

// maxLog bounds a trip's log: enough to see the last days of a trip, small
// enough that reading and writing a trip stays cheap.
const maxLog = 20

// Secret is a salted, stretched hash of the duress code.
type Secret struct {
	Salt []byte `json:"salt"`
	Hash []byte `json:"hash"`
}

const secretIter = 10000

// NewSecret hashes a duress code with a salt the caller drew at random.
func NewSecret(code string, salt []byte) (*Secret, error) {
	h, err := pbkdf2.Key(sha256.New, NormalizeCode(code), salt, secretIter, 32)
	if err != nil {
		return nil, err
	}
	return &Secret{Salt: salt, Hash: h}, nil
}

// Matches reports whether code is the secret's code.
func (s *Secret) Matches(code string) bool {
	if s == nil || code == "" {
		return false
	}
	h, err := pbkdf2.Key(sha256.New, NormalizeCode(code), s.Salt, secretIter, 32)
	return err == nil && subtle.ConstantTimeCompare(h, s.Hash) == 1
}

// NormalizeCode folds case and spacing, so that "Blue Bird" and "blue  bird"
// are one code.
func NormalizeCode(code string) string {
	return strings.ToLower(strings.Join(strings.Fields(code), " "))
}

// Trip is one trip with check-ins. Times are UTC.
type Trip struct {
	ID       string `json:"id"`
	Owner    string `json:"owner"`              // the chat that created it
	Traveler string `json:"traveler,omitempty"` // empty until the traveler opens the invite

	Name        string `json:"name"`        // what the traveler chose to be called
	Nationality string `json:"nationality"` // ISO code
	Country     string `json:"country"`     // destination, ISO code
	City        string `json:"city,omitempty"`
	Zone        string `json:"zone"` // IANA zone of the destination
	// Loc is Zone loaded; the caller sets it (loading reads tzdata, and this
	// package does no I/O). Nil: UTC.
	Loc *time.Location `json:"-"`

	Created time.Time `json:"created"`
	Consent time.Time `json:"consent,omitzero"`
	Start   time.Time `json:"start,omitzero"`
	End     time.Time `json:"end"` // the last check-in is due then
	Ended   time.Time `json:"ended,omitzero"`

	Schedule  Schedule   `json:"schedule"`
	Policy    Policy     `json:"policy"`
	Guardians []Guardian `json:"guardians,omitempty"`

	State State `json:"state"`
	// Due is the next check-in deadline; Reminded is when the traveler was
	// reminded of it (zero: not yet).
	Due         time.Time   `json:"due,omitzero"`
	Reminded    time.Time   `json:"reminded,omitzero"`
	LastCheckIn time.Time   `json:"last_checkin,omitzero"`
	Location    *Location   `json:"location,omitempty"`
	Extensions  []time.Time `json:"extensions,omitempty"`
	Alert       *Alert      `json:"alert,omitempty"`
	Duress      *Secret     `json:"duress,omitempty"`

	// Invites are the hashes (hex) of the trip's open invites, so that they
	// are deleted with it.
	Invites []string `json:"invites,omitempty"`
	Log     []Event  `json:"log,omitempty"`

	// Wake is the time of the trip's entry in the due index, as last
	// written; the store moves the entry when NextWake differs.
	Wake time.Time `json:"wake,omitzero"`
}

// Kind is what an Effect says.
type Kind string

// The effects of a transition.
const (
	Reminder  Kind = "reminder"  // to the traveler: a check-in is due
	Alerting  Kind = "alert"     // to guardians: has not checked in / SOS / duress
	Urgent    Kind = "urgent"    // to guardians: URGENT, with the action card
	AllClear  Kind = "allclear"  // to guardians: the traveler is fine
	Acked     Kind = "ack"       // to the other guardians: one of them is on it
	AlertNote Kind = "alertnote" // to guardians: the traveler checked in or ended after an SOS or duress alert; the alert stays
	Started   Kind = "started"   // to the traveler: check-ins have started
	Purge     Kind = "purge"     // for the store: delete the trip
)

// Effect is one thing a transition asks the engine to do.
type Effect struct {
	Kind   Kind
	Except string // for guardian messages: leave this guardian out
	Repeat int    // for Urgent: 0 the first time, then 1, 2, …
}

// ToGuardians reports whether an effect is for the guardians.
func (e Effect) ToGuardians() bool {
	switch e.Kind {
	case Alerting, Urgent, AllClear, Acked, AlertNote:
		return true
	}
	return false
}

func (t *Trip) log(at time.Time, what string) {
	t.Log = append(t.Log, Event{At: at, What: what})
	if len(t.Log) > maxLog {
		t.Log = slices.Delete(t.Log, 0, len(t.Log)-maxLog)
	}
}

// loc returns the destination's time zone; UTC if the caller did not set it.
func (t *Trip) loc() *time.Location {
	if t.Loc != nil {
		return t.Loc
	}
	return time.UTC
}

// clip drops what is below a second: every time a trip keeps is a whole
// second, like the due index's keys, so that a deadline and its wake-up are
// the same instant.
func clip(now time.Time) time.Time { return now.UTC().Truncate(time.Second) }

// nextDue is the deadline after a check-in at now: the schedule's next time,
// but never past the end of the trip.
func (t *Trip) nextDue(now time.Time) time.Time {
	now = clip(now)
	d := t.Schedule.Next(now, t.loc(), t.Policy.Early)
	if !t.End.IsZero() && d.After(t.End) && now.Before(t.End) {
		d = t.End
	}
	return d
}

// Final reports whether the current deadline is the trip's end.
func (t *Trip) Final() bool { return !t.End.IsZero() && !t.Due.Before(t.End) }

// Ready counts the guardians alerts are known to reach.
func (t *Trip) Ready() int {
	n := 0
	for i := range t.Guardians {
		if t.Guardians[i].Ready() {
			n++
		}
	}
	return n
}

// Guardian returns the guardian with a chat key, or nil.
func (t *Trip) Guardian(chat string) *Guardian {
	for i := range t.Guardians {
		if t.Guardians[i].Chat == chat {
			return &t.Guardians[i]
		}
	}
	return nil
}

// Live reports whether the trip is being watched: alerts can go out.
func (t *Trip) Live() bool { return t.State == Active || t.State == Alerted }

// NextWake returns when the trip next needs Advance; zero: never.
func (t *Trip) NextWake() time.Time {
	p := t.Policy
	switch t.State {
	case Pending, Setup:
		return t.Created.Add(p.SetupTTL)
	case Active:
		if t.Reminded.IsZero() {
			return t.Due
		}
		return t.Due.Add(p.Grace)
	case Alerted:
		purge := t.purgeAt()
		a := t.Alert
		if a == nil || a.Acked || a.Repeats >= p.MaxRepeats {
			return purge
		}
		next := a.Sent.Add(p.Repeat)
		if a.Stage < 2 {
			next = a.Since.Add(p.UrgentAfter)
		}
		if next.Before(purge) {
			return next
		}
		return purge
	case Ended:
		return t.Ended.Add(p.Retention)
	}
	return time.Time{}
}

// purgeAt is when an alerted trip is deleted: the retention after the later
// of its end and the alert.
func (t *Trip) purgeAt() time.Time {
	from := t.End
	if t.Alert != nil && t.Alert.Since.After(from) {
		from = t.Alert.Since
	}
	return from.Add(t.Policy.Retention)
}

// Advance does what has become due by now: the reminder, the alert, the
// URGENT step and its repeats, the deletion. Calling it early does nothing;
// calling it late does what is due at once (a reminder whose grace is also
// over is skipped: the alert goes out instead).
func (t *Trip) Advance(now time.Time) []Effect {
	now = clip(now)
	var eff []Effect
	p := t.Policy
	switch t.State {
	case Pending, Setup:
		if !now.Before(t.Created.Add(p.SetupTTL)) {
			eff = append(eff, Effect{Kind: Purge})
		}
	case Active:
		if now.Before(t.Due) {
			break
		}
		if !now.Before(t.Due.Add(p.Grace)) {
			eff = append(eff, t.raise(now, Missed)...)
			break
		}
		if t.Reminded.IsZero() {
			t.Reminded = now
			t.log(now, "reminder")
			eff = append(eff, Effect{Kind: Reminder})
		}
	case Alerted:
		if !now.Before(t.purgeAt()) {
			eff = append(eff, Effect{Kind: Purge})
			break
		}
		a := t.Alert
		if a == nil || a.Acked || a.Repeats >= p.MaxRepeats {
			break
		}
		switch {
		case a.Stage < 2 && !now.Before(a.Since.Add(p.UrgentAfter)):
			a.Stage, a.Sent = 2, now
			t.log(now, "urgent")
			eff = append(eff, Effect{Kind: Urgent})
		case a.Stage >= 2 && !now.Before(a.Sent.Add(p.Repeat)):
			a.Sent = now
			a.Repeats++
			t.log(now, "urgent repeat")
			eff = append(eff, Effect{Kind: Urgent, Repeat: a.Repeats})
		}
	case Ended:
		if !now.Before(t.Ended.Add(p.Retention)) {
			eff = append(eff, Effect{Kind: Purge})
		}
	}
	return eff
}

// raise alerts the guardians. An alert already out is sent again, and an SOS
// or duress reason replaces "missed".
func (t *Trip) raise(now time.Time, r Reason) []Effect {
	now = clip(now)
	t.log(now, "alert "+string(r))
	if t.State == Alerted && t.Alert != nil {
		if r != Missed {
			t.Alert.Reason = r
		}
		t.Alert.Sent, t.Alert.Stage = now, 1
		t.Alert.Since = now
		t.Alert.Acked, t.Alert.AckBy, t.Alert.AckAt = false, "", time.Time{}
		t.Alert.Repeats = 0
		return []Effect{{Kind: Alerting}}
	}
	t.State = Alerted
	t.Alert = &Alert{Reason: r, Since: now, Sent: now, Stage: 1}
	return []Effect{{Kind: Alerting}}
}

// Reply is what the traveler is told after a check-in, an extension or an
// end. It is computed the same way whether or not the duress code was used,
// so that the reply gives nothing away.
type Reply struct {
	Next   time.Time // the next deadline
	Closed bool      // the trip is over
	Denied bool      // an extension was refused: none left
	Left   int       // extensions left
}

// CheckIn records that the traveler is fine ("I'm OK"), or, with duress,
// that they were made to say so. A late check-in after a missed-check-in
// alert sends the all-clear; after an SOS or a duress alert the alert stays
// (a captor could force a check-in) and the guardians are told. A check-in
// at or after the end closes the trip.
func (t *Trip) CheckIn(now time.Time, duress bool) (Reply, []Effect) {
	now = clip(now)
	var eff []Effect
	if !t.Live() {
		return Reply{Closed: t.State == Ended}, nil
	}
	t.LastCheckIn = now
	t.log(now, "check-in")
	closing := !now.Before(t.End)
	reply := Reply{Next: t.nextDue(now), Closed: closing}
	if t.State == Alerted && !duress {
		if t.Alert.Reason == Missed {
			t.log(now, "all-clear")
			eff = append(eff, Effect{Kind: AllClear})
			t.State, t.Alert = Active, nil
		} else {
			eff = append(eff, Effect{Kind: AlertNote})
		}
	}
	if duress {
		eff = append(eff, t.raise(now, Duress)...)
	}
	t.Due, t.Reminded = reply.Next, time.Time{}
	if closing && t.State == Active {
		t.end(now)
	}
	return reply, eff
}

// Extend pushes the deadline back by Policy.Extension ("I need more time"),
// at most Policy.MaxExtensions times a trip. With duress it alerts, and the
// reply is what it would have been.
func (t *Trip) Extend(now time.Time, duress bool) (Reply, []Effect) {
	now = clip(now)
	if !t.Live() {
		return Reply{Denied: true}, nil
	}
	left := t.Policy.MaxExtensions - len(t.Extensions)
	base := t.Due
	if base.Before(now) {
		base = now
	}
	reply := Reply{Next: base.Add(t.Policy.Extension), Left: left - 1}
	if left <= 0 {
		reply = Reply{Denied: true, Next: t.Due}
	}
	var eff []Effect
	if duress {
		eff = append(eff, t.raise(now, Duress)...)
	} else if t.State == Alerted {
		if t.Alert.Reason != Missed {
			// A captor would want exactly this: it changes nothing.
			return reply, []Effect{{Kind: AlertNote}}
		}
		t.LastCheckIn = now
		t.log(now, "all-clear")
		eff = append(eff, Effect{Kind: AllClear})
		t.State, t.Alert = Active, nil
		if reply.Denied {
			// Asking for time is a sign of life: count it as a check-in.
			reply.Next = t.nextDue(now)
			t.Due, t.Reminded = reply.Next, time.Time{}
			return reply, eff
		}
	}
	if !reply.Denied {
		t.Extensions = append(t.Extensions, now)
		t.log(now, "extension")
		t.Due, t.Reminded = reply.Next, time.Time{}
	}
	return reply, eff
}

// EndTrip ends the trip at the traveler's word. Guardians hear nothing
// unless an alert was out (then the all-clear). With duress, or during an
// SOS or duress alert, the trip does not end: the guardians are alerted or
// told, and the traveler's reply is that of a normal end.
func (t *Trip) EndTrip(now time.Time, duress bool) (Reply, []Effect) {
	now = clip(now)
	reply := Reply{Closed: true}
	switch {
	case duress && t.Live():
		return reply, t.raise(now, Duress)
	case t.State == Alerted && t.Alert.Reason != Missed:
		t.log(now, "end refused during alert")
		return reply, []Effect{{Kind: AlertNote}}
	case t.State == Alerted:
		t.log(now, "all-clear")
		t.Alert = nil
		t.end(now)
		return reply, []Effect{{Kind: AllClear}}
	case t.State == Pending || t.State == Setup:
		t.end(now)
		return reply, []Effect{{Kind: Purge}}
	case t.State == Active:
		t.end(now)
	}
	return reply, nil
}

func (t *Trip) end(now time.Time) {
	now = clip(now)
	t.State, t.Ended, t.Reminded = Ended, now, time.Time{}
	t.log(now, "ended")
}

// SOS alerts the guardians at once ("I need help", /sos).
func (t *Trip) SOS(now time.Time) []Effect {
	now = clip(now)
	if !t.Live() {
		return nil
	}
	return t.raise(now, SOS)
}

// Ack records that a guardian is dealing with the alert: the URGENT repeats
// stop and the other guardians are told.
func (t *Trip) Ack(guardian string, now time.Time) []Effect {
	now = clip(now)
	if t.State != Alerted || t.Alert == nil || t.Alert.Acked || t.Guardian(guardian) == nil {
		return nil
	}
	t.Alert.Acked, t.Alert.AckBy, t.Alert.AckAt = true, guardian, now
	t.log(now, "acknowledged")
	return []Effect{{Kind: Acked, Except: guardian}}
}

// Resolve is a guardian's word that the traveler is safe: the all-clear goes
// to every guardian and the check-ins resume (or the trip ends, past its end).
func (t *Trip) Resolve(guardian string, now time.Time) []Effect {
	now = clip(now)
	if t.State != Alerted || t.Guardian(guardian) == nil {
		return nil
	}
	t.log(now, "resolved by a guardian")
	t.State, t.Alert = Active, nil
	if !now.Before(t.End) {
		t.end(now)
	} else {
		t.Due, t.Reminded = t.nextDue(now), time.Time{}
	}
	return []Effect{{Kind: AllClear}}
}

// Accept records the traveler's consent: the trip waits for a guardian.
// Guardians who accepted before (the family member who registered the trip)
// then get their test alert: the caller sends it to TestsDue.
func (t *Trip) Accept(traveler string, now time.Time) bool {
	now = clip(now)
	if t.State != Pending || (t.Traveler != "" && t.Traveler != traveler) {
		return false
	}
	t.Traveler, t.Consent, t.State = traveler, now, Setup
	t.log(now, "consent")
	return true
}

// AddGuardian records a chat that opened a guardian invite. It may not be
// the traveler.
func (t *Trip) AddGuardian(chat string, now time.Time) bool {
	now = clip(now)
	if chat == t.Traveler || t.Guardian(chat) != nil || t.State == Ended {
		return false
	}
	t.Guardians = append(t.Guardians, Guardian{Chat: chat, Invited: now})
	return true
}

// AcceptGuardian records a guardian's yes. It reports whether the test
// alert should be sent now (the traveler has consented).
func (t *Trip) AcceptGuardian(chat string, now time.Time) (sendTest bool) {
	now = clip(now)
	g := t.Guardian(chat)
	if g == nil || !g.Accepted.IsZero() {
		return false
	}
	g.Accepted = now
	t.log(now, "guardian accepted")
	return t.State != Pending && t.markTest(g, now)
}

// TestsDue marks and returns the guardians who accepted but have not been
// sent the test alert yet.
func (t *Trip) TestsDue(now time.Time) []string {
	now = clip(now)
	var out []string
	for i := range t.Guardians {
		g := &t.Guardians[i]
		if !g.Accepted.IsZero() && t.markTest(g, now) {
			out = append(out, g.Chat)
		}
	}
	return out
}

func (t *Trip) markTest(g *Guardian, now time.Time) bool {
	now = clip(now)
	if !g.TestSent.IsZero() {
		return false
	}
	g.TestSent = now
	return true
}

// AckTest records a guardian's acknowledgement of the test alert. When the
// trip was waiting for one, the check-ins start.
func (t *Trip) AckTest(chat string, now time.Time) []Effect {
	now = clip(now)
	g := t.Guardian(chat)
	if g == nil || g.TestSent.IsZero() || !g.TestAcked.IsZero() {
		return nil
	}
	g.TestAcked, g.Unreachable = now, time.Time{}
	t.log(now, "test acknowledged")
	if t.State == Setup {
		t.State, t.Start = Active, now
		t.LastCheckIn = now
		t.Due, t.Reminded = t.nextDue(now), time.Time{}
		t.log(now, "started")
		return []Effect{{Kind: Started}}
	}
	return nil
}

// RemoveGuardian removes a guardian; an acknowledgement they gave is kept
// without their name.
func (t *Trip) RemoveGuardian(chat string, now time.Time) bool {
	now = clip(now)
	i := slices.IndexFunc(t.Guardians, func(g Guardian) bool { return g.Chat == chat })
	if i < 0 {
		return false
	}
	t.Guardians = slices.Delete(t.Guardians, i, i+1)
	if t.Alert != nil && t.Alert.AckBy == chat {
		t.Alert.AckBy = ""
	}
	t.log(now, "guardian removed")
	return true
}

// MarkUnreachable records that a message to a guardian could not be
// delivered; it reports whether this is news.
func (t *Trip) MarkUnreachable(chat string, now time.Time) bool {
	now = clip(now)
	g := t.Guardian(chat)
	if g == nil || !g.Unreachable.IsZero() {
		return false
	}
	g.Unreachable = now
	t.log(now, "guardian unreachable")
	return true
}

// SetLocation keeps a shared location as the last one; only the latest is
// kept.
func (t *Trip) SetLocation(lat, lon float64, live bool, now time.Time) bool {
	now = clip(now)
	if t.State == Ended || t.State == Pending {
		return false
	}
	t.Location = &Location{Lat: lat, Lon: lon, At: now, Live: live}
	return true
}
