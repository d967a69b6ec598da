package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/boltstore"
	"github.com/homeward-ngo/homeward/bot/preview"
)

// cmdPreview serves the preview page until ctx is done: the real engine on
// a temporary data file (removed at exit), reading content and translations
// from the folders given and reloading them when a file changes.
func cmdPreview(ctx context.Context, args []string, env envFunc, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("preview", flag.ContinueOnError)
	fl.SetOutput(stderr)
	var src sources
	src.flags(fl)
	addr := fl.String("addr", "127.0.0.1:8090", "where the page listens; keep it on loopback")
	if err := fl.Parse(args); err != nil {
		return usageError(err.Error())
	}
	log := newLogger(env, stderr, slog.LevelInfo)
	ready, err := startPreview(ctx, src, *addr, log)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Preview at http://%s/ — edit the files and the page follows. Ctrl-C stops it.\n", ready.addr)
	return ready.wait()
}

// runningPreview is a preview server that is listening.
type runningPreview struct {
	addr string
	srv  *preview.Server
	wait func() error // blocks until ctx is done and everything is closed
}

// startPreview opens the temporary store, loads the assets, listens on addr
// and serves until ctx is done; then it shuts down and removes the store.
func startPreview(ctx context.Context, src sources, addr string, log *slog.Logger) (*runningPreview, error) {
	ctx, cancel := context.WithCancel(ctx)
	dir, cleanup, err := preview.TempStore()
	if err != nil {
		cancel()
		return nil, err
	}
	db, err := boltstore.Open(filepath.Join(dir, "preview.db"))
	if err != nil {
		cancel()
		cleanup()
		return nil, err
	}
	closeAll := func() {
		cancel()
		db.Close()
		cleanup()
	}
	var watch []string
	for _, d := range []string{src.content, src.locales} {
		if d != "" {
			watch = append(watch, d)
		}
	}
	s, err := preview.New(preview.Config{
		Store: db,
		Load:  func() (bot.Assets, error) { return loadAssets(src, log) },
		Watch: watch,
		Log:   log,
	})
	if err != nil {
		closeAll()
		return nil, err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		closeAll()
		return nil, fmt.Errorf("preview: %w", err)
	}
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	watchDone := make(chan struct{})
	go func() {
		defer close(watchDone)
		s.Watch(ctx, 500*time.Millisecond)
	}()
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	wait := func() error {
		var err error
		select {
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			err = hs.Shutdown(sctx)
			cancel()
			<-served
		case err = <-served:
		}
		cancel()
		<-watchDone
		closeAll()
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		return err
	}
	return &runningPreview{addr: ln.Addr().String(), srv: s, wait: wait}, nil
}
