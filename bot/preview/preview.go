// Package preview serves a local web page where an NGO chats with the real
// engine while editing the content and the translations: buttons show as
// buttons, every text shows the message IDs it came from, a language can be
// picked at any time, and an edit to a file shows at once — or, when the
// edit breaks something, the page lists what the loader found wrong.
//
// It runs the same engine as Telegram, on its own bbolt file, with the chat
// key "pv:<n>". The page is plain HTML and a little JavaScript, with nothing
// loaded from elsewhere.
package preview

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/content"
)

// Channel is the chat key prefix of preview chats.
const Channel = "pv"

// Config configures a Server.
type Config struct {
	Store bot.Store // a store of its own: the preview's chats are not kept
	// Load reads the content and the translations; it is called at start
	// and after every change to a file under Watch.
	Load func() (bot.Assets, error)
	// Watch lists the folders whose files are polled for changes; empty:
	// nothing is reloaded (the built-in content).
	Watch []string
	// NewEngine builds the engine from the first assets (the caller
	// registers what its bot registers); nil: bot.New.
	NewEngine func(bot.Config) (*bot.Engine, error)
	Log       *slog.Logger
}

// Item is one entry of the transcript the page shows.
type Item struct {
	N       int        `json:"n"`
	From    string     `json:"from"`           // "you", "bot" or "system"
	HTML    string     `json:"html,omitempty"` // safe HTML: only <b>, <i>, <u>, <s>, <code> tags
	IDs     []string   `json:"ids,omitempty"`
	Buttons [][]Button `json:"buttons,omitempty"`
	Notice  string     `json:"notice,omitempty"` // the short text of a button press (Telegram's toast)
}

// Button is a button as the page shows it.
type Button struct {
	Label string `json:"label"` // plain text
	Data  string `json:"data"`
}

// Language is one entry of the page's language switch.
type Language struct {
	Tag     string `json:"tag"`
	Endonym string `json:"endonym"`
	Status  string `json:"status"`
}

// State is what GET /api/messages returns.
type State struct {
	Items     []Item     `json:"items"`
	Problems  []string   `json:"problems"` // why the last edit did not load; empty: loaded
	Languages []Language `json:"languages"`
	Reloads   int        `json:"reloads"` // how many times the files were reloaded
}

// Server is the preview: an engine, a transcript and the page.
type Server struct {
	cfg    Config
	engine *bot.Engine
	log    *slog.Logger

	mu       sync.Mutex
	items    []Item
	problems []string
	reloads  int
	chat     int // the current chat is "pv:<chat>"
	updates  int
	stamp    string // fingerprint of the watched files
}

// New loads the assets and builds the engine.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Load == nil {
		return nil, errors.New("preview: a store and a loader are required")
	}
	s := &Server{cfg: cfg, log: cfg.Log, chat: 1}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	assets, err := cfg.Load()
	if err != nil {
		return nil, err
	}
	newEngine := cfg.NewEngine
	if newEngine == nil {
		newEngine = bot.New
	}
	s.engine, err = newEngine(bot.Config{Store: cfg.Store, Assets: assets, Log: s.log})
	if err != nil {
		return nil, err
	}
	s.stamp = s.fingerprint()
	return s, nil
}

// Engine returns the engine the preview runs.
func (s *Server) Engine() *bot.Engine { return s.engine }

// Watch polls the watched folders every interval until ctx is done, and
// reloads the assets when a file changed.
func (s *Server) Watch(ctx context.Context, interval time.Duration) {
	if len(s.cfg.Watch) == 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.CheckFiles()
		}
	}
}

// CheckFiles reloads the assets if a watched file changed since the last
// check, and reports whether it did.
func (s *Server) CheckFiles() bool {
	stamp := s.fingerprint()
	s.mu.Lock()
	changed := stamp != s.stamp
	s.stamp = stamp
	s.mu.Unlock()
	if !changed {
		return false
	}
	s.reload()
	return true
}

// fingerprint sums up the names, sizes and times of every watched file.
func (s *Server) fingerprint() string {
	var b strings.Builder
	for _, dir := range s.cfg.Watch {
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if info, err := d.Info(); err == nil {
				fmt.Fprintf(&b, "%s|%d|%d\n", p, info.Size(), info.ModTime().UnixNano())
			}
			return nil
		})
	}
	return b.String()
}

// reload loads the assets; if they load, the engine speaks with them from
// the next update on, else the page lists the problems.
func (s *Server) reload() {
	assets, err := s.cfg.Load()
	if err == nil {
		err = s.engine.SetAssets(assets)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reloads++
	if err != nil {
		s.problems = problems(err)
		s.log.Info("preview: the edited files do not load", "problems", len(s.problems))
		return
	}
	s.problems = nil
	s.add(Item{From: "system", HTML: "Files reloaded: the next message uses them."})
}

func problems(err error) []string {
	var le *content.LoadError
	if errors.As(err, &le) {
		out := make([]string, len(le.Problems))
		for i, p := range le.Problems {
			out[i] = p.String()
		}
		return out
	}
	return []string{err.Error()}
}

// add appends to the transcript; s.mu must be held.
func (s *Server) add(it Item) {
	it.N = len(s.items) + 1
	s.items = append(s.items, it)
}

// Send hands text or button data to the engine as the person of the current
// chat, and appends both sides to the transcript.
func (s *Server) Send(ctx context.Context, text, data string) error {
	s.mu.Lock()
	s.updates++
	chat := Channel + ":" + strconv.Itoa(s.chat)
	u := bot.Update{ID: fmt.Sprintf("%s:u:%d:%d", Channel, s.chat, s.updates), Chat: chat, Text: text, Data: data}
	you := Item{From: "you", HTML: html.EscapeString(text)}
	if data != "" {
		you.HTML = "<i>pressed</i> " + html.EscapeString(s.label(data))
	}
	s.add(you)
	s.mu.Unlock()

	out, err := s.engine.Handle(ctx, u)
	if err != nil {
		return err
	}
	msgs, err := bot.TakeOutbox(ctx, s.cfg.Store, Channel)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if out.Notice != "" {
		s.items[len(s.items)-1].Notice = out.Notice
	}
	for _, m := range msgs {
		if m.Chat != chat {
			continue // a message to another chat (a guardian): not this person's
		}
		it := Item{From: "bot", HTML: SafeHTML(m.Text), IDs: m.IDs}
		for _, row := range m.Buttons {
			var r []Button
			for _, b := range row {
				r = append(r, Button{Label: bot.PlainText(b.Label), Data: b.Data})
			}
			it.Buttons = append(it.Buttons, r)
		}
		s.add(it)
	}
	return nil
}

// label finds the label of a button the transcript shows; s.mu must be held.
func (s *Server) label(data string) string {
	for i := len(s.items) - 1; i >= 0; i-- {
		for _, row := range s.items[i].Buttons {
			for _, b := range row {
				if b.Data == data {
					return b.Label
				}
			}
		}
	}
	return data
}

// Restart starts a new chat, as a person who never wrote before.
func (s *Server) Restart() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chat++
	s.add(Item{From: "system", HTML: "New chat: the bot does not know this person yet."})
}

// State returns the transcript after item n, the problems and the languages.
func (s *Server) State(after int) State {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := State{Problems: append([]string{}, s.problems...), Reloads: s.reloads, Items: []Item{}}
	if after < len(s.items) {
		st.Items = append(st.Items, s.items[max(after, 0):]...)
	}
	for _, l := range s.engine.Assets().Text.Languages() {
		st.Languages = append(st.Languages, Language{Tag: l.Tag, Endonym: l.Endonym, Status: l.Status})
	}
	return st
}

var allowedTag = regexp.MustCompile(`^</?(b|i|u|s|code)>$`)

var tagOrText = regexp.MustCompile(`<[^<>]*>|[^<]+|<`)

// SafeHTML turns a message's Telegram-HTML text into HTML that is safe to put
// into a page: <b>, <i>, <u>, <s> and <code> stay (without attributes, and
// balanced), a link keeps its text, and everything else is shown as text,
// escaped.
func SafeHTML(text string) string {
	var b strings.Builder
	var open []string
	for _, tok := range tagOrText.FindAllString(text, -1) {
		switch m := allowedTag.FindStringSubmatch(tok); {
		case m != nil && !strings.HasPrefix(tok, "</"):
			open = append(open, m[1])
			b.WriteString(tok)
		case m != nil:
			if len(open) > 0 && open[len(open)-1] == m[1] {
				open = open[:len(open)-1]
				b.WriteString(tok)
			} else {
				b.WriteString(html.EscapeString(tok))
			}
		case strings.HasPrefix(tok, "<a ") || tok == "</a>":
			// a link: its text is shown, the address is not followed
		default:
			b.WriteString(html.EscapeString(html.UnescapeString(tok)))
		}
	}
	for i := len(open) - 1; i >= 0; i-- {
		b.WriteString("</" + open[i] + ">")
	}
	return b.String()
}

// Handler serves the page and its API:
//
//	GET  /                    the page
//	GET  /api/messages?after=N  the transcript after item N, problems, languages
//	POST /api/send            {"text": "…"} or {"data": "…"}: one update
//	POST /api/restart         a new chat
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(page)
	})
	mux.HandleFunc("GET /api/messages", func(w http.ResponseWriter, r *http.Request) {
		after, _ := strconv.Atoi(r.URL.Query().Get("after"))
		writeJSON(w, http.StatusOK, s.State(after))
	})
	mux.HandleFunc("POST /api/send", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Text, Data string }
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&in); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad request: " + err.Error()})
			return
		}
		if strings.TrimSpace(in.Text) == "" && in.Data == "" {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "text or data is required"})
			return
		}
		if err := s.Send(r.Context(), in.Text, in.Data); err != nil {
			s.log.Warn("preview: handling an update", "err", err)
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
	mux.HandleFunc("POST /api/restart", func(w http.ResponseWriter, r *http.Request) {
		s.Restart()
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
	return mux
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

//go:embed page.html
var page []byte

// TempStore is a folder for the preview's own data file, removed by the
// returned cleanup.
func TempStore() (dir string, cleanup func(), err error) {
	dir, err = os.MkdirTemp("", "homeward-preview-")
	if err != nil {
		return "", nil, fmt.Errorf("preview: making a temporary folder: %w", err)
	}
	return dir, func() { _ = os.RemoveAll(dir) }, nil
}
