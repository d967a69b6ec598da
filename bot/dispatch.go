package bot

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/homeward-ngo/homeward/bot/textkey"
	"github.com/homeward-ngo/homeward/content"
)

// offerTextMin is the length from which free text typed where no text is
// expected is read as a pasted offer rather than as a stray word.
const offerTextMin = 40

// handle routes an update: global commands first, then button presses, then
// the current step, then a fallback — the order gotgbot's conversations use.
func (t *Turn) handle() error {
	s, u := t.S, t.U
	if u.Hint != "" {
		s.Hint = t.T.Match(u.Hint)
	}
	t.expire()

	if u.Location != nil {
		return t.location()
	}
	text := strings.TrimSpace(u.Text)
	if strings.HasPrefix(text, "/") {
		name, arg := parseCommand(text)
		if c := t.e.commands[name]; c != nil {
			return c(t, arg)
		}
		t.Say("cmd.unknown", nil)
		return nil
	}
	if s.Pending != "" && u.Data == "" {
		if done, err := t.pending(text); done || err != nil {
			return err
		}
	}
	data := u.Data
	if data == "" && text != "" {
		// A typed number presses a button of the last prompt.
		if n, ok := number(text); ok && n >= 1 && n <= len(s.Prompt) {
			data = s.Prompt[n-1]
		}
	}
	if data != "" {
		return t.press(data)
	}
	if text == "" {
		t.Say("input.unsupported", nil)
		return nil
	}
	return t.typed(text)
}

// expire forgets a flow left idle past its timeout, or one whose file has
// changed since the session entered it.
func (t *Turn) expire() {
	s := t.S
	if s.Flow == "" {
		return
	}
	f := t.C.Flows[s.Flow]
	switch {
	case f == nil || f.Step(s.Step) == nil || f.Hash != s.FlowHash:
		s.clearFlow()
		t.Say("flow.changed", nil)
	case t.Now.Sub(s.Updated) > time.Duration(f.Timeout):
		s.clearFlow()
	}
}

// parseCommand splits "/start@HomewardBot payload" into "start", "payload".
func parseCommand(text string) (name, arg string) {
	cmd, arg, _ := strings.Cut(text[1:], " ")
	cmd, _, _ = strings.Cut(cmd, "@")
	return strings.ToLower(cmd), strings.TrimSpace(arg)
}

// number reads a typed button number in any script's digits ("2", "２",
// "๒", "၂").
func number(text string) (int, bool) {
	for _, r := range text {
		if !unicode.IsDigit(r) {
			return 0, false
		}
	}
	n, err := strconv.Atoi(foldDigits(text))
	return n, err == nil
}

// foldDigits writes every decimal digit of any script as its ASCII digit,
// so that what a Burmese, Thai or Chinese keyboard typed reads as a number.
func foldDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r > unicode.MaxASCII && unicode.IsDigit(r) {
			return rune('0' + digitValue(r))
		}
		return r
	}, s)
}

// digitValue returns the value of a decimal digit of any script: Unicode
// lays each script's digits out as runs of ten from zero, some runs back to
// back, so the value is the distance from the start of the run modulo ten.
func digitValue(r rune) int {
	base := r
	for unicode.IsDigit(base - 1) {
		base--
	}
	return int(r-base) % 10
}

// press handles button data.
func (t *Turn) press(data string) error {
	if flow, seq, step, opt, ok := parseButtonData(data); ok {
		s := t.S
		if s.Flow != flow || s.Step != step || s.Seq != seq {
			t.staleNotice()
			return nil
		}
		f := t.C.Flows[flow]
		st := f.Step(step)
		for i := range st.Options {
			o := &st.Options[i]
			if o.ID != opt {
				continue
			}
			t.choose(st, o)
			return t.goTo(f, o.Next)
		}
		t.staleNotice()
		return nil
	}
	prefix, _, _ := strings.Cut(data, ".")
	if h := t.e.buttons[prefix]; h != nil {
		return h(t, data)
	}
	t.staleNotice()
	return nil
}

// staleNotice answers a press on a button that is no longer active and
// changes nothing.
func (t *Turn) staleNotice() {
	t.stale = true
	t.Notice("button.stale")
	if t.U.Data == "" {
		// A typed number for an old prompt: say so in the chat.
		t.Say("button.stale", nil)
	}
}

// choose records an option's answer.
func (t *Turn) choose(st *content.Step, o *content.Option) {
	s := t.S
	if st.Answer != "" {
		if s.Answers == nil {
			s.Answers = map[string]string{}
		}
		s.Answers[st.Answer] = o.Value
	}
	if st.Indicator != "" {
		if s.Flags == nil {
			s.Flags = map[string]string{}
		}
		s.Flags[st.Indicator] = o.ID
	}
	if o.Flag != "" {
		if s.Flags == nil {
			s.Flags = map[string]string{}
		}
		s.Flags[o.Flag] = "y"
	}
}

// parseButtonData reads content.ButtonData back.
func parseButtonData(data string) (flow string, seq int, step, opt string, ok bool) {
	p := strings.Split(data, ".")
	if len(p) != 5 || p[0] != "1" {
		return "", 0, "", "", false
	}
	n, err := strconv.ParseInt(p[2], 36, 64)
	if err != nil {
		return "", 0, "", "", false
	}
	return p[1], int(n), p[3], p[4], true
}

// typed handles free text that is not a command or a number.
func (t *Turn) typed(text string) error {
	s := t.S
	if s.Flow != "" {
		f := t.C.Flows[s.Flow]
		st := f.Step(s.Step)
		if st.Kind == content.StepText {
			return t.answerText(f, st, text)
		}
	}
	if t.reader != nil && len([]rune(text)) >= offerTextMin {
		return t.readOffer(text)
	}
	if s.Flow != "" {
		// Waiting for a press: say so, and ask again.
		t.Say("input.use_buttons", nil)
		return t.ask(t.C.Flows[s.Flow], t.C.Flows[s.Flow].Step(s.Step))
	}
	if s.Lang == "" && s.Hint == "" {
		return t.pickLanguage()
	}
	return t.welcome()
}

// answerText validates the text typed at a text step.
func (t *Turn) answerText(f *content.Flow, st *content.Step, text string) error {
	value := text
	if st.Validate != "" {
		v, ok, problem := t.e.validators[st.Validate](t, text)
		if !ok {
			if problem != "" { // "": the validator said what is wrong itself, with data
				t.Say(problem, nil)
			}
			return t.ask(f, st)
		}
		value = v
	}
	if t.S.Answers == nil {
		t.S.Answers = map[string]string{}
	}
	t.S.Answers[st.Answer] = value
	return t.goTo(f, st.Next)
}

// pending handles the reply to a confirmation; done reports whether the
// text was such a reply.
func (t *Turn) pending(text string) (done bool, err error) {
	p := t.S.Pending
	t.S.Pending = ""
	if p == "forget" {
		// Compared as matching keys: "xoa", "XÓA" and a decomposed "XÓA" are
		// the same word to the person typing it on a phone.
		if k := textkey.Key(text); k == textkey.Key(t.Text("forget.word", nil)) || k == "forget" {
			return true, t.forgetAll()
		}
		t.Say("forget.kept", nil)
		return true, nil
	}
	return false, nil
}

// location handles a shared location. Without a trip there is nothing to do
// with it, and it is not kept.
func (t *Turn) location() error {
	if h := t.e.buttons["loc"]; h != nil {
		return h(t, "loc")
	}
	if !t.U.Location.Live {
		t.Say("location.not_kept", nil)
	}
	return nil
}
