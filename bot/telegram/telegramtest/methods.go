package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

func (s *Server) getMe(context.Context, map[string]string) (any, *apiError) {
	return map[string]any{
		"id":                          BotID,
		"is_bot":                      true,
		"first_name":                  BotFirstName,
		"username":                    BotUsername,
		"can_join_groups":             true,
		"can_read_all_group_messages": false,
		"supports_inline_queries":     false,
	}, nil
}

// getUpdates is a real long poll: it confirms updates below offset,
// returns at most limit pending ones, and when there are none waits up to
// timeout seconds for one. A newer getUpdates ends a waiting one with 409,
// as on Telegram; so does an active webhook.
func (s *Server) getUpdates(ctx context.Context, p map[string]string) (any, *apiError) {
	offset, _ := strconv.Atoi(p["offset"])
	limit, _ := strconv.Atoi(p["limit"])
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(p["timeout"])
	var allowed map[string]bool
	if raw := p["allowed_updates"]; raw != "" {
		var list []string
		if err := json.Unmarshal([]byte(raw), &list); err != nil {
			return nil, badRequest("can't parse allowed updates")
		}
		allowed = make(map[string]bool, len(list))
		for _, k := range list {
			allowed[k] = true
		}
	}

	s.mu.Lock()
	if s.webhook.url != "" {
		s.mu.Unlock()
		return nil, &apiError{code: http.StatusConflict, desc: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	if allowed != nil {
		s.allowed = allowed
		if len(allowed) == 0 {
			s.allowed = nil
		}
	}
	s.confirmLocked(offset)
	s.pollGen++
	gen := s.pollGen
	s.notifyLocked() // wake an older poll so it can answer 409
	var deadline <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(time.Duration(timeout) * time.Second)
		defer t.Stop()
		deadline = t.C
	}
	waiting := false
	defer func() {
		if waiting {
			s.mu.Lock()
			s.polling--
			s.mu.Unlock()
		}
	}()
	for {
		if gen != s.pollGen {
			s.mu.Unlock()
			return nil, &apiError{code: http.StatusConflict, desc: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
		}
		if s.webhook.url != "" {
			s.mu.Unlock()
			return nil, &apiError{code: http.StatusConflict, desc: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
		}
		batch := s.pendingLocked(limit)
		if len(batch) > 0 || timeout <= 0 || s.closed {
			s.mu.Unlock()
			return joinUpdates(batch), nil
		}
		if !waiting {
			waiting = true
			s.polling++
			s.notifyLocked()
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-deadline:
			return json.RawMessage("[]"), nil
		case <-ctx.Done():
			return nil, errClientGone
		case <-s.ctx.Done():
		}
		s.mu.Lock()
	}
}

// confirmLocked drops updates below offset (or, for a negative offset,
// all but the last -offset), as getUpdates does.
func (s *Server) confirmLocked(offset int) {
	switch {
	case offset > 0:
		i := 0
		for i < len(s.queue) && s.queue[i].id < offset {
			i++
		}
		if i > 0 {
			s.queue = append([]queuedUpdate(nil), s.queue[i:]...)
		}
	case offset < 0:
		if keep := -offset; keep < len(s.queue) {
			s.queue = append([]queuedUpdate(nil), s.queue[len(s.queue)-keep:]...)
		}
	}
}

// pendingLocked returns up to limit queued updates of allowed types,
// dropping updates of other types for good.
func (s *Server) pendingLocked(limit int) []queuedUpdate {
	if s.allowed != nil {
		kept := s.queue[:0]
		for _, u := range s.queue {
			if s.allowed[u.kind] {
				kept = append(kept, u)
			}
		}
		s.queue = kept
	}
	n := min(limit, len(s.queue))
	return append([]queuedUpdate(nil), s.queue[:n]...)
}

func joinUpdates(us []queuedUpdate) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, u := range us {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(u.body)
	}
	b.WriteByte(']')
	return b.Bytes()
}

// WaitPolling waits until a getUpdates call is blocked in its long poll,
// so that a test can push an update "while the bot is waiting".
func (s *Server) WaitPolling(ctx context.Context) error {
	for {
		s.mu.Lock()
		n := s.polling
		ch := s.changed
		s.mu.Unlock()
		if n > 0 {
			return nil
		}
		if !s.waitChange(ctx, ch) {
			return waitErr(ctx)
		}
	}
}

// Pending is the number of updates queued and not yet confirmed.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

func chatIDParam(p map[string]string) (int64, *apiError) {
	v, ok := p["chat_id"]
	if !ok || v == "" {
		return 0, badRequest("chat_id is empty")
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id == 0 {
		return 0, badRequest("chat not found")
	}
	return id, nil
}

func (s *Server) sendMessage(_ context.Context, p map[string]string) (any, *apiError) {
	chatID, aerr := chatIDParam(p)
	if aerr != nil {
		return nil, aerr
	}
	text := p["text"]
	if strings.TrimSpace(text) == "" {
		return nil, badRequest("message text is empty")
	}
	if utf16Len(text) > 4096 {
		return nil, badRequest("message is too long")
	}
	if aerr := checkEntities(text, p["parse_mode"]); aerr != nil {
		return nil, aerr
	}
	mk, aerr := parseMarkup(p["reply_markup"])
	if aerr != nil {
		return nil, aerr
	}
	replyTo, _ := strconv.Atoi(p["reply_to_message_id"])

	s.mu.Lock()
	defer s.mu.Unlock()
	if replyTo != 0 && p["allow_sending_without_reply"] != "true" {
		if _, ok := s.msgs[msgKey{chatID, replyTo}]; !ok {
			return nil, badRequest("replied message not found")
		}
	}
	now := time.Now()
	if aerr := s.rateLimitLocked(chatID, now); aerr != nil {
		return nil, aerr
	}
	m := &message{
		id:        s.nextMessageIDLocked(chatID),
		chat:      chatID,
		fromBot:   true,
		from:      botUser,
		date:      now.Unix(),
		text:      text,
		parseMode: p["parse_mode"],
		markup:    mk.inlineJSON,
		keyboard:  mk.inline,
		updated:   now,
	}
	s.msgs[msgKey{chatID, m.id}] = m
	sm := m.sentView()
	sm.ReplyKeyboard = mk.reply
	sm.ReplyMarkup = p["reply_markup"]
	sm.ReplyToMessageID = replyTo
	sm.DisableNotification = p["disable_notification"] == "true"
	s.sent = append(s.sent, sm)
	s.notifyLocked()
	return s.wireLocked(m), nil
}

func (s *Server) sendChatAction(_ context.Context, p map[string]string) (any, *apiError) {
	if _, aerr := chatIDParam(p); aerr != nil {
		return nil, aerr
	}
	if p["action"] == "" {
		return nil, badRequest("action is empty") // wording approximate
	}
	return true, nil
}

// editTarget finds the bot message an edit refers to.
func (s *Server) editTargetLocked(p map[string]string) (*message, *apiError) {
	if p["inline_message_id"] != "" {
		return nil, badRequest("MESSAGE_ID_INVALID") // inline messages are not emulated
	}
	chatID, aerr := chatIDParam(p)
	if aerr != nil {
		return nil, aerr
	}
	id, _ := strconv.Atoi(p["message_id"])
	if id == 0 {
		return nil, badRequest("message identifier is not specified")
	}
	m, ok := s.msgs[msgKey{chatID, id}]
	if !ok {
		return nil, badRequest("message to edit not found")
	}
	if !m.fromBot {
		return nil, badRequest("message can't be edited")
	}
	return m, nil
}

const notModified = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"

func (s *Server) editMessageText(_ context.Context, p map[string]string) (any, *apiError) {
	text := p["text"]
	if strings.TrimSpace(text) == "" {
		return nil, badRequest("message text is empty")
	}
	if utf16Len(text) > 4096 {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	if aerr := checkEntities(text, p["parse_mode"]); aerr != nil {
		return nil, aerr
	}
	mk, aerr := parseMarkup(p["reply_markup"])
	if aerr != nil {
		return nil, aerr
	}
	if mk.reply != nil {
		return nil, badRequest("inline keyboard expected")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, aerr := s.editTargetLocked(p)
	if aerr != nil {
		return nil, aerr
	}
	if mk.keep {
		mk.inlineJSON, mk.inline = m.markup, m.keyboard
	}
	if m.text == text && bytes.Equal(m.markup, mk.inlineJSON) {
		return nil, badRequest(notModified)
	}
	now := time.Now()
	m.text, m.parseMode = text, p["parse_mode"]
	m.markup, m.keyboard = mk.inlineJSON, mk.inline // no reply_markup: keyboard removed
	m.editDate, m.updated = now.Unix(), now
	s.recordEditLocked("editMessageText", m, now)
	return s.wireLocked(m), nil
}

func (s *Server) editMessageReplyMarkup(_ context.Context, p map[string]string) (any, *apiError) {
	mk, aerr := parseMarkup(p["reply_markup"])
	if aerr != nil {
		return nil, aerr
	}
	if mk.reply != nil {
		return nil, badRequest("inline keyboard expected")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, aerr := s.editTargetLocked(p)
	if aerr != nil {
		return nil, aerr
	}
	if mk.keep || bytes.Equal(m.markup, mk.inlineJSON) {
		return nil, badRequest(notModified)
	}
	now := time.Now()
	m.markup, m.keyboard = mk.inlineJSON, mk.inline
	m.editDate, m.updated = now.Unix(), now
	s.recordEditLocked("editMessageReplyMarkup", m, now)
	return s.wireLocked(m), nil
}

func (s *Server) recordEditLocked(method string, m *message, now time.Time) {
	s.edits = append(s.edits, Edit{
		Method:    method,
		ChatID:    m.chat,
		MessageID: m.id,
		Text:      m.text,
		ParseMode: m.parseMode,
		Keyboard:  copyKeyboard(m.keyboard),
		Time:      now,
	})
	s.notifyLocked()
}

func (s *Server) deleteMessage(_ context.Context, p map[string]string) (any, *apiError) {
	chatID, aerr := chatIDParam(p)
	if aerr != nil {
		return nil, aerr
	}
	id, _ := strconv.Atoi(p["message_id"])
	s.mu.Lock()
	defer s.mu.Unlock()
	k := msgKey{chatID, id}
	if _, ok := s.msgs[k]; !ok {
		return nil, badRequest("message to delete not found")
	}
	delete(s.msgs, k)
	s.notifyLocked()
	return true, nil
}

const queryTooOld = "query is too old and response timeout expired or query ID is invalid"

func (s *Server) answerCallbackQuery(_ context.Context, p map[string]string) (any, *apiError) {
	id := p["callback_query_id"]
	if id == "" {
		return nil, badRequest("QUERY_ID_INVALID")
	}
	cacheTime, _ := strconv.Atoi(p["cache_time"])
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.queries[id]
	now := time.Now()
	if !ok || q.answered || (s.callbackTTL > 0 && now.Sub(q.pushed) > s.callbackTTL) {
		return nil, badRequest(queryTooOld)
	}
	if utf16Len(p["text"]) > 200 {
		return nil, badRequest("MESSAGE_TOO_LONG") // wording approximate
	}
	q.answered = true
	s.answers = append(s.answers, CallbackAnswer{
		QueryID:   id,
		ChatID:    q.chat,
		MessageID: q.msgID,
		Data:      q.data,
		Text:      p["text"],
		ShowAlert: p["show_alert"] == "true",
		URL:       p["url"],
		CacheTime: cacheTime,
		Time:      now,
	})
	s.notifyLocked()
	return true, nil
}

// commandsKey is the language code; scopes other than the default are
// kept apart as "<scope type>/<language code>".
func commandsKey(p map[string]string) (string, *apiError) {
	lang := p["language_code"]
	if raw := p["scope"]; raw != "" {
		var sc struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal([]byte(raw), &sc); err != nil || sc.Type == "" {
			return "", badRequest("can't parse BotCommandScope JSON object")
		}
		if sc.Type != "default" {
			return sc.Type + "/" + lang, nil
		}
	}
	return lang, nil
}

func (s *Server) setMyCommands(_ context.Context, p map[string]string) (any, *apiError) {
	key, aerr := commandsKey(p)
	if aerr != nil {
		return nil, aerr
	}
	var cmds []BotCommand
	if err := json.Unmarshal([]byte(p["commands"]), &cmds); err != nil {
		return nil, badRequest("can't parse commands JSON object") // wording approximate
	}
	if len(cmds) > 100 {
		return nil, badRequest("BOT_COMMANDS_TOO_MUCH")
	}
	for _, c := range cmds {
		if !validCommand(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := len([]rune(c.Description)); n < 1 || n > 256 {
			return nil, badRequest("BOT_COMMAND_DESCRIPTION_INVALID") // wording approximate
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(cmds) == 0 {
		delete(s.commands, key)
	} else {
		s.commands[key] = cmds
	}
	s.notifyLocked()
	return true, nil
}

func validCommand(c string) bool {
	if len(c) < 1 || len(c) > 32 {
		return false
	}
	for _, r := range c {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

func (s *Server) getMyCommands(_ context.Context, p map[string]string) (any, *apiError) {
	key, aerr := commandsKey(p)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cmds := append([]BotCommand{}, s.commands[key]...)
	return cmds, nil
}

func (s *Server) deleteMyCommands(_ context.Context, p map[string]string) (any, *apiError) {
	key, aerr := commandsKey(p)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.commands, key)
	s.notifyLocked()
	return true, nil
}

// Sent returns a copy of every successful sendMessage call, in order.
func (s *Server) Sent() []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sentCopyLocked()
}

func (s *Server) sentCopyLocked() []SentMessage {
	out := make([]SentMessage, len(s.sent))
	for i, m := range s.sent {
		m.Keyboard = copyKeyboard(m.Keyboard)
		m.ReplyKeyboard = copyKeyboard(m.ReplyKeyboard)
		out[i] = m
	}
	return out
}

// SentTo returns the sendMessage calls to one chat.
func (s *Server) SentTo(chatID int64) []SentMessage {
	var out []SentMessage
	for _, m := range s.Sent() {
		if m.ChatID == chatID {
			out = append(out, m)
		}
	}
	return out
}

// WaitSent waits until at least n messages have been sent in total and
// returns all of them.
func (s *Server) WaitSent(ctx context.Context, n int) ([]SentMessage, error) {
	for {
		s.mu.Lock()
		got := len(s.sent)
		ch := s.changed
		var out []SentMessage
		if got >= n {
			out = s.sentCopyLocked()
		}
		s.mu.Unlock()
		if out != nil {
			return out, nil
		}
		if !s.waitChange(ctx, ch) {
			return s.Sent(), fmt.Errorf("telegramtest: %d of %d messages sent: %w", got, n, waitErr(ctx))
		}
	}
}

// Edits returns every successful edit, in order.
func (s *Server) Edits() []Edit {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Edit, len(s.edits))
	for i, e := range s.edits {
		e.Keyboard = copyKeyboard(e.Keyboard)
		out[i] = e
	}
	return out
}

// Message returns the current state of a bot message after any edits
// (Time is the last change), and false if there is no such bot message.
func (s *Server) Message(chatID int64, messageID int) (SentMessage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.msgs[msgKey{chatID, messageID}]
	if !ok || !m.fromBot {
		return SentMessage{}, false
	}
	return m.sentView(), true
}

// Answered returns every successful answerCallbackQuery call, in order.
func (s *Server) Answered() []CallbackAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]CallbackAnswer(nil), s.answers...)
}

// Commands returns the command lists set with setMyCommands, keyed by
// language_code ("" for the default). A non-default scope is keyed as
// "<scope type>/<language code>", e.g. "all_private_chats/th".
func (s *Server) Commands() map[string][]BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string][]BotCommand, len(s.commands))
	for k, v := range s.commands {
		out[k] = append([]BotCommand(nil), v...)
	}
	return out
}

// SetCallbackTTL makes answerCallbackQuery fail with "query is too old"
// once d has passed since the press (0, the default, never expires).
// Real Telegram allows roughly 10-15 seconds.
func (s *Server) SetCallbackTTL(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.callbackTTL = d
}
