package bot

import (
	"slices"
	"time"
)

// Session is what the bot remembers of one chat between updates.
type Session struct {
	Chat string `json:"chat"`
	Lang string `json:"lang,omitempty"` // the language the person chose; empty: not chosen
	Hint string `json:"hint,omitempty"` // the language their client hinted at

	Flow     string `json:"flow,omitempty"`      // the flow in progress; empty: none
	FlowHash string `json:"flow_hash,omitempty"` // of the flow file the step belongs to
	Step     string `json:"step,omitempty"`      // the step waiting for an answer
	// Seq counts prompts: each button carries the Seq of the prompt it sat
	// on, so a press on an older prompt is stale, whatever the channel.
	Seq int `json:"seq"`
	// Prompt holds the data of the buttons of the last prompt, so that a
	// typed number ("2", "２", "๒") presses the second of them.
	Prompt []string `json:"prompt,omitempty"`

	// Answers holds answers by key ("destination": "TH").
	Answers map[string]string `json:"answers,omitempty"`
	// Flags holds the offer's indicators by ID: "y" (yes), "n" (no),
	// "u" (not sure), "t" (found in pasted text, not yet confirmed).
	Flags map[string]string `json:"flags,omitempty"`

	// Pending names a confirmation the bot is waiting for ("forget").
	Pending string `json:"pending,omitempty"`

	Updated time.Time `json:"updated"`
}

// Raised lists the indicators answered yes or found in text, sorted.
func (s *Session) Raised() []string {
	var out []string
	for id, v := range s.Flags {
		if v == "y" || v == "t" {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// lang returns the language to speak to this session in.
func (s *Session) lang() string {
	if s.Lang != "" {
		return s.Lang
	}
	return s.Hint
}

// clearFlow forgets the flow in progress but not the language or answers.
func (s *Session) clearFlow() {
	s.Flow, s.FlowHash, s.Step, s.Prompt = "", "", "", nil
}
