package bot

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/homeward-ngo/homeward/bot/checkin"
	"github.com/homeward-ngo/homeward/content"
	"github.com/homeward-ngo/homeward/content/actions"
)

// TripConfig configures travel check-ins. Zero fields take the defaults of
// DefaultTripConfig.
type TripConfig struct {
	// MinInterval is the shortest check-in interval a trip may have;
	// DefaultInterval is used when none was chosen. Tests lower
	// MinInterval to seconds (HOMEWARD_MIN_INTERVAL).
	MinInterval, DefaultInterval time.Duration
	// MinGrace and DefaultGrace likewise bound the grace period.
	MinGrace, DefaultGrace time.Duration
	// Ladder holds the rest of the ladder's timings, copied into each trip
	// when it is created. Its Grace is ignored (the trip's choice is used).
	Ladder checkin.Policy
	// InviteTTL is how long an invite link works.
	InviteTTL time.Duration
	// MaxDays bounds a trip's length.
	MaxDays int
	// LinkBase turns an invite payload into a link: "https://t.me/Bot?start="
	// for Telegram. Empty: the bot shows "/start <payload>" to forward.
	LinkBase string
}

// DefaultTripConfig returns the defaults: check-ins every 6 hours (at least
// 1), 1 hour of grace (at least 15 minutes), URGENT 2 hours after the first
// alert and then hourly up to 24 times, 2 extensions of 1 hour, trip data
// kept 30 days after the end, invites valid 48 hours.
func DefaultTripConfig() TripConfig {
	return TripConfig{
		MinInterval: time.Hour, DefaultInterval: 6 * time.Hour,
		MinGrace: 15 * time.Minute, DefaultGrace: time.Hour,
		Ladder: checkin.Policy{
			UrgentAfter: 2 * time.Hour, Repeat: time.Hour, MaxRepeats: 24,
			Extension: time.Hour, MaxExtensions: 2,
			Retention: 30 * 24 * time.Hour, SetupTTL: 7 * 24 * time.Hour, Early: time.Hour,
		},
		InviteTTL: 48 * time.Hour,
		MaxDays:   90,
	}
}

// fill sets zero fields to the defaults and checks the rest.
func (c TripConfig) fill() (TripConfig, error) {
	d := DefaultTripConfig()
	durs := []struct {
		v   *time.Duration
		def time.Duration
	}{
		{&c.MinInterval, d.MinInterval}, {&c.DefaultInterval, d.DefaultInterval},
		{&c.MinGrace, d.MinGrace}, {&c.DefaultGrace, d.DefaultGrace},
		{&c.Ladder.UrgentAfter, d.Ladder.UrgentAfter}, {&c.Ladder.Repeat, d.Ladder.Repeat},
		{&c.Ladder.Extension, d.Ladder.Extension}, {&c.Ladder.Retention, d.Ladder.Retention},
		{&c.Ladder.SetupTTL, d.Ladder.SetupTTL}, {&c.InviteTTL, d.InviteTTL},
	}
	for _, x := range durs {
		if *x.v < 0 {
			return c, fmt.Errorf("trip config: negative duration %v", *x.v)
		}
		if *x.v == 0 {
			*x.v = x.def
		}
	}
	if c.Ladder.Early == 0 {
		c.Ladder.Early = min(d.Ladder.Early, c.MinInterval/2)
	}
	if c.Ladder.MaxRepeats == 0 {
		c.Ladder.MaxRepeats = d.Ladder.MaxRepeats
	}
	if c.Ladder.MaxExtensions == 0 {
		c.Ladder.MaxExtensions = d.Ladder.MaxExtensions
	}
	if c.MaxDays == 0 {
		c.MaxDays = d.MaxDays
	}
	if c.DefaultInterval < c.MinInterval {
		c.DefaultInterval = c.MinInterval
	}
	if c.DefaultGrace < c.MinGrace {
		c.DefaultGrace = c.MinGrace
	}
	return c, nil
}

// tripBook is travel check-ins' share of an engine: its configuration, the
// time zones, and the way to wake the scheduler.
type tripBook struct {
	e     *Engine
	cfg   TripConfig
	zones map[string]string
	locs  sync.Map // zone name → *time.Location

	// pokeAt is the earliest due time written since the scheduler last
	// looked (unix nanoseconds; 0: none); poke signals it.
	pokeAt atomic.Int64
	poke   chan struct{}
}

func newTripBook(e *Engine, cfg TripConfig) (*tripBook, error) {
	cfg, err := cfg.fill()
	if err != nil {
		return nil, err
	}
	zones, err := actions.Zones(actions.Files)
	if err != nil {
		return nil, err
	}
	return &tripBook{e: e, cfg: cfg, zones: zones, poke: make(chan struct{}, 1)}, nil
}

// registerTrips adds travel check-ins with the default configuration, so
// that flows naming its actions load everywhere (the lint, the tests).
// ConfigureTrips replaces the configuration.
func (e *Engine) registerTrips() {
	b, err := newTripBook(e, DefaultTripConfig())
	if err != nil {
		// The embedded zones table is checked by its tests; reaching
		// this is a build of broken content.
		panic(err)
	}
	b.register(e)
	// The hooks need no configuration and are idempotent, so they are
	// registered once, here.
	e.OnForget(b.forget)
	e.OnUndeliverable(b.undeliverable)
}

// ConfigureTrips sets the travel check-in configuration and returns the
// scheduler that runs the ladder. Call it before handling updates.
func (e *Engine) ConfigureTrips(cfg TripConfig) (*TripScheduler, error) {
	b, err := newTripBook(e, cfg)
	if err != nil {
		return nil, err
	}
	b.register(e)
	return &TripScheduler{e: e, b: b, Batch: 500}, nil
}

func (b *tripBook) register(e *Engine) {
	e.RegisterCommand("trip", b.cmdTrip)
	e.RegisterCommand("sos", b.cmdSOS)
	e.RegisterCommand("ok", b.cmdOK)
	e.RegisterCommand("more", b.cmdMore)
	e.RegisterCommand("endtrip", b.cmdEnd)
	e.RegisterButton("ci", b.press)
	e.RegisterButton("loc", b.location)
	e.RegisterStart("i", b.startInvite)
	e.Register("trip_create", b.actCreate)
	e.Register("trip_save_code", b.actSaveCode)
	e.RegisterValidator("trip_name", validLen("trip.bad.name", 40))
	e.RegisterValidator("trip_city", validLen("trip.bad.city", 60))
	e.RegisterValidator("trip_days", b.validDays)
	e.RegisterValidator("trip_every", b.validEvery)
	e.RegisterValidator("trip_grace", b.validGrace)
	e.RegisterValidator("trip_times", validTimes)
	e.RegisterValidator("duress_code", validCode)
}

// wake tells a sleeping scheduler that a trip is due at at. The scheduler
// takes the earliest such time into its timer even if it reads the due
// index before the writing transaction commits.
func (b *tripBook) wake(at time.Time) {
	n := at.UnixNano()
	for {
		old := b.pokeAt.Load()
		if old != 0 && old <= n {
			break
		}
		if b.pokeAt.CompareAndSwap(old, n) {
			break
		}
	}
	select {
	case b.poke <- struct{}{}:
	default:
	}
}

// loc returns the *time.Location of a country, UTC if unknown.
func (b *tripBook) loc(country string) *time.Location {
	name := b.zones[country]
	if name == "" {
		return time.UTC
	}
	if l, ok := b.locs.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		b.e.log.Warn("time zone not available; showing UTC", "zone", name, "err", err)
		l = time.UTC
	}
	b.locs.Store(name, l)
	return l
}

// load reads a trip and sets its time zone.
func (b *tripBook) load(tx Tx, id string) (*checkin.Trip, error) {
	tr, err := tx.Trip(id)
	if err != nil {
		return nil, err
	}
	tr.Loc = b.loc(tr.Country)
	return tr, nil
}

// save writes a trip (and its due entry) and wakes the scheduler if the
// trip's next wake-up moved.
func (b *tripBook) save(tx Tx, tr *checkin.Trip) error {
	before := tr.Wake
	if err := tx.PutTrip(tr); err != nil {
		return fmt.Errorf("saving trip: %w", err)
	}
	if !tr.Wake.IsZero() && !tr.Wake.Equal(before) {
		b.wake(tr.Wake)
	}
	return nil
}

// randomID returns n random bytes, base64url: trip IDs and invite tokens.
func randomID(n int) string {
	p := make([]byte, n)
	_, _ = rand.Read(p) // crypto/rand.Read never fails (Go 1.24)
	return base64.RawURLEncoding.EncodeToString(p)
}

// tokenHash is what the store keeps of an invite token.
func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte("homeward-invite:" + token))
	return h[:]
}

// newInvite stores a single-use invite to a trip and returns the /start
// payload that carries it: "i_" and 128 random bits.
func (b *tripBook) newInvite(t *Turn, tr *checkin.Trip, role string) (string, error) {
	token := randomID(16)
	h := tokenHash(token)
	inv := &checkin.Invite{Trip: tr.ID, Role: role, Expires: t.Now.Add(b.cfg.InviteTTL)}
	if err := t.Tx.PutInvite(h, inv); err != nil {
		return "", fmt.Errorf("writing invite: %w", err)
	}
	tr.Invites = append(tr.Invites, hex.EncodeToString(h))
	return "i_" + token, nil
}

// link renders an invite payload as something the person can send on.
func (b *tripBook) link(payload string) string {
	if b.cfg.LinkBase == "" {
		return "/start " + payload
	}
	return b.cfg.LinkBase + payload
}

// Validators of the trip flow.

// validLen accepts a short text (a name, a city) of at most max characters
// as a reader counts them: runes, not bytes, and a combining mark (a Thai,
// Burmese or Khmer vowel sign or tone mark, a Vietnamese accent typed
// apart) is part of the letter it sits on. Runs of marks are still bounded
// (3×max runes in all), so nothing long slips through.
func validLen(problem string, max int) Validator {
	return func(_ *Turn, text string) (string, bool, string) {
		text = strings.Join(strings.Fields(text), " ")
		if text == "" || letters(text) > max || utf8.RuneCountInString(text) > 3*max || strings.HasPrefix(text, "/") {
			return "", false, problem
		}
		return text, true, ""
	}
}

// letters counts the characters of s that are not combining marks.
func letters(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.Is(unicode.M, r) {
			n++
		}
	}
	return n
}

func (b *tripBook) validDays(_ *Turn, text string) (string, bool, string) {
	n, ok := number(strings.TrimSpace(text))
	if !ok || n < 1 || n > b.cfg.MaxDays {
		return "", false, "trip.bad.days"
	}
	return strconv.Itoa(n), true, ""
}

// validEvery reads a typed check-in interval (see parseSpan for what it
// understands): at least MinInterval, at most a week. A refusal names the
// minimum.
func (b *tripBook) validEvery(t *Turn, text string) (string, bool, string) {
	d, ok := parseSpan(text)
	if !ok || d < b.cfg.MinInterval || d > 7*24*time.Hour {
		t.Say("trip.bad.interval", map[string]any{"Min": t.T.Duration(t.Lang(), b.cfg.MinInterval)})
		return "", false, ""
	}
	return d.String(), true, ""
}

// validGrace reads a typed grace period: at least MinGrace, at most a day.
func (b *tripBook) validGrace(t *Turn, text string) (string, bool, string) {
	d, ok := parseSpan(text)
	if !ok || d < b.cfg.MinGrace || d > 24*time.Hour {
		t.Say("trip.bad.grace", map[string]any{"Min": t.T.Duration(t.Lang(), b.cfg.MinGrace)})
		return "", false, ""
	}
	return d.String(), true, ""
}

func validTimes(_ *Turn, text string) (string, bool, string) {
	// "၀၈:၀၀" or "０８：００" from a Burmese or Chinese keyboard reads as 08:00.
	ts, err := checkin.ParseTimes(strings.ReplaceAll(foldDigits(text), "：", ":"))
	if err != nil || len(ts) > 12 {
		return "", false, "trip.bad.times"
	}
	var parts []string
	for _, m := range ts {
		parts = append(parts, fmt.Sprintf("%02d:%02d", m/60, m%60))
	}
	return strings.Join(parts, " "), true, ""
}

// validCode turns a duress code into its salted hash at once, so that the
// code itself never reaches the session.
func validCode(_ *Turn, text string) (string, bool, string) {
	code := checkin.NormalizeCode(text)
	if n := utf8.RuneCountInString(code); n < 3 || n > 40 || code == "ok" || strings.HasPrefix(code, "/") {
		return "", false, "trip.bad.code"
	}
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	s, err := checkin.NewSecret(code, salt)
	if err != nil {
		return "", false, "trip.bad.code"
	}
	return hex.EncodeToString(s.Salt) + ":" + hex.EncodeToString(s.Hash), true, ""
}

// tripAnswers are the session answers the trip flow collects; they are
// deleted once the trip is written.
var tripAnswers = []string{"trip_for", "trip_name", "trip_city", "trip_days", "trip_every", "trip_times", "trip_grace", "trip_code", "trip_id"}

func (t *Turn) dropTripAnswers() {
	for _, k := range tripAnswers {
		delete(t.S.Answers, k)
	}
}

// actCreate writes the trip the flow collected. A traveler then reads the
// consent text; a family member gets the invite link for the traveler.
func (b *tripBook) actCreate(t *Turn, _ *content.Step) (string, error) {
	a := t.S.Answers
	defer t.dropTripAnswers()
	days, _ := strconv.Atoi(a["trip_days"])
	if days < 1 {
		days = 1
	}
	grace, err := time.ParseDuration(a["trip_grace"])
	if err != nil || grace <= 0 {
		grace = b.cfg.DefaultGrace
	}
	grace = max(grace, b.cfg.MinGrace)
	var sched checkin.Schedule
	if ts, err := checkin.ParseTimes(a["trip_times"]); err == nil && a["trip_every"] == "times" {
		sched.Times = ts
	} else {
		every, err := time.ParseDuration(a["trip_every"])
		if err != nil || every <= 0 {
			every = b.cfg.DefaultInterval
		}
		sched.Every = max(every, b.cfg.MinInterval)
	}
	pol := b.cfg.Ladder
	pol.Grace = grace
	tr := &checkin.Trip{
		ID:          randomID(9),
		Owner:       t.S.Chat,
		Name:        a["trip_name"],
		Nationality: a["nationality"],
		Country:     a["destination"],
		City:        a["trip_city"],
		Zone:        b.zones[a["destination"]],
		Created:     t.Now,
		End:         t.Now.Add(time.Duration(days) * 24 * time.Hour),
		Schedule:    sched,
		Policy:      pol,
		State:       checkin.Pending,
	}
	tr.Loc = b.loc(tr.Country)
	if err := t.Tx.LinkChat(t.S.Chat, tr.ID, checkin.RoleOwner); err != nil {
		return "", err
	}
	if a["trip_for"] == "other" {
		// The family member is a guardian from the start; the traveler
		// must still open the invite and agree.
		tr.AddGuardian(t.S.Chat, t.Now)
		tr.AcceptGuardian(t.S.Chat, t.Now)
		payload, err := b.newInvite(t, tr, checkin.RoleTraveler)
		if err != nil {
			return "", err
		}
		t.Say("trip.invite.traveler", map[string]any{"Name": tr.Name, "Hours": int(b.cfg.InviteTTL.Hours()), "Link": b.link(payload)})
		return "", b.save(t.Tx, tr)
	}
	tr.Traveler = t.S.Chat
	b.askConsent(t, tr, "trip.consent")
	return "", b.save(t.Tx, tr)
}

// actSaveCode stores the duress code (already hashed by the validator) on
// the trip the session was setting it for.
func (b *tripBook) actSaveCode(t *Turn, _ *content.Step) (string, error) {
	defer t.dropTripAnswers()
	id, val := t.S.Answers["trip_id"], t.S.Answers["trip_code"]
	tr, err := b.load(t.Tx, id)
	if errors.Is(err, ErrNotFound) || (err == nil && tr.Traveler != t.S.Chat) {
		t.Say("trip.none", nil)
		return "", nil
	}
	if err != nil {
		return "", err
	}
	salt, hash, _ := strings.Cut(val, ":")
	s, err1 := hex.DecodeString(salt)
	h, err2 := hex.DecodeString(hash)
	if err1 != nil || err2 != nil {
		t.Say("trip.bad.code", nil)
		return "", nil
	}
	tr.Duress = &checkin.Secret{Salt: s, Hash: h}
	tr.Log = append(tr.Log, checkin.Event{At: t.Now, What: "duress code set"})
	t.Say("trip.code.saved", nil)
	return "", b.save(t.Tx, tr)
}
