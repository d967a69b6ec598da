package telegramtest

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf16"
)

// User is a Telegram user as it appears in updates ("from").
type User struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

// Button is one inline keyboard button, or one reply keyboard button
// (then CallbackData and URL are empty).
type Button struct {
	Text         string
	CallbackData string
	URL          string
}

// SentMessage is one successful sendMessage call.
type SentMessage struct {
	ChatID    int64
	MessageID int
	Text      string // as sent, markup included
	ParseMode string
	// Keyboard is the inline keyboard, nil if none.
	Keyboard [][]Button
	// ReplyKeyboard is a custom reply keyboard ("keyboard"), nil if none.
	ReplyKeyboard [][]Button
	// ReplyMarkup is the reply_markup JSON as sent, "" if none.
	ReplyMarkup         string
	ReplyToMessageID    int
	DisableNotification bool
	Time                time.Time
}

// Edit is one successful editMessageText or editMessageReplyMarkup call.
type Edit struct {
	Method    string // "editMessageText" or "editMessageReplyMarkup"
	ChatID    int64
	MessageID int
	Text      string // the message text after the edit
	ParseMode string
	// Keyboard is the inline keyboard after the edit; nil means removed.
	// As on real Telegram, an edit without reply_markup removes it.
	Keyboard [][]Button
	Time     time.Time
}

// CallbackAnswer is one successful answerCallbackQuery call, joined with
// the callback query it answers.
type CallbackAnswer struct {
	QueryID   string
	ChatID    int64 // of the pressed message
	MessageID int   // of the pressed message
	Data      string
	Text      string
	ShowAlert bool
	URL       string
	CacheTime int
	Time      time.Time
}

// BotCommand is one entry of setMyCommands.
type BotCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// wire shapes of the Bot API

type wireChat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Title     string `json:"title,omitempty"`
	Username  string `json:"username,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
}

type entity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

type location struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

type wireMessage struct {
	MessageID   int             `json:"message_id"`
	From        *User           `json:"from,omitempty"`
	Chat        wireChat        `json:"chat"`
	Date        int64           `json:"date"`
	EditDate    int64           `json:"edit_date,omitempty"`
	Text        string          `json:"text,omitempty"`
	Entities    []entity        `json:"entities,omitempty"`
	Location    *location       `json:"location,omitempty"`
	ReplyMarkup json.RawMessage `json:"reply_markup,omitempty"`
}

type wireCallback struct {
	ID           string       `json:"id"`
	From         User         `json:"from"`
	Message      *wireMessage `json:"message,omitempty"`
	ChatInstance string       `json:"chat_instance"`
	Data         string       `json:"data,omitempty"`
}

type queuedUpdate struct {
	id   int
	kind string // "message", "callback_query", ...
	body json.RawMessage
}

type msgKey struct {
	chat int64
	id   int
}

// message is a stored message of either side.
type message struct {
	id        int
	chat      int64
	fromBot   bool
	from      User
	date      int64
	editDate  int64
	text      string
	parseMode string
	entities  []entity
	location  *location
	markup    json.RawMessage // inline keyboard only, canonical JSON
	keyboard  [][]Button
	updated   time.Time
}

type chatState struct {
	user      User // the private chat's user
	hasUser   bool
	nextMsgID int
}

type queryState struct {
	chat     int64
	msgID    int
	data     string
	pushed   time.Time
	answered bool
}

var botUser = User{ID: BotID, IsBot: true, FirstName: BotFirstName, Username: BotUsername}

func chatType(id int64) string {
	switch {
	case id > 0:
		return "private"
	case id < -1000000000000:
		return "supergroup"
	default:
		return "group"
	}
}

func (s *Server) chatLocked(id int64) *chatState {
	c := s.chats[id]
	if c == nil {
		c = &chatState{nextMsgID: 1}
		s.chats[id] = c
	}
	return c
}

// userLocked is the user of a private chat (the default user has the
// chat's ID, first name "Test" and language "en").
func (s *Server) userLocked(chatID int64) User {
	c := s.chatLocked(chatID)
	if c.hasUser {
		return c.user
	}
	id := chatID
	if id <= 0 {
		id = 1000
	}
	return User{ID: id, FirstName: "Test", LanguageCode: "en"}
}

func (s *Server) wireChatLocked(id int64) wireChat {
	wc := wireChat{ID: id, Type: chatType(id)}
	if wc.Type == "private" {
		u := s.userLocked(id)
		wc.FirstName, wc.LastName, wc.Username = u.FirstName, u.LastName, u.Username
	} else {
		wc.Title = "Group " + strconv.FormatInt(-id, 10)
	}
	return wc
}

func (s *Server) nextMessageIDLocked(chat int64) int {
	c := s.chatLocked(chat)
	id := c.nextMsgID
	c.nextMsgID++
	return id
}

func (s *Server) wireLocked(m *message) *wireMessage {
	w := &wireMessage{
		MessageID: m.id,
		Chat:      s.wireChatLocked(m.chat),
		Date:      m.date,
		EditDate:  m.editDate,
		Text:      m.text,
		Entities:  m.entities,
		Location:  m.location,
	}
	from := m.from
	w.From = &from
	if len(m.markup) > 0 {
		w.ReplyMarkup = m.markup
	}
	return w
}

func (m *message) sentView() SentMessage {
	return SentMessage{
		ChatID:    m.chat,
		MessageID: m.id,
		Text:      m.text,
		ParseMode: m.parseMode,
		Keyboard:  copyKeyboard(m.keyboard),
		Time:      m.updated,
	}
}

func copyKeyboard(k [][]Button) [][]Button {
	if k == nil {
		return nil
	}
	out := make([][]Button, len(k))
	for i, row := range k {
		out[i] = append([]Button(nil), row...)
	}
	return out
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
