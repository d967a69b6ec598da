package telegramtest

import (
	"encoding/json"
	"fmt"
	"strings"
)

// markup is a parsed reply_markup.
type markup struct {
	inline     [][]Button
	inlineJSON json.RawMessage // canonical {"inline_keyboard":...}; nil if no buttons
	reply      [][]Button      // "keyboard"
	// keep is set for {"inline_keyboard":null}, what tgbotapi's zero
	// InlineKeyboardMarkup (and NewInlineKeyboardMarkup() with no rows)
	// encodes to. Telegram treats it as "no change": an edit keeps the old
	// buttons (github.com/yaad-index/darbaan PR #70). Only a non-nil empty
	// slice, {"inline_keyboard":[]}, removes them.
	keep bool
}

// parseMarkup checks reply_markup the way the Bot API does, with the
// Bot API's error texts where we know them.
func parseMarkup(raw string) (markup, *apiError) {
	var mk markup
	if raw == "" {
		return mk, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &obj); err != nil {
		var v any
		if json.Unmarshal([]byte(raw), &v) == nil {
			return mk, badRequest("object expected as reply markup")
		}
		return mk, badRequest("can't parse reply keyboard markup JSON object")
	}
	if ik, ok := obj["inline_keyboard"]; ok && string(ik) == "null" {
		mk.keep = true
	} else if ok {
		var rows [][]map[string]any
		if err := json.Unmarshal(ik, &rows); err != nil || rows == nil {
			var loose [][]any
			if json.Unmarshal(ik, &loose) == nil && loose != nil {
				return mk, badRequest("can't parse inline keyboard button: InlineKeyboardButton should be an Object")
			}
			return mk, badRequest(`field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays`)
		}
		for _, row := range rows {
			var out []Button
			for _, b := range row {
				if b == nil {
					return mk, badRequest("can't parse inline keyboard button: InlineKeyboardButton should be an Object")
				}
				btn, aerr := inlineButton(b)
				if aerr != nil {
					return mk, aerr
				}
				out = append(out, btn)
			}
			if len(out) > 0 {
				mk.inline = append(mk.inline, out)
			}
		}
		if len(mk.inline) > 0 {
			canon, _ := json.Marshal(map[string]any{"inline_keyboard": rows})
			mk.inlineJSON = canon
		}
	}
	if kb, ok := obj["keyboard"]; ok {
		var rows [][]json.RawMessage
		if err := json.Unmarshal(kb, &rows); err != nil || rows == nil {
			return mk, badRequest(`field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays`)
		}
		mk.reply = [][]Button{}
		for _, row := range rows {
			var out []Button
			for _, b := range row {
				var btn struct {
					Text string `json:"text"`
				}
				var str string
				if json.Unmarshal(b, &str) == nil {
					btn.Text = str
				} else if err := json.Unmarshal(b, &btn); err != nil {
					return mk, badRequest("can't parse keyboard button: KeyboardButton should be a String or an Object")
				}
				out = append(out, Button{Text: btn.Text})
			}
			mk.reply = append(mk.reply, out)
		}
	}
	return mk, nil
}

func inlineButton(b map[string]any) (Button, *apiError) {
	text, _ := b["text"].(string)
	btn := Button{Text: text}
	if text == "" {
		return btn, badRequest("BUTTON_TEXT_INVALID") // wording approximate
	}
	hasAction := false
	if v, ok := b["callback_data"]; ok {
		data, _ := v.(string)
		if len(data) < 1 || len(data) > 64 { // bytes, not characters
			return btn, badRequest("BUTTON_DATA_INVALID")
		}
		btn.CallbackData = data
		hasAction = true
	}
	if v, ok := b["url"]; ok {
		u, _ := v.(string)
		if u == "" {
			return btn, badRequest("BUTTON_URL_INVALID")
		}
		btn.URL = u
		hasAction = true
	}
	for _, k := range []string{"login_url", "switch_inline_query", "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "callback_game", "pay", "web_app", "copy_text"} {
		if _, ok := b[k]; ok {
			hasAction = true
		}
	}
	if !hasAction {
		return btn, badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
	}
	return btn, nil
}

// checkEntities rejects text that Telegram could not parse with
// parse_mode, so that a broken translation fails in tests as it would in
// production. The checks cover the common mistakes (unknown or unclosed
// HTML tags, an unescaped "<", MarkdownV2 reserved characters, unclosed
// Markdown entities); the error texts follow tdlib's.
func checkEntities(text, parseMode string) *apiError {
	var err string
	switch strings.ToLower(parseMode) {
	case "":
		return nil
	case "html":
		err = checkHTML(text)
	case "markdownv2":
		err = checkMarkdownV2(text)
	case "markdown":
		err = checkMarkdown(text)
	default:
		return badRequest("unsupported parse_mode")
	}
	if err != "" {
		return badRequest("can't parse entities: " + err)
	}
	return nil
}

var htmlTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "span": true, "tg-spoiler": true,
	"a": true, "code": true, "pre": true, "blockquote": true, "tg-emoji": true,
}

func checkHTML(text string) string {
	type open struct {
		name string
		at   int
	}
	var stack []open
	for i := 0; i < len(text); i++ {
		if text[i] != '<' {
			continue
		}
		begin := i
		if i+1 < len(text) && text[i+1] == '/' {
			j := i + 2
			for j < len(text) && text[j] != '>' && text[j] != ' ' {
				j++
			}
			name := strings.ToLower(text[i+2 : j])
			for j < len(text) && text[j] == ' ' {
				j++
			}
			if j >= len(text) || text[j] != '>' {
				return fmt.Sprintf("Can't find end tag at byte offset %d", begin) // wording approximate
			}
			if len(stack) == 0 {
				return fmt.Sprintf("Unexpected end tag at byte offset %d", begin)
			}
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if name != top.name {
				return fmt.Sprintf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", begin, top.name, name)
			}
			i = j
			continue
		}
		j := i + 1
		for j < len(text) && text[j] != '>' && text[j] != ' ' && text[j] != '\t' && text[j] != '\n' {
			j++
		}
		name := strings.ToLower(text[i+1 : j])
		if !htmlTags[name] {
			return fmt.Sprintf("Unsupported start tag \"%s\" at byte offset %d", name, begin)
		}
		var quote byte
		for ; j < len(text); j++ {
			c := text[j]
			if quote != 0 {
				if c == quote {
					quote = 0
				}
				continue
			}
			if c == '"' || c == '\'' {
				quote = c
			} else if c == '>' {
				break
			}
		}
		if j >= len(text) {
			return fmt.Sprintf("Unclosed start tag at byte offset %d", begin)
		}
		stack = append(stack, open{name, begin})
		i = j
	}
	if len(stack) > 0 {
		return fmt.Sprintf("Can't find end tag corresponding to start tag \"%s\"", stack[len(stack)-1].name)
	}
	return ""
}

func checkMarkdownV2(text string) string {
	open := map[string]int{} // entity marker -> byte offset
	names := map[string]string{"*": "Bold", "_": "Italic", "__": "Underline", "~": "Strikethrough", "||": "Spoiler"}
	order := []string{}
	toggle := func(m string, at int) {
		if _, ok := open[m]; ok {
			delete(open, m)
			return
		}
		open[m] = at
		order = append(order, m)
	}
	link := 0 // open '[' count
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '\\':
			i++ // escaped character
		case c == '`':
			fence := "`"
			if strings.HasPrefix(text[i:], "```") {
				fence = "```"
			}
			end := strings.Index(text[i+len(fence):], fence)
			if end < 0 {
				name := "Code"
				if fence == "```" {
					name = "Pre"
				}
				return fmt.Sprintf("Can't find end of %s entity at byte offset %d", name, i)
			}
			i += len(fence) + end + len(fence) - 1
		case c == '_' && strings.HasPrefix(text[i:], "__"):
			toggle("__", i)
			i++
		case c == '|' && strings.HasPrefix(text[i:], "||"):
			toggle("||", i)
			i++
		case c == '*' || c == '_' || c == '~':
			toggle(string(c), i)
		case c == '[':
			link++
		case c == ']' && link > 0:
			link--
			if i+1 < len(text) && text[i+1] == '(' {
				end := strings.IndexByte(text[i+1:], ')')
				if end < 0 {
					return fmt.Sprintf("Can't find end of a URL at byte offset %d", i+1)
				}
				i += 1 + end
			}
		case c == '>' && (i == 0 || text[i-1] == '\n'):
			// blockquote
		case strings.IndexByte("_*[]()~`>#+-=|{}.!", c) >= 0:
			return fmt.Sprintf("Character '%c' is reserved and must be escaped with the preceding '\\'", c)
		}
	}
	for _, m := range order {
		if at, ok := open[m]; ok {
			return fmt.Sprintf("Can't find end of %s entity at byte offset %d", names[m], at)
		}
	}
	if link > 0 {
		return "Can't find end of a link entity" // wording approximate
	}
	return ""
}

func checkMarkdown(text string) string {
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch c {
		case '\\':
			i++
		case '*', '_', '`':
			marker := string(c)
			if strings.HasPrefix(text[i:], "```") {
				marker = "```"
			}
			end := strings.Index(text[i+len(marker):], marker)
			if end < 0 {
				return fmt.Sprintf("Can't find end of the entity starting at byte offset %d", i)
			}
			i += len(marker) + end + len(marker) - 1
		case '[':
			end := strings.IndexByte(text[i:], ']')
			if end < 0 {
				return fmt.Sprintf("Can't find end of the entity starting at byte offset %d", i)
			}
			i += end
		}
	}
	return ""
}
