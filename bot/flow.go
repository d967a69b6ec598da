package bot

import (
	"fmt"

	"github.com/homeward-ngo/homeward/content"
)

// maxHops bounds the steps one update may pass through, so that a content
// loop of message and action steps cannot spin forever.
const maxHops = 64

// StartFlow enters a flow at its start. Entering a flow that asks about
// indicators forgets the previous offer's answers unless keep is set (the
// flags were just read from a pasted offer).
func (t *Turn) StartFlow(id string, keep bool) error {
	f := t.C.Flows[id]
	if f == nil {
		return fmt.Errorf("flow %q does not exist", id)
	}
	if !keep && asksIndicators(f) {
		t.S.Flags = nil
	}
	t.S.clearFlow()
	return t.run(f, f.Start, 0)
}

func asksIndicators(f *content.Flow) bool {
	for _, s := range f.Steps {
		if s.Indicator != "" {
			return true
		}
	}
	return false
}

// goTo follows a step's next: another step of the flow, or "@flow".
func (t *Turn) goTo(f *content.Flow, next string) error {
	if id, ok := content.FlowRef(next); ok {
		return t.StartFlow(id, true)
	}
	return t.run(f, next, 0)
}

// run executes steps from id until one waits for the person or the flow
// ends.
func (t *Turn) run(f *content.Flow, id string, hops int) error {
	for ; hops < maxHops; hops++ {
		st := f.Step(id)
		if st == nil {
			return fmt.Errorf("%s: step %q does not exist", f.File, id)
		}
		t.S.Flow, t.S.FlowHash, t.S.Step = f.ID, f.Hash, st.ID
		next := st.Next
		switch st.Kind {
		case content.StepMessage:
			t.Say(st.Text, t.stepData())
		case content.StepChoice:
			if o := t.known(st); o != nil {
				next = o.Next
				break
			}
			return t.ask(f, st)
		case content.StepText:
			return t.ask(f, st)
		case content.StepAction:
			branch, err := t.e.actions[st.Action](t, st)
			if err != nil {
				return fmt.Errorf("%s: step %s: action %s: %w", f.File, st.ID, st.Action, err)
			}
			if branch != "" {
				n, ok := st.Branches[branch]
				if !ok {
					return fmt.Errorf("%s: step %s: action %s returned branch %q, which the step does not list", f.File, st.ID, st.Action, branch)
				}
				next = n
			}
		case content.StepResult:
			t.S.clearFlow()
			if st.Text != "" {
				t.Say(st.Text, t.stepData())
			}
			if st.Action != "" {
				if _, err := t.e.actions[st.Action](t, st); err != nil {
					return fmt.Errorf("%s: step %s: action %s: %w", f.File, st.ID, st.Action, err)
				}
			}
			return nil
		}
		if ref, ok := content.FlowRef(next); ok {
			nf := t.C.Flows[ref]
			if nf == nil {
				return fmt.Errorf("%s: step %s: flow %q does not exist", f.File, st.ID, ref)
			}
			f, next = nf, nf.Start
		}
		id = next
	}
	return fmt.Errorf("%s: more than %d steps without waiting for an answer: is there a loop?", f.File, maxHops)
}

// known returns the option already chosen for an indicator step whose flag
// the pasted offer text answered, so that the step is skipped.
func (t *Turn) known(st *content.Step) *content.Option {
	if st.Indicator == "" || t.S.Flags[st.Indicator] != "t" {
		return nil
	}
	for i := range st.Options {
		if st.Options[i].Flag == st.Indicator {
			return &st.Options[i]
		}
	}
	return nil
}

// ask sends a step's prompt: a new prompt number, so that the buttons of
// every earlier prompt are stale.
func (t *Turn) ask(f *content.Flow, st *content.Step) error {
	s := t.S
	s.Flow, s.FlowHash, s.Step = f.ID, f.Hash, st.ID
	if st.Kind != content.StepChoice {
		s.Prompt = nil
		t.Say(st.Text, t.stepData())
		return nil
	}
	s.Seq++
	cols := st.Columns
	if cols <= 0 {
		cols = 1
	}
	var rows [][]Button
	for i, o := range st.Options {
		b := Button{Label: t.Text(o.Label, nil), Data: content.ButtonData(f.ID, s.Seq, st.ID, o.ID)}
		if i%cols == 0 {
			rows = append(rows, nil)
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], b)
	}
	t.Ask(st.Text, t.stepData(), rows)
	return nil
}

// stepData is the template data every flow text may use.
func (t *Turn) stepData() map[string]any {
	d := map[string]any{}
	for k, v := range t.S.Answers {
		d[k] = v
	}
	if c := t.S.Answers["destination"]; c != "" {
		d["Destination"] = t.countryName(c)
	}
	return d
}

// countryName renders a country code's name in the session's language.
func (t *Turn) countryName(code string) string {
	if ct := t.C.Countries[code]; ct != nil {
		return t.Text(ct.Name, nil)
	}
	if t.T.Defined("en", "country."+code) {
		return t.Text("country."+code, nil)
	}
	return code
}
