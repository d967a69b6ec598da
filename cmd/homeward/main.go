// Command homeward runs the Homeward bot and its tools.
//
//	homeward                 run the bot: Telegram when TELEGRAM_BOT_TOKEN is set, else a chat in this terminal
//	homeward lint [-content DIR] [-locales DIR] [-json] [-v]
//	                         check content and locales; exit 1 on errors
//	homeward preview [-content DIR] [-locales DIR] [-addr 127.0.0.1:8090]
//	                         chat with the bot in a browser; edits to the folders show at once
//	homeward assess [--lang L] [--json] [FILE|-]
//	                         report the red flags and risk of one job offer; exit 2 on unreadable input
//	homeward backup FILE     write a consistent copy of the data file, even while the bot runs
//	homeward version         print the version
//
// This is the only place where things are wired together.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: tests call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "run"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	env := envFunc(getenv)
	var err error
	switch cmd {
	case "run":
		err = cmdRun(ctx, args, env, stdin, stdout, stderr)
	case "lint":
		return cmdLint(args, env, stdout, stderr)
	case "preview":
		err = cmdPreview(ctx, args, env, stdout, stderr)
	case "assess":
		return cmdAssess(args, stdin, stdout, stderr)
	case "backup":
		err = cmdBackup(ctx, args, env, stdout)
	case "version":
		fmt.Fprintln(stdout, "homeward", version)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "homeward: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "homeward:", err)
		if _, ok := err.(usageError); ok {
			return 2
		}
		return 1
	}
	return 0
}

const usage = `Usage:
  homeward                 run the bot (Telegram if TELEGRAM_BOT_TOKEN is set, else a chat in this terminal)
  homeward lint [-content DIR] [-locales DIR] [-json] [-v]
                           check content and translations; exit 1 on errors
  homeward preview [-content DIR] [-locales DIR] [-addr 127.0.0.1:8090]
                           chat with the bot in a browser while editing content and translations
  homeward assess [--lang L] [--json] [FILE|-]
                           read one job offer (a file, or stdin) and report its red flags and risk
  homeward backup FILE     write a consistent copy of the data file while the bot runs
  homeward version         print the version

Environment: HOMEWARD_DATA (data file, default ./homeward.db), TELEGRAM_BOT_TOKEN,
TELEGRAM_API_ENDPOINT, HOMEWARD_LOG_LEVEL (debug|info|warn|error). See README.md.
`

type usageError string

func (e usageError) Error() string { return string(e) }

// envFunc reads an environment variable.
type envFunc func(string) string

// or returns the variable, or def when it is empty.
func (e envFunc) or(key, def string) string {
	if v := e(key); v != "" {
		return v
	}
	return def
}
