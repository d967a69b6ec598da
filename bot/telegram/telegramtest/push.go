package telegramtest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SetUser sets the user who writes in private chat chatID (by default ID
// chatID, first name "Test", language_code "en"). Set LanguageCode to test
// language selection.
func (s *Server) SetUser(chatID int64, u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chatID)
	c.user, c.hasUser = u, true
}

// PushMessage queues a text message from the user of private chat chatID
// and returns its update_id. Text starting with a command ("/start",
// "/lang@bot th") carries a bot_command entity, as Telegram adds one.
func (s *Server) PushMessage(chatID int64, text string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.userMessageLocked(chatID, s.userLocked(chatID))
	m.text = text
	m.entities = commandEntity(text)
	return s.enqueueLocked("message", s.wireLocked(m))
}

// PushGroupMessage queues a text message from user fromID in group
// chatID (a negative ID; below -10^12 the chat is a supergroup).
func (s *Server) PushGroupMessage(chatID, fromID int64, text string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	from := User{ID: fromID, FirstName: "Member " + strconv.FormatInt(fromID, 10), LanguageCode: "en"}
	if c, ok := s.chats[fromID]; ok && c.hasUser {
		from = c.user
	}
	m := s.userMessageLocked(chatID, from)
	m.text = text
	m.entities = commandEntity(text)
	return s.enqueueLocked("message", s.wireLocked(m))
}

// PushLocation queues a location message (a shared position) from the
// user of chat chatID and returns its update_id.
func (s *Server) PushLocation(chatID int64, latitude, longitude float64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.userMessageLocked(chatID, s.userLocked(chatID))
	m.location = &location{Latitude: latitude, Longitude: longitude}
	return s.enqueueLocked("message", s.wireLocked(m))
}

// PushEditedMessage queues an edited_message update: the user changed the
// text of their earlier message messageID. It returns the update_id.
func (s *Server) PushEditedMessage(chatID int64, messageID int, text string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	m, ok := s.msgs[msgKey{chatID, messageID}]
	if !ok || m.fromBot {
		m = &message{id: messageID, chat: chatID, from: s.userLocked(chatID), date: now.Unix()}
	}
	m.text = text
	m.entities = commandEntity(text)
	m.editDate, m.updated = now.Unix(), now
	return s.enqueueLocked("edited_message", s.wireLocked(m))
}

// PushCallback queues a callback_query: the user pressed the inline button
// carrying data on bot message messageID in chat chatID. The update holds
// the message as it is now (text and keyboard), or only its ID and chat
// when the fake never sent it. It returns the callback query ID to match
// against Answered.
func (s *Server) PushCallback(chatID int64, messageID int, data string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextQuery++
	id := strconv.FormatInt(4000000000000000000+int64(s.nextQuery), 10)
	s.queries[id] = &queryState{chat: chatID, msgID: messageID, data: data, pushed: time.Now()}
	var wm *wireMessage
	if m, ok := s.msgs[msgKey{chatID, messageID}]; ok {
		wm = s.wireLocked(m)
	} else {
		wm = &wireMessage{MessageID: messageID, Chat: s.wireChatLocked(chatID)}
	}
	s.enqueueLocked("callback_query", wireCallback{
		ID:           id,
		From:         s.userLocked(chatID),
		Message:      wm,
		ChatInstance: strconv.FormatInt(chatID*7919+13, 10),
		Data:         data,
	})
	return id
}

// PushUpdate queues any other update, e.g. kind "my_chat_member" with the
// payload the Bot API documents; it returns the update_id.
func (s *Server) PushUpdate(kind string, payload any) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enqueueLocked(kind, payload)
}

func (s *Server) userMessageLocked(chatID int64, from User) *message {
	now := time.Now()
	m := &message{
		id:      s.nextMessageIDLocked(chatID),
		chat:    chatID,
		from:    from,
		date:    now.Unix(),
		updated: now,
	}
	s.msgs[msgKey{chatID, m.id}] = m
	return m
}

func (s *Server) enqueueLocked(kind string, payload any) int {
	id := s.nextUpdateID
	s.nextUpdateID++
	body, err := json.Marshal(map[string]any{"update_id": id, kind: payload})
	if err != nil {
		panic(fmt.Sprintf("telegramtest: cannot encode %s update: %v", kind, err))
	}
	s.queue = append(s.queue, queuedUpdate{id: id, kind: kind, body: body})
	s.notifyLocked()
	return id
}

// commandEntity returns the bot_command entity Telegram adds to a text
// that starts with "/command" or "/command@botname".
func commandEntity(text string) []entity {
	if !strings.HasPrefix(text, "/") {
		return nil
	}
	end := strings.IndexAny(text, " \n\t")
	if end < 0 {
		end = len(text)
	}
	cmd := text[1:end]
	name, _, _ := strings.Cut(cmd, "@")
	if name == "" || len(name) > 32 {
		return nil
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return nil
		}
	}
	return []entity{{Type: "bot_command", Offset: 0, Length: utf16Len(text[:end])}}
}
