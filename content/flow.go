package content

import "time"

// Step kinds. The set is closed on purpose: behaviour that does not fit lives
// in a named Go action, tested in Go, not in an expression language here.
const (
	StepMessage = "message" // say Text, go on to Next
	StepChoice  = "choice"  // say Text with buttons; wait for a press
	StepText    = "text"    // say Text; wait for free text that Validate accepts
	StepAction  = "action"  // run the named Go action; it picks a branch
	StepResult  = "result"  // say Text (and run Action, if any); the flow ends
)

// Flow is one conversation graph from content/flows/<id>.toml.
type Flow struct {
	ID      string   `toml:"id"`      // short: it travels in button data
	Title   string   `toml:"title"`   // message ID
	Start   string   `toml:"start"`   // the first step
	Timeout Duration `toml:"timeout"` // idle time after which the session forgets the flow
	Steps   []Step   `toml:"step"`
	File    string   `toml:"-"`
	Hash    string   `toml:"-"` // of the file's bytes: a session made under another version restarts

	byID map[string]*Step
}

// Step is one node of a flow.
type Step struct {
	ID   string `toml:"id"`
	Kind string `toml:"kind"`
	Text string `toml:"text"` // message ID; for an indicator step, defaults to the indicator's question
	// Indicator ties a choice step to a red flag: without options it gets
	// yes / no / not sure, and "yes" raises the flag. The engine skips the
	// step when the flag is already known (from pasted offer text).
	Indicator string   `toml:"indicator"`
	Answer    string   `toml:"answer"`   // choice and text: the answer key the chosen value is stored under
	Options   []Option `toml:"options"`  // choice
	Validate  string   `toml:"validate"` // text: a named Go validator
	Action    string   `toml:"action"`   // action and result: a named Go action
	// Branches maps what an action returns to the next step.
	Branches map[string]string `toml:"branches"`
	Next     string            `toml:"next"`
	// Columns lays the buttons out in rows of this many (default 1).
	Columns int `toml:"columns"`
}

// Option is one button of a choice step.
type Option struct {
	ID    string `toml:"id"`    // short: it travels in button data
	Label string `toml:"label"` // message ID
	Next  string `toml:"next"`  // defaults to the step's Next
	Flag  string `toml:"flag"`  // an indicator this answer raises
	Value string `toml:"value"` // stored under the step's Answer key; defaults to ID
}

// Step returns the step with the given ID, or nil.
func (f *Flow) Step(id string) *Step {
	return f.byID[id]
}

// Duration is a time.Duration written as "24h" in TOML.
type Duration time.Duration

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}
