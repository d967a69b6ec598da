package bot

import (
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/homeward-ngo/homeward/bot/checkin"
)

// chatTrips loads the trips a chat has a role in.
func (b *tripBook) chatTrips(t *Turn) ([]*checkin.Trip, error) {
	links, err := t.Tx.ChatTrips(t.S.Chat)
	if err != nil {
		return nil, err
	}
	var out []*checkin.Trip
	for _, l := range links {
		tr, err := b.load(t.Tx, l.Trip)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, tr)
	}
	return out, nil
}

// travelerTrips returns the chat's own trips that are being watched.
func (b *tripBook) travelerTrips(t *Turn) ([]*checkin.Trip, error) {
	all, err := b.chatTrips(t)
	var out []*checkin.Trip
	for _, tr := range all {
		if tr.Traveler == t.S.Chat && tr.Live() {
			out = append(out, tr)
		}
	}
	return out, err
}

// noLiveTrip answers /ok or /more when none of the chat's trips is being
// watched: a trip that has not started yet says what it waits for and
// what to do; otherwise there is no trip.
func (b *tripBook) noLiveTrip(t *Turn) error {
	all, err := b.chatTrips(t)
	if err != nil {
		return err
	}
	for _, tr := range all {
		if tr.Traveler != t.S.Chat {
			continue
		}
		switch tr.State {
		case checkin.Setup:
			t.Say("trip.not_started", nil)
			return nil
		case checkin.Pending:
			t.Say("trip.not_started.consent", nil)
			return nil
		}
	}
	t.Say("trip.none", nil)
	return nil
}

// cmdTrip shows the chat's trips: for the traveler, who is alerted and what
// they can do; for a guardian, whose trip it is. Without a trip it offers to
// set one up.
func (b *tripBook) cmdTrip(t *Turn, _ string) error {
	t.S.clearFlow()
	trips, err := b.chatTrips(t)
	if err != nil {
		return err
	}
	if len(trips) == 0 {
		t.Say("trip.intro", nil)
		return t.StartFlow("trip", false)
	}
	for _, tr := range trips {
		b.status(t, tr)
	}
	return nil
}

// status shows one trip to the chat, with the buttons its role allows.
func (b *tripBook) status(t *Turn, tr *checkin.Trip) {
	v := b.viewFor(t, tr, t.S.Chat)
	d := v.data(all...)
	d["State"] = v.Text("trip.state."+string(tr.State), nil)
	chat := t.S.Chat
	if tr.Traveler != chat {
		if tr.Guardian(chat) != nil {
			v.say("trip.status.guardian", d)
			t.SayRaw("trip.status.guardian", strings.Join(v.parts, "\n\n"))
			t.Ask("trip.status.guardian_prompt", nil, [][]Button{{v.button("trip.btn.leave", "leave")}})
			return
		}
		// The family member who registered it, before the traveler came.
		v.say("trip.status.owner", d)
		t.SayRaw("trip.status.owner", strings.Join(v.parts, "\n\n"))
		t.Ask("trip.status.prompt", nil, [][]Button{{v.button("trip.btn.end", "end")}})
		return
	}
	if tr.State == checkin.Pending {
		b.askConsent(t, tr, "trip.consent")
		return
	}
	t.SayRaw("trip.status", v.Text("trip.status", d))
	var lines []string
	var rm []Button
	for i, g := range tr.Guardians {
		state := "trip.guardian.state.invited"
		switch {
		case !g.Unreachable.IsZero():
			state = "trip.guardian.state.unreachable"
		case g.Ready():
			state = "trip.guardian.state.ready"
		case !g.Accepted.IsZero():
			state = "trip.guardian.state.test"
		}
		n := strconv.Itoa(i + 1)
		lines = append(lines, v.Text("trip.guardian.line", map[string]any{"N": n, "Since": v.when(g.Invited), "State": v.Text(state, nil)}))
		rm = append(rm, Button{Label: v.Text("trip.btn.remove", map[string]any{"N": n}), Data: ciData("rm", tr.ID, n)})
	}
	if len(lines) == 0 {
		t.Say("trip.guardians.none", nil)
	} else {
		t.SayRaw("trip.guardians", v.Text("trip.guardians", nil)+"\n"+strings.Join(lines, "\n"))
	}
	rows := [][]Button{{v.button("trip.btn.invite", "inv"), v.button("trip.btn.code", "code")}}
	if tr.Live() {
		rows = append(rows, []Button{v.button("trip.btn.ok", "ok"), v.button("trip.btn.help", "help")})
	}
	if len(rm) > 0 {
		rows = append(rows, rm)
	}
	rows = append(rows, []Button{v.button("trip.btn.end", "end")})
	t.Ask("trip.status.prompt", nil, rows)
}

// askConsent shows the consent text: what is shared, with whom, when, for
// how long, and how to stop.
func (b *tripBook) askConsent(t *Turn, tr *checkin.Trip, id string) {
	v := b.viewFor(t, tr, t.S.Chat)
	d := v.data(all...)
	d["Days"] = int(tr.Policy.Retention.Hours() / 24)
	d["Grace"] = v.T.Duration(v.Lang(), tr.Policy.Grace)
	d["Schedule"] = b.scheduleText(v)
	t.Ask(id, d, [][]Button{{v.button("trip.btn.agree", "yes"), v.button("trip.btn.decline", "no")}})
}

// scheduleText says when check-ins are due, in the reader's words.
func (b *tripBook) scheduleText(v *view) string {
	s := v.tr.Schedule
	if len(s.Times) == 0 {
		return v.Text("trip.schedule.every", map[string]any{"Every": v.T.Duration(v.Lang(), s.Every)})
	}
	var ts []string
	for _, m := range s.Times {
		ts = append(ts, strconv.Itoa(m/60)+":"+pad2(m%60))
	}
	return v.Text("trip.schedule.times", map[string]any{"Times": strings.Join(ts, ", "), "Zone": v.tr.Zone})
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// cmdSOS alerts the guardians of every trip the chat is on at once, with
// the last location, and shows whom to call. Without a trip it is the
// built-in /sos.
func (b *tripBook) cmdSOS(t *Turn, arg string) error {
	trips, err := b.travelerTrips(t)
	if err != nil {
		return err
	}
	if len(trips) == 0 {
		return t.cmdSOS(arg)
	}
	return b.sos(t, trips)
}

func (b *tripBook) sos(t *Turn, trips []*checkin.Trip) error {
	for _, tr := range trips {
		if _, err := b.apply(t, tr, tr.SOS(t.Now), ""); err != nil {
			return err
		}
		if err := b.save(t.Tx, tr); err != nil {
			return err
		}
	}
	t.Say("trip.sos.sent", nil)
	tr := trips[0]
	for _, c := range t.C.ContactsFor(tr.Country, tr.Nationality) {
		t.SayRaw("contact", t.renderContact(c))
	}
	return nil
}

// code reads the optional code after /ok, /more and /endtrip: is it the
// trip's duress code? Any other word is a normal check-in, so that a captor
// learns nothing by trying.
func code(tr *checkin.Trip, arg string) bool {
	return arg != "" && tr.Duress.Matches(arg)
}

// cmdOK is a check-in: "/ok", or "/ok <word>". With the duress code the
// reply is the very same, and the guardians are alerted.
func (b *tripBook) cmdOK(t *Turn, arg string) error {
	trips, err := b.travelerTrips(t)
	if err != nil {
		return err
	}
	if len(trips) == 0 {
		return b.noLiveTrip(t)
	}
	return b.checkIn(t, trips[0], arg)
}

func (b *tripBook) checkIn(t *Turn, tr *checkin.Trip, arg string) error {
	reply, eff := tr.CheckIn(t.Now, code(tr, arg))
	if _, err := b.apply(t, tr, eff, "trip.alert.note"); err != nil {
		return err
	}
	if err := b.save(t.Tx, tr); err != nil {
		return err
	}
	v := b.viewFor(t, tr, t.S.Chat)
	if reply.Closed {
		t.Say("trip.checkin.closed", map[string]any{"Days": int(tr.Policy.Retention.Hours() / 24)})
		return nil
	}
	t.Ask("trip.checkin.ok", map[string]any{"Next": v.when(reply.Next)},
		[][]Button{{v.button("trip.btn.more", "more"), v.button("trip.btn.end", "end")}})
	return nil
}

// cmdMore asks for more time: "/more", or "/more <word>".
func (b *tripBook) cmdMore(t *Turn, arg string) error {
	trips, err := b.travelerTrips(t)
	if err != nil {
		return err
	}
	if len(trips) == 0 {
		return b.noLiveTrip(t)
	}
	return b.extend(t, trips[0], arg)
}

func (b *tripBook) extend(t *Turn, tr *checkin.Trip, arg string) error {
	reply, eff := tr.Extend(t.Now, code(tr, arg))
	if _, err := b.apply(t, tr, eff, "trip.alert.note_more"); err != nil {
		return err
	}
	if err := b.save(t.Tx, tr); err != nil {
		return err
	}
	v := b.viewFor(t, tr, t.S.Chat)
	if reply.Denied {
		t.Say("trip.more.none", map[string]any{"Next": v.when(reply.Next)})
		return nil
	}
	t.Say("trip.more.ok", map[string]any{"Next": v.when(reply.Next), "Left": reply.Left})
	return nil
}

// cmdEnd ends the trip: "/endtrip" asks first; "/endtrip <word>" ends at
// once (with the duress code: seems to, and alerts).
func (b *tripBook) cmdEnd(t *Turn, arg string) error {
	trips, err := b.chatTrips(t)
	if err != nil {
		return err
	}
	var mine []*checkin.Trip
	for _, tr := range trips {
		if tr.Traveler == t.S.Chat && tr.State != checkin.Ended {
			mine = append(mine, tr)
		}
	}
	if len(mine) == 0 {
		t.Say("trip.none", nil)
		return nil
	}
	if arg == "" {
		return b.confirmEnd(t, mine[0])
	}
	return b.end(t, mine[0], arg)
}

func (b *tripBook) confirmEnd(t *Turn, tr *checkin.Trip) error {
	v := b.viewFor(t, tr, t.S.Chat)
	t.Ask("trip.end.confirm", nil, [][]Button{{v.button("trip.btn.end_yes", "endy"), v.button("trip.btn.end_no", "keep")}})
	return nil
}

func (b *tripBook) end(t *Turn, tr *checkin.Trip, arg string) error {
	_, eff := tr.EndTrip(t.Now, code(tr, arg))
	purged, err := b.apply(t, tr, eff, "trip.alert.note_end")
	if err != nil {
		return err
	}
	if !purged {
		if err := b.save(t.Tx, tr); err != nil {
			return err
		}
	}
	t.Say("trip.end.done", nil)
	return nil
}

// press handles "ci.<verb>.<trip>[.<n>]" buttons.
func (b *tripBook) press(t *Turn, data string) error {
	p := strings.Split(data, ".")
	if len(p) < 3 {
		t.staleNotice()
		return nil
	}
	verb, id := p[1], p[2]
	tr, err := b.load(t.Tx, id)
	if errors.Is(err, ErrNotFound) {
		t.staleNotice()
		return nil
	}
	if err != nil {
		return err
	}
	chat := t.S.Chat
	if g := tr.Guardian(chat); g != nil {
		switch verb {
		case "ga", "gn", "test", "ack", "safe", "leave":
			return b.guardianPress(t, tr, g, verb)
		}
	}
	if tr.Traveler != chat {
		if verb == "end" && tr.Owner == chat && tr.State == checkin.Pending {
			return b.confirmEnd(t, tr)
		}
		if verb == "endy" && tr.Owner == chat && tr.State == checkin.Pending {
			return b.end(t, tr, "")
		}
		t.staleNotice()
		return nil
	}
	switch verb {
	case "yes":
		return b.consent(t, tr)
	case "no":
		if tr.State != checkin.Pending {
			t.staleNotice()
			return nil
		}
		if tr.Owner != chat {
			v := b.viewFor(t, tr, tr.Owner)
			v.say("trip.declined", v.data(all...))
			v.send(t, "reply", nil)
		}
		t.Say("trip.consent.no", nil)
		return b.purge(t, tr)
	case "ok":
		if !tr.Live() {
			t.staleNotice()
			return nil
		}
		return b.checkIn(t, tr, "")
	case "help":
		if !tr.Live() {
			t.staleNotice()
			return nil
		}
		return b.sos(t, []*checkin.Trip{tr})
	case "more":
		return b.extend(t, tr, "")
	case "end":
		return b.confirmEnd(t, tr)
	case "endy":
		return b.end(t, tr, "")
	case "keep":
		t.Say("trip.end.kept", nil)
		return nil
	case "inv":
		return b.inviteGuardian(t, tr)
	case "code":
		if t.S.Answers == nil {
			t.S.Answers = map[string]string{}
		}
		t.S.Answers["trip_id"] = tr.ID
		return t.StartFlow("tripcode", true)
	case "rm":
		n, err := strconv.Atoi(strings.Join(p[3:], ""))
		if err != nil || n < 1 || n > len(tr.Guardians) {
			t.staleNotice()
			return nil
		}
		g := tr.Guardians[n-1].Chat
		tr.RemoveGuardian(g, t.Now)
		if err := t.Tx.UnlinkChat(g, tr.ID); err != nil {
			return err
		}
		v := b.viewFor(t, tr, g)
		v.say("trip.guardian.removed_you", v.data(all...))
		v.send(t, "reply", nil)
		t.Say("trip.guardian.removed", map[string]any{"N": n})
		if tr.Live() && tr.Ready() == 0 {
			t.Say("trip.guardians.none_ready", nil)
		}
		return b.save(t.Tx, tr)
	}
	t.staleNotice()
	return nil
}

// consent records the traveler's yes; guardians who accepted before get
// their test alert.
func (b *tripBook) consent(t *Turn, tr *checkin.Trip) error {
	if !tr.Accept(t.S.Chat, t.Now) {
		t.staleNotice()
		return nil
	}
	if tr.Owner != t.S.Chat {
		if err := t.Tx.LinkChat(t.S.Chat, tr.ID, checkin.RoleTraveler); err != nil {
			return err
		}
	}
	t.Say("trip.consent.done", nil)
	for _, g := range tr.TestsDue(t.Now) {
		b.sendTest(t, tr, g)
	}
	if len(tr.Guardians) > 0 {
		t.Say("trip.wait_test", nil)
		return b.save(t.Tx, tr)
	}
	return b.inviteGuardian(t, tr)
}

// inviteGuardian makes a new single-use invite link for a guardian.
func (b *tripBook) inviteGuardian(t *Turn, tr *checkin.Trip) error {
	if tr.State == checkin.Pending || tr.State == checkin.Ended {
		t.staleNotice()
		return nil
	}
	payload, err := b.newInvite(t, tr, checkin.RoleGuardian)
	if err != nil {
		return err
	}
	t.Say("trip.invite.guardian", map[string]any{"Hours": int(b.cfg.InviteTTL.Hours()), "Link": b.link(payload)})
	return b.save(t.Tx, tr)
}

// startInvite follows an invite link: /start i_<token>. The invite is used
// up when it is opened.
func (b *tripBook) startInvite(t *Turn, token string) error {
	h := tokenHash(token)
	inv, err := t.Tx.TakeInvite(h)
	if errors.Is(err, ErrNotFound) {
		t.Say("trip.invite.bad", nil)
		return nil
	}
	if err != nil {
		return err
	}
	tr, err := b.load(t.Tx, inv.Trip)
	if errors.Is(err, ErrNotFound) || (err == nil && !t.Now.Before(inv.Expires)) {
		t.Say("trip.invite.bad", nil)
		return nil
	}
	if err != nil {
		return err
	}
	tr.Invites = removeString(tr.Invites, hex.EncodeToString(h))
	chat := t.S.Chat
	v := b.viewFor(t, tr, chat)
	switch inv.Role {
	case checkin.RoleTraveler:
		if chat == tr.Owner || tr.State != checkin.Pending || tr.Traveler != "" {
			t.Say("trip.invite.self", nil)
			return b.save(t.Tx, tr)
		}
		tr.Traveler = chat
		if err := t.Tx.LinkChat(chat, tr.ID, checkin.RoleTraveler); err != nil {
			return err
		}
		b.askConsent(t, tr, "trip.consent.family")
	case checkin.RoleGuardian:
		if !tr.AddGuardian(chat, t.Now) {
			t.Say("trip.invite.self", nil)
			return b.save(t.Tx, tr)
		}
		if err := t.Tx.LinkChat(chat, tr.ID, checkin.RoleGuardian); err != nil {
			return err
		}
		t.Ask("trip.guardian.ask", v.data(all...), [][]Button{{v.button("trip.btn.guard_yes", "ga"), v.button("trip.btn.guard_no", "gn")}})
	default:
		t.Say("trip.invite.bad", nil)
	}
	return b.save(t.Tx, tr)
}

// guardianPress handles a guardian's buttons.
func (b *tripBook) guardianPress(t *Turn, tr *checkin.Trip, g *checkin.Guardian, verb string) error {
	chat := t.S.Chat
	switch verb {
	case "ga":
		if !g.Accepted.IsZero() {
			t.staleNotice()
			return nil
		}
		if tr.AcceptGuardian(chat, t.Now) {
			t.Say("trip.guardian.accepted", nil)
			b.sendTest(t, tr, chat)
		} else {
			t.Say("trip.guardian.accepted_wait", nil)
		}
	case "gn", "leave":
		tr.RemoveGuardian(chat, t.Now)
		if err := t.Tx.UnlinkChat(chat, tr.ID); err != nil {
			return err
		}
		t.Say("trip.guardian.left_you", nil)
		b.tellTraveler(t, tr, "trip.guardian.left", nil)
		if tr.Live() && tr.Ready() == 0 {
			b.tellTraveler(t, tr, "trip.guardians.none_ready", nil)
		}
		if tr.Owner == chat && tr.State == checkin.Pending {
			return b.purge(t, tr)
		}
	case "test":
		if g.TestSent.IsZero() || !g.TestAcked.IsZero() {
			t.staleNotice()
			return nil
		}
		eff := tr.AckTest(chat, t.Now)
		t.Say("trip.test.ok", b.viewFor(t, tr, chat).data())
		if _, err := b.apply(t, tr, eff, ""); err != nil {
			return err
		}
		if len(eff) == 0 {
			b.tellTraveler(t, tr, "trip.guardian.ready", map[string]any{"Count": tr.Ready()})
		}
	case "ack":
		g.Unreachable = time.Time{}
		eff := tr.Ack(chat, t.Now)
		if eff == nil {
			t.staleNotice()
			return nil
		}
		t.Say("trip.ack.done", nil)
		if _, err := b.apply(t, tr, eff, ""); err != nil {
			return err
		}
	case "safe":
		eff := tr.Resolve(chat, t.Now)
		if eff == nil {
			t.staleNotice()
			return nil
		}
		if _, err := b.apply(t, tr, eff, "trip.allclear.resolved"); err != nil {
			return err
		}
	}
	return b.save(t.Tx, tr)
}

// location keeps a shared or live location as the traveler's last one.
func (b *tripBook) location(t *Turn, _ string) error {
	l := t.U.Location
	trips, err := b.chatTrips(t)
	if err != nil {
		return err
	}
	kept := false
	for _, tr := range trips {
		if tr.Traveler != t.S.Chat || !tr.SetLocation(l.Lat, l.Lon, l.Live, t.Now) {
			continue
		}
		kept = true
		if err := b.save(t.Tx, tr); err != nil {
			return err
		}
	}
	switch {
	case l.Live:
		// Live updates arrive often: answering each would be noise.
	case kept:
		t.Say("trip.location.kept", nil)
	default:
		t.Say("location.not_kept", nil)
	}
	return nil
}

// forget deletes what travel check-ins keep about a chat: the trips it owns
// or travels on (their guardians get a notice that names no one), its place
// as a guardian, its links and the messages queued about its trips.
func (b *tripBook) forget(ft *Turn) (err error) {
	chat := ft.S.Chat
	trips, err := b.chatTrips(ft)
	if err != nil {
		return err
	}
	// /forget discards what the turn queued; notices to others are queued
	// through a turn of their own.
	t := ft.with(&Session{})
	defer func() {
		if err == nil {
			err = t.flush()
		}
	}()
	for _, tr := range trips {
		if tr.Owner == chat || tr.Traveler == chat {
			alerted := tr.State == checkin.Alerted
			if err := b.purge(t, tr); err != nil {
				return err
			}
			for _, g := range guardianChats(tr, chat) {
				id := "trip.deleted"
				if alerted {
					id = "trip.deleted.alert"
				}
				v := b.viewFor(t, tr, g)
				v.say(id, nil)
				// Not tied to the trip: the trip is gone.
				t.SendTo(&Message{Chat: g, Text: strings.Join(v.parts, "\n\n"), IDs: v.ids, Kind: "reply"})
			}
			continue
		}
		if tr.RemoveGuardian(chat, t.Now) {
			b.tellTraveler(t, tr, "trip.guardian.left", nil)
			if tr.Live() && tr.Ready() == 0 {
				b.tellTraveler(t, tr, "trip.guardians.none_ready", nil)
			}
			if err := b.save(t.Tx, tr); err != nil {
				return err
			}
		}
		if err := t.Tx.UnlinkChat(chat, tr.ID); err != nil {
			return err
		}
	}
	return nil
}

// undeliverable records that a trip message could not reach a guardian and
// tells the traveler, unless an alert is out.
func (b *tripBook) undeliverable(t *Turn, m Message, _ string) error {
	if m.Trip == "" {
		return nil
	}
	tr, err := b.load(t.Tx, m.Trip)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if !tr.MarkUnreachable(m.Chat, t.Now) {
		return nil
	}
	n := 0
	for i, g := range tr.Guardians {
		if g.Chat == m.Chat {
			n = i + 1
		}
	}
	b.tellTraveler(t, tr, "trip.guardian.unreachable", map[string]any{"N": n})
	if tr.Live() && tr.Ready() == 0 {
		b.tellTraveler(t, tr, "trip.guardians.none_ready", nil)
	}
	return b.save(t.Tx, tr)
}

func removeString(list []string, s string) []string {
	out := list[:0]
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}
