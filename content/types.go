// Package content holds what NGOs edit: the red-flag indicators, the
// conversation flows, the contacts per country and the text patterns. The
// data files live beside this file and are embedded into the binary; Load
// reads them from any fs.FS so that an NGO can point the bot at a folder and
// try an edit without rebuilding.
//
// No user-visible words live here: every text is a go-i18n message ID that
// locales/active.en.toml defines. Organisation names, phone numbers and
// addresses are data, not words, and carry their source.
package content

// Strength says how much one indicator weighs on its own.
type Strength string

// The two strengths of facts.md: a strong indicator means high risk alone; a
// supporting one raises the risk only together with others.
const (
	Strong     Strength = "strong"
	Supporting Strength = "supporting"
)

// Groups of indicators, as in research/facts.md.
var Groups = []string{"offer", "recruiter", "route", "documents", "money", "communication", "destination"}

// Indicator is one red flag a job seeker (or a relative) can answer yes or no
// to.
type Indicator struct {
	ID       string   `toml:"id"`    // short, [a-z0-9_]{1,12}: it travels in button data
	Code     string   `toml:"code"`  // the code in facts.md, e.g. "A6"
	Group    string   `toml:"group"` // one of Groups
	Strength Strength `toml:"strength"`
	// Question, Why and Advice are message IDs: the yes/no question, why the
	// flag matters, and what to do about it.
	Question string `toml:"question"`
	Why      string `toml:"why"`
	Advice   string `toml:"advice"`
	// Sources are the codes of the indicator sources of facts.md.
	Sources []string `toml:"sources"`
	// Negatable marks an indicator whose words, right after a negation
	// ("no registration charges", "不收取中介费", "ပွဲစား မရှိ"), say the
	// honest thing: see PatternSet.NegateBefore. Not for indicators whose
	// own words are negative ("no experience", "don't tell anyone").
	Negatable bool `toml:"negatable"`
}

// Overlap is a set of supporting indicators that honest offers often show
// together because they describe one thing, the job itself: an entry-level
// factory job asks no experience (A2) and gives a free dormitory (A4). When
// two or more of one overlap are found they count as one supporting sign
// less than their number toward the grade; each is still shown, and combos
// still see each one.
type Overlap struct {
	IDs []string `toml:"ids"`
}

// Combo is a set of supporting indicators that together count as strong, as
// facts.md says of, for example, a fee (E1) together with a border ride (C1).
type Combo struct {
	All    []string `toml:"all"`    // every one of these …
	AnyOf  []string `toml:"any_of"` // … and at least one of these (optional)
	Reason string   `toml:"reason"` // message ID: why the pair is serious
}

// Phone is one number of a contact. Number is written as the source printed
// it for local short codes ("1155") or in E.164 form ("+66 2 245 7010"); the
// lint checks which.
type Phone struct {
	Number string `toml:"number"`
	Note   string `toml:"note"` // optional message ID, e.g. "contact.note.whatsapp"
}

// Contact kinds.
const (
	KindEmergency       = "emergency"
	KindPolice          = "police"
	KindTouristPolice   = "tourist_police"
	KindAntiTrafficking = "anti_trafficking"
	KindLabour          = "labour"
	KindConsularHotline = "consular_hotline"
	KindEmbassy         = "embassy"
	KindConsulate       = "consulate"
	KindNGO             = "ngo"
)

// Kinds lists every contact kind in the order the bot shows them.
var Kinds = []string{KindEmergency, KindPolice, KindTouristPolice, KindAntiTrafficking, KindLabour,
	KindEmbassy, KindConsulate, KindConsularHotline, KindNGO}

// Contact is one line a person can call or write to, from
// content/contacts/<ISO>.toml. Every contact carries the source it was read
// from and the date of that source; one without them does not load.
type Contact struct {
	ID      string   `toml:"id"`
	Kind    string   `toml:"kind"`
	Name    string   `toml:"name"`          // the organisation's own name, as published
	Serves  []string `toml:"serves"`        // ISO codes of the nationalities it serves (embassies); empty: everyone in the country
	Abroad  bool     `toml:"serves_abroad"` // a home-country line that helps its citizens anywhere
	Phones  []Phone  `toml:"phones"`
	Web     string   `toml:"web"`
	Email   string   `toml:"email"`
	Chat    string   `toml:"chat"`  // WeChat/LINE/WhatsApp handle as published
	Hours   string   `toml:"hours"` // e.g. "24h"
	Langs   []string `toml:"languages"`
	Note    string   `toml:"note"` // optional message ID shown under the contact
	Source  string   `toml:"source"`
	AsOf    string   `toml:"as_of"` // YYYY-MM or YYYY-MM-DD: the date of the source
	Country string   `toml:"-"`     // from the file name
	File    string   `toml:"-"`
}

// Country is one contacts file.
type Country struct {
	Code     string    `toml:"country"` // ISO 3166-1 alpha-2, must match the file name
	Name     string    `toml:"name"`    // message ID, e.g. "country.TH"
	Contacts []Contact `toml:"contact"`
}
