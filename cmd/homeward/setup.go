package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/boltstore"
	"github.com/homeward-ngo/homeward/bot/console"
	"github.com/homeward-ngo/homeward/content"
	"github.com/homeward-ngo/homeward/locales"
)

// sources says where content and locales are read from: the embedded copies,
// or folders an NGO is editing.
type sources struct {
	content, locales string
}

func (s *sources) flags(fl *flag.FlagSet) {
	fl.StringVar(&s.content, "content", "", "read content from this folder instead of the built-in copy")
	fl.StringVar(&s.locales, "locales", "", "read translations from this folder instead of the built-in copy")
}

func (s sources) fs() (contentFS, localesFS fs.FS, err error) {
	contentFS, localesFS = content.Files, locales.Files
	if s.content != "" {
		if _, err := os.Stat(s.content); err != nil {
			return nil, nil, fmt.Errorf("content folder: %w", err)
		}
		contentFS = os.DirFS(s.content)
	}
	if s.locales != "" {
		if _, err := os.Stat(s.locales); err != nil {
			return nil, nil, fmt.Errorf("locales folder: %w", err)
		}
		localesFS = os.DirFS(s.locales)
	}
	return contentFS, localesFS, nil
}

// loadAssets loads and cross-checks content and locales.
func loadAssets(src sources, log *slog.Logger) (bot.Assets, error) {
	cfs, lfs, err := src.fs()
	if err != nil {
		return bot.Assets{}, err
	}
	return bot.LoadAssets(cfs, lfs, log)
}

// newLogger writes JSON lines to w at the level HOMEWARD_LOG_LEVEL names.
func newLogger(env envFunc, w io.Writer, def slog.Level) *slog.Logger {
	level := def
	switch strings.ToLower(env("HOMEWARD_LOG_LEVEL")) {
	case "debug":
		level = slog.LevelDebug
	case "info":
		level = slog.LevelInfo
	case "warn":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}

// app is the wired bot: store, engine and what they need.
type app struct {
	db     *boltstore.DB
	engine *bot.Engine
	log    *slog.Logger
	ops    *ops        // metrics, health and the ops HTTP server (http.go)
	queued queuedHooks // channels to wake when the check-in scheduler queues messages (checkin.go)
}

func openApp(src sources, env envFunc, log *slog.Logger) (*app, error) {
	assets, err := loadAssets(src, log)
	if err != nil {
		return nil, err
	}
	db, err := boltstore.Open(env.or("HOMEWARD_DATA", "homeward.db"))
	if err != nil {
		return nil, err
	}
	o := newOps(db, log)
	eng, err := bot.New(bot.Config{Store: db, Assets: assets, Log: log, OnHandled: o.handled})
	if err != nil {
		db.Close()
		return nil, err
	}
	return &app{db: db, engine: eng, log: log, ops: o}, nil
}

func (a *app) Close() error { return a.db.Close() }

// cmdRun runs the bot on the channel the environment selects.
func cmdRun(ctx context.Context, args []string, env envFunc, stdin io.Reader, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("homeward", flag.ContinueOnError)
	fl.SetOutput(stderr)
	var src sources
	src.flags(fl)
	if err := fl.Parse(args); err != nil {
		return usageError(err.Error())
	}
	token := env("TELEGRAM_BOT_TOKEN")
	level := slog.LevelInfo
	if token == "" {
		level = slog.LevelWarn // the terminal is the chat: keep it for the chat
	}
	log := newLogger(env, stderr, level)
	a, err := openApp(src, env, log)
	if err != nil {
		return err
	}
	defer a.Close()
	withWeChat, err := mountWeChat(env, a) // wechat.go; registers on the engine, so before anything runs
	if err != nil {
		return err
	}
	stopCheckins, err := startCheckins(ctx, a, env) // checkin.go
	if err != nil {
		return err
	}
	defer stopCheckins()
	defer a.startMaintenance(ctx)()
	if token != "" {
		return a.withOps(ctx, env, func(ctx context.Context) error { return runTelegram(ctx, a, env, token) })
	}
	c := &console.Console{
		Engine:      a.engine,
		Store:       a.db,
		In:          stdin,
		Out:         stdout,
		Lang:        langFromEnv(env),
		Interactive: isTerminal(stdin),
	}
	if withWeChat {
		return a.withOps(ctx, env, func(ctx context.Context) error { return consoleBesideWeChat(ctx, c) })
	}
	return c.Run(ctx)
}

// langFromEnv turns $LANG ("th_TH.UTF-8") into a language hint ("th-TH").
func langFromEnv(env envFunc) string {
	l := env("LANG")
	l, _, _ = strings.Cut(l, ".")
	if l == "C" || l == "POSIX" {
		return ""
	}
	return strings.ReplaceAll(l, "_", "-")
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// cmdBackup writes a hot backup of the data file.
func cmdBackup(ctx context.Context, args []string, env envFunc, stdout io.Writer) error {
	if len(args) != 1 {
		return usageError("usage: homeward backup FILE")
	}
	db, err := boltstore.Open(env.or("HOMEWARD_DATA", "homeward.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.BackupFile(ctx, args[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d bytes to %s\n", n, args[0])
	return nil
}
