package wechat

import (
	"html"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/homeward-ngo/homeward/bot"
)

// minPart is the least room, in bytes, worth filling with the start of a
// message that does not fit whole after others: below it the message waits
// whole for the next part rather than leave a scrap at the end of this one.
const minPart = 256

// plan is one passive reply made of a chat's queued messages.
type plan struct {
	text  string
	taken int          // the first taken messages are in text whole or in part
	rest  *bot.Message // the message cut in two, holding what was not sent; nil if none
}

// fit renders queued messages, oldest first, into one passive reply of at
// most limit bytes. A passive reply is a single message, so everything is
// joined with blank lines. Only the message whose buttons are the chat's
// current prompt gets them, numbered ("1. …"), since a typed number presses
// that prompt and no older one. When the whole does not fit, the reply ends
// with more (a hint to reply 0 for the rest) and the rest stays queued: whole
// messages, and the end of one cut at a paragraph, line, space or character
// boundary. The rest of a cut message is kept as escaped plain text with its
// numbered choices written out, so it renders the same later.
func fit(msgs []bot.Message, prompt []string, limit int, more string) plan {
	numbered := -1
	for i, m := range msgs {
		if len(prompt) > 0 && slices.Equal(buttonData(m), prompt) {
			numbered = i
		}
	}
	parts := make([]string, len(msgs))
	total := 0
	for i, m := range msgs {
		parts[i] = render(m, i == numbered)
		total += len(parts[i])
		if i > 0 {
			total += len("\n\n")
		}
	}
	if total <= limit {
		return plan{text: strings.Join(parts, "\n\n"), taken: len(msgs)}
	}

	tail := "\n\n" + more
	budget := limit - len(tail)
	if budget < limit/2 {
		// A hint longer than half a reply is a broken translation; keep
		// the reply within the limit anyway.
		tail, budget = "", limit
	}
	var b strings.Builder
	for i, part := range parts {
		sep := ""
		if b.Len() > 0 {
			sep = "\n\n"
		}
		if b.Len()+len(sep)+len(part) <= budget {
			b.WriteString(sep + part)
			continue
		}
		room := budget - b.Len() - len(sep)
		if b.Len() > 0 && room < minPart {
			return plan{text: b.String() + tail, taken: i}
		}
		cut := cutPoint(part, room)
		b.WriteString(sep + strings.TrimRightFunc(part[:cut], unicode.IsSpace))
		left := strings.TrimLeftFunc(part[cut:], unicode.IsSpace)
		if left == "" {
			return plan{text: b.String() + tail, taken: i + 1}
		}
		rest := msgs[i]
		rest.Text = html.EscapeString(left)
		rest.Buttons = nil
		return plan{text: b.String() + tail, taken: i, rest: &rest}
	}
	// Unreachable: the parts did not fit, so one of them returned.
	return plan{text: b.String(), taken: len(msgs)}
}

// render shows one message as plain text, with its buttons numbered when
// they are the current prompt.
func render(m bot.Message, numbered bool) string {
	text := strings.TrimSpace(bot.PlainText(m.Text))
	if !numbered {
		return text
	}
	var b strings.Builder
	b.WriteString(text)
	n := 0
	for _, row := range m.Buttons {
		for _, btn := range row {
			n++
			if n == 1 {
				b.WriteString("\n")
			}
			b.WriteString("\n" + strconv.Itoa(n) + ". " + btn.Label)
		}
	}
	return b.String()
}

// buttonData lists a message's button data in the order of its buttons,
// which is the order of Session.Prompt.
func buttonData(m bot.Message) []string {
	var out []string
	for _, row := range m.Buttons {
		for _, btn := range row {
			out = append(out, btn.Data)
		}
	}
	return out
}

// cutPoint returns where to cut s so that s[:cut] fits in room bytes: at
// the last paragraph break, line break or space in the second half of the
// room, else at a character boundary that does not split a combining mark
// from its letter. It cuts after at least one character, so that every
// reply makes progress.
func cutPoint(s string, room int) int {
	if room >= len(s) {
		return len(s)
	}
	if room < 1 {
		room = 1
	}
	head := s[:room]
	for _, sep := range []string{"\n\n", "\n", " "} {
		if i := strings.LastIndex(head, sep); i >= room/2 && i > 0 {
			return i
		}
	}
	cut := room
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	for cut > 0 {
		r, _ := utf8.DecodeRuneInString(s[cut:])
		if !joins(r) {
			break
		}
		_, size := utf8.DecodeLastRuneInString(s[:cut])
		cut -= size
	}
	if cut > 0 {
		return cut
	}
	// A letter with more marks than the room holds: split the marks.
	cut = room
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if cut == 0 {
		// A room smaller than the first character: take it whole, so
		// that every reply makes progress.
		_, cut = utf8.DecodeRuneInString(s)
	}
	return cut
}

// joins reports whether r belongs to the character before it: a combining
// mark (Thai and Burmese vowels and tones), a zero-width joiner or a
// variation selector.
func joins(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc) || r == '\u200d' || unicode.Is(unicode.Variation_Selector, r)
}
