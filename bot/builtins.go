package bot

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/homeward-ngo/homeward/bot/offer"
	"github.com/homeward-ngo/homeward/content"
)

// payloadRE is what Telegram allows in a /start deep-link payload.
var payloadRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

func (e *Engine) registerBuiltins() {
	e.RegisterCommand("start", (*Turn).cmdStart)
	e.RegisterCommand("help", func(t *Turn, _ string) error { t.Say("help", nil); return nil })
	e.RegisterCommand("cancel", (*Turn).cmdCancel)
	e.RegisterCommand("language", func(t *Turn, _ string) error { return t.pickLanguage() })
	e.RegisterCommand("contacts", func(t *Turn, _ string) error { return t.StartFlow("contacts", false) })
	e.RegisterCommand("forget", (*Turn).cmdForget)
	e.RegisterCommand("sos", (*Turn).cmdSOS)
	e.RegisterCommand("menu", func(t *Turn, _ string) error { return t.StartFlow("main", false) })

	e.RegisterButton("l", (*Turn).pressLanguage)
	e.RegisterButton("f", (*Turn).pressForget)
	e.RegisterButton("c", func(t *Turn, _ string) error {
		delete(t.S.Answers, "destination")
		delete(t.S.Answers, "nationality")
		return t.StartFlow("contacts", false)
	})

	e.Register("cross_border", actCrossBorder)
	e.Register("score_offer", actScoreOffer)
	e.Register("contacts_known", actContactsKnown)
	e.Register("show_contacts", actShowContacts)
	e.Register("pick_language", func(t *Turn, _ *content.Step) (string, error) { return "", t.pickLanguage() })
	e.registerTrips()
}

// cmdStart greets, or follows a deep link.
func (t *Turn) cmdStart(arg string) error {
	t.S.clearFlow()
	t.S.Pending = ""
	if arg != "" {
		if !payloadRE.MatchString(arg) {
			t.Say("start.bad_link", nil)
			return t.welcome()
		}
		prefix, rest, _ := strings.Cut(arg, "_")
		if h := t.e.starts[prefix]; h != nil {
			return h(t, rest)
		}
		t.Say("start.bad_link", nil)
	}
	if t.S.Lang == "" && t.S.Hint == "" {
		return t.pickLanguage()
	}
	return t.welcome()
}

// welcome says hello and shows the main menu.
func (t *Turn) welcome() error {
	t.Say("welcome", nil)
	if t.S.Lang == "" {
		t.Say("language.change_hint", nil)
	}
	return t.StartFlow("main", true)
}

func (t *Turn) cmdCancel(string) error {
	t.S.Pending = ""
	if t.S.Flow == "" {
		t.Say("cancel.nothing", nil)
		return nil
	}
	t.S.clearFlow()
	t.Say("cancel.done", nil)
	return nil
}

// pickLanguage shows every language by its own name.
func (t *Turn) pickLanguage() error {
	var rows [][]Button
	for i, l := range t.T.Languages() {
		if i%2 == 0 {
			rows = append(rows, nil)
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], Button{Label: l.Endonym, Data: "l." + l.Tag})
	}
	t.S.clearFlow()
	if t.S.lang() != "" {
		t.Ask("language.pick", nil, rows)
		return nil
	}
	// Nothing tells which language the person reads yet: ask in every one,
	// so that nobody has to understand English to find their own.
	var lines []string
	for _, l := range t.T.Languages() {
		line := t.TextIn(l.Tag, "language.pick", nil)
		if !slices.Contains(lines, line) {
			lines = append(lines, line)
		}
	}
	t.SayRaw("language.pick", strings.Join(lines, "\n"))
	t.S.Prompt = t.S.Prompt[:0]
	for _, row := range rows {
		for _, b := range row {
			t.S.Prompt = append(t.S.Prompt, b.Data)
		}
	}
	t.send(rows)
	return nil
}

func (t *Turn) pressLanguage(data string) error {
	tag := strings.TrimPrefix(data, "l.")
	if !t.T.Has(tag) {
		t.staleNotice()
		return nil
	}
	t.S.Lang = tag
	t.Say("language.set", nil)
	return t.welcome()
}

// cmdForget asks before deleting everything about the chat.
func (t *Turn) cmdForget(string) error {
	t.S.clearFlow()
	t.S.Pending = "forget"
	t.Ask("forget.confirm", nil, [][]Button{{
		{Label: t.Text("forget.yes", nil), Data: "f.yes"},
		{Label: t.Text("forget.no", nil), Data: "f.no"},
	}})
	return nil
}

func (t *Turn) pressForget(data string) error {
	if t.S.Pending != "forget" {
		t.staleNotice()
		return nil
	}
	t.S.Pending = ""
	if data != "f.yes" {
		t.S.Prompt = nil
		t.Say("forget.kept", nil)
		return nil
	}
	return t.forgetAll()
}

// forgetAll deletes the session, every hook's records and every queued
// message to the chat, then says so in the language the person used.
func (t *Turn) forgetAll() error {
	for _, h := range t.e.forget {
		if err := h(t); err != nil {
			return err
		}
	}
	if err := t.Tx.DropOutbox(t.S.Chat); err != nil {
		return err
	}
	if err := t.Tx.DeleteSession(t.S.Chat); err != nil {
		return err
	}
	t.out = nil
	t.parts, t.ids = nil, nil
	t.forgotten = true
	t.Say("forget.done", nil)
	return nil
}

// cmdSOS, without travel check-ins, shows the emergency lines of the
// country the person said they are going to.
func (t *Turn) cmdSOS(string) error {
	t.Say("sos.no_trip", nil)
	return t.showContacts()
}

func actCrossBorder(t *Turn, _ *content.Step) (string, error) {
	dest, nat := t.S.Answers["destination"], t.S.Answers["nationality"]
	if dest != "" && dest == nat {
		return "home", nil
	}
	return "abroad", nil
}

func actContactsKnown(t *Turn, _ *content.Step) (string, error) {
	if t.S.Answers["destination"] != "" && t.S.Answers["nationality"] != "" {
		return "known", nil
	}
	return "ask", nil
}

func actShowContacts(t *Turn, _ *content.Step) (string, error) {
	return "", t.showContacts()
}

// showContacts lists the contacts for the destination and nationality the
// person gave, each with the date of its source.
func (t *Turn) showContacts() error {
	dest, nat := t.S.Answers["destination"], t.S.Answers["nationality"]
	list := t.C.ContactsFor(dest, nat)
	if len(list) == 0 {
		t.Say("contacts.none", nil)
	} else {
		t.Say("contacts.header", map[string]any{"Country": t.countryName(dest), "Nationality": t.countryName(nat)})
		for _, c := range list {
			t.SayRaw("contact", t.renderContact(c))
		}
		t.Say("contacts.verify", nil)
	}
	t.Ask("contacts.other_prompt", nil, [][]Button{{{Label: t.Text("contacts.other", nil), Data: "c.ask"}}})
	return nil
}

// renderContact renders one contact: name, kind, phones, channels, hours and
// the date of the source.
func (t *Turn) renderContact(c content.Contact) string {
	var b strings.Builder
	b.WriteString("<b>" + escapeText(c.Name) + "</b> · " + t.Text("contact.kind."+c.Kind, nil))
	for _, p := range c.Phones {
		b.WriteString("\n☎ " + escapeText(p.Number))
		if p.Note != "" {
			b.WriteString(" (" + t.Text(p.Note, nil) + ")")
		}
	}
	for _, ch := range []string{c.Web, c.Email, c.Chat} {
		if ch != "" {
			b.WriteString("\n" + escapeText(ch))
		}
	}
	switch c.Hours {
	case "":
	case "24h":
		b.WriteString("\n" + t.Text("contact.hours_24h", nil))
	default:
		b.WriteString("\n" + t.Text("contact.hours", map[string]any{"Hours": c.Hours}))
	}
	if c.Note != "" {
		b.WriteString("\n" + t.Text(c.Note, nil))
	}
	b.WriteString("\n" + t.Text("contact.as_of", map[string]any{"Date": t.sourceDate(c.AsOf)}))
	return b.String()
}

func escapeText(s string) string { return escape(map[string]any{"s": s})["s"].(string) }

// actScoreOffer grades the answers and says the result: the grade, each
// flag with why it matters, what to do, and whom to call.
func actScoreOffer(t *Turn, _ *content.Step) (string, error) {
	a := offer.Grade(t.C, t.S.Raised())
	if t.S.Answers == nil {
		t.S.Answers = map[string]string{}
	}
	t.S.Answers["offer_risk"] = string(a.Risk)
	n := len(a.Strong) + len(a.Supporting)
	t.Say("offer.result."+string(a.Risk), map[string]any{"Count": n})
	if n > 0 {
		var b strings.Builder
		for _, id := range a.Flags() {
			ind := t.C.Indicator(id)
			b.WriteString("\n• " + t.Text(ind.Why, nil))
			if t.S.Flags[id] == "t" {
				b.WriteString(" " + t.Text("offer.from_text", nil))
			}
		}
		for _, cb := range a.Combos {
			b.WriteString("\n• " + t.Text(cb.Reason, nil))
		}
		t.SayRaw("offer.found", t.Text("offer.found", nil)+b.String())
		var adv strings.Builder
		for _, id := range a.Flags() {
			adv.WriteString("\n• " + t.Text(t.C.Indicator(id).Advice, nil))
		}
		t.SayRaw("offer.advice", t.Text("offer.advice", nil)+adv.String())
	}
	var unsure []string
	for _, ind := range t.C.Indicators {
		if t.S.Flags[ind.ID] == "u" {
			unsure = append(unsure, "\n• "+t.Text(ind.Question, nil))
		}
	}
	if len(unsure) > 0 {
		t.SayRaw("offer.unsure", t.Text("offer.unsure", nil)+strings.Join(unsure, ""))
	}
	t.Say("offer.next."+string(a.Risk), nil)
	if a.Risk == offer.Low {
		t.Say("offer.not_checked", nil)
	}
	dest, nat := t.S.Answers["destination"], t.S.Answers["nationality"]
	if list := t.C.ContactsFor(dest, nat); len(list) > 0 {
		t.Say("contacts.header", map[string]any{"Country": t.countryName(dest), "Nationality": t.countryName(nat)})
		for _, c := range list {
			t.SayRaw("contact", t.renderContact(c))
		}
		t.Say("contacts.verify", nil)
	}
	return "", nil
}

// readOffer reads pasted offer text: it says what it found and starts the
// guided check, which then skips the questions the text answered.
func (t *Turn) readOffer(text string) error {
	found, _ := t.reader.Read(text)
	flags := map[string]string{}
	var b strings.Builder
	shown := 0
	for _, f := range found {
		ind := t.C.Indicator(f.ID)
		if ind == nil {
			continue
		}
		shown++
		if !f.Weak {
			// Found for sure: its question is skipped. A weak find (a pay
			// amount) is shown, and its question still asked.
			flags[f.ID] = "t"
		}
		b.WriteString("\n• " + t.Text(ind.Why, nil) + " — “" + escapeText(f.Snippet) + "”")
	}
	t.S.Flags = flags
	if shown == 0 {
		t.Say("offer.read.none", nil)
	} else {
		t.SayRaw("offer.read.found", t.Text("offer.read.found", map[string]any{"Count": shown})+b.String())
		// Say it at once when the text alone is high risk: the questions
		// that follow (where the job is, whose embassy) serve the contacts.
		if offer.GradeFound(t.C, found).Risk == offer.High {
			t.Say("offer.result.high", nil)
		}
	}
	return t.StartFlow("offer", true)
}

// sourceDate shows a contact's as_of in the reader's language when it is a
// whole date; a year or a month stays as written ("2021", "2016-09").
func (t *Turn) sourceDate(asOf string) string {
	d, err := time.Parse(time.DateOnly, asOf)
	if err != nil {
		return asOf
	}
	return t.T.Date(t.Lang(), d)
}
