package telegram_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/boltstore"
	"github.com/homeward-ngo/homeward/bot/telegram"
	"github.com/homeward-ngo/homeward/bot/telegram/telegramtest"
)

const procToken = "987654321:AAF-process_TEST-token-zyxwvutsrqpo"

// buildHomeward builds the real binary into a temporary folder.
func buildHomeward(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the homeward binary")
	}
	bin := filepath.Join(t.TempDir(), "homeward")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/homeward-ngo/homeward/cmd/homeward")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// proc is one run of the binary.
type proc struct {
	cmd      *exec.Cmd
	stderr   *syncBuf
	done     chan struct{}
	err      error
	expected atomic.Bool // the test stopped it
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startHomeward runs the binary with env on top of a clean environment;
// died is called if it exits before the test stops it.
func startHomeward(t *testing.T, bin string, logs *syncBuf, died func(), env ...string) *proc {
	t.Helper()
	cmd := exec.Command(bin)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HOMEWARD_") && !strings.HasPrefix(kv, "TELEGRAM_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "HOMEWARD_HTTP_ADDR=127.0.0.1:0") // tests run side by side
	cmd.Env = append(cmd.Env, env...)
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, stderr: logs, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
		if !p.expected.Load() {
			died()
		}
	}()
	t.Cleanup(func() { p.signal(syscall.SIGKILL) })
	return p
}

func (p *proc) signal(sig syscall.Signal) {
	select {
	case <-p.done:
		return
	default:
	}
	p.expected.Store(true)
	_ = p.cmd.Process.Signal(sig)
	<-p.done
}

// TestCrashSafety kills the real binary with SIGKILL twice in the middle
// of a burst of updates and shows that after restarts on the same data
// file every update was answered, and only messages in flight at a kill
// were answered twice.
func TestCrashSafety(t *testing.T) {
	t.Parallel()
	bin := buildHomeward(t)
	srv := telegramtest.New(t, procToken)
	data := filepath.Join(t.TempDir(), "homeward.db")
	env := []string{"TELEGRAM_BOT_TOKEN=" + procToken, "TELEGRAM_API_ENDPOINT=" + srv.Endpoint(), "HOMEWARD_DATA=" + data, "HOMEWARD_LOG_LEVEL=debug"}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	logs := &syncBuf{}
	defer func() {
		if t.Failed() {
			t.Logf("logs:\n%s", logs.String())
		}
		if strings.Contains(logs.String(), "AAF-process") {
			t.Errorf("the token is in the logs")
		}
	}()

	const chats = 150
	pushed := make(chan struct{})
	go func() {
		defer close(pushed)
		for i := range chats {
			srv.PushMessage(int64(10000+i), "/help")
			select {
			case <-time.After(10 * time.Millisecond):
			case <-ctx.Done():
				return
			}
		}
	}()

	var kills, restarts []time.Time
	p := startHomeward(t, bin, logs, cancel, env...)
	for _, after := range []int{5, 40} {
		if _, err := srv.WaitSent(ctx, after); err != nil {
			t.Fatal(err)
		}
		p.signal(syscall.SIGKILL)
		kills = append(kills, time.Now())
		restarts = append(restarts, time.Now())
		p = startHomeward(t, bin, logs, cancel, env...)
	}
	<-pushed
	for {
		byChat := map[int64]int{}
		for _, m := range srv.Sent() {
			byChat[m.ChatID]++
		}
		if len(byChat) == chats {
			break
		}
		if _, err := srv.WaitSent(ctx, len(srv.Sent())+1); err != nil {
			t.Fatalf("%d of %d chats answered: %v", len(byChat), chats, err)
		}
	}
	p.signal(syscall.SIGTERM)
	if p.err != nil {
		t.Fatalf("homeward did not stop cleanly on SIGTERM: %v", p.err)
	}

	// Nothing is left to send, and nothing more was sent.
	db, err := boltstore.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var left []bot.Message
	if err := db.View(ctx, func(tx bot.Tx) error {
		left, err = tx.Outbox(telegram.Channel, 0)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Fatalf("%d messages left in the outbox: %+v", len(left), left)
	}
	if n := srv.Pending(); n != 0 {
		t.Fatalf("%d updates never confirmed", n)
	}

	// A chat answered twice must have had its answer in flight at a kill:
	// sent before it, and sent again after the restart.
	times := srv.SendTimesByChat()
	dups := 0
	for chat, ts := range times {
		if len(ts) == 1 {
			continue
		}
		dups++
		if len(ts) > 2 {
			t.Errorf("chat %d answered %d times", chat, len(ts))
			continue
		}
		inFlight := false
		for i := range kills {
			inFlight = inFlight || ts[0].Before(kills[i]) && ts[1].After(restarts[i])
		}
		if !inFlight {
			t.Errorf("chat %d answered twice, not across a kill: %v", chat, ts)
		}
	}
	// At most Senders messages are in flight at once (8, the default).
	if dups > 8*len(kills) {
		t.Errorf("%d chats answered twice after %d kills", dups, len(kills))
	}
	t.Logf("%d updates, %d kills, %d answered twice (in flight at a kill), %d sends", chats, len(kills), dups, len(srv.Sent()))
}

// TestEndToEndEmulator runs the real binary against the npm emulator
// telegram-test-api (.ci/tg-emulator); it skips unless TG_EMULATOR_URL is
// set, as .ci/run does.
func TestEndToEndEmulator(t *testing.T) {
	t.Parallel()
	emu := telegramtest.StartEmulator(t)
	bin := buildHomeward(t)
	logs := &syncBuf{}
	defer func() {
		if t.Failed() {
			t.Logf("logs:\n%s", logs.String())
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p := startHomeward(t, bin, logs, cancel,
		"TELEGRAM_BOT_TOKEN="+emu.Token, "TELEGRAM_API_ENDPOINT="+emu.Endpoint(),
		"HOMEWARD_DATA="+filepath.Join(t.TempDir(), "homeward.db"))
	const chat = 4242

	var pending []telegramtest.EmulatorMessage
	// reply returns the bot's next message, in order.
	reply := func(what string) telegramtest.EmulatorMessage {
		t.Helper()
		if len(pending) == 0 {
			ms, err := emu.WaitReplies(ctx, chat, 1)
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			pending = ms
		}
		m := pending[0]
		pending = pending[1:]
		return m
	}
	// until reads replies until one contains text.
	until := func(text string) telegramtest.EmulatorMessage {
		t.Helper()
		for {
			if m := reply(text); strings.Contains(m.Text, text) {
				return m
			}
		}
	}
	press := func(m telegramtest.EmulatorMessage, label string) {
		t.Helper()
		for _, row := range m.Keyboard {
			for _, b := range row {
				if strings.Contains(b.Text, label) {
					if err := emu.PressButton(ctx, chat, m.MessageID, b.CallbackData); err != nil {
						t.Fatal(err)
					}
					return
				}
			}
		}
		t.Fatalf("no button %q in %q", label, m.Text)
	}
	send := func(text string) {
		t.Helper()
		if err := emu.SendMessage(ctx, chat, text); err != nil {
			t.Fatal(err)
		}
	}

	send("/start")
	menu := reply("/start")
	if !strings.Contains(menu.Text, "Homeward") || len(menu.Keyboard) == 0 {
		t.Fatalf("/start: %+v", menu)
	}

	// A whole offer check, by button presses only.
	press(menu, "Check a job offer")
	m := reply("country")
	press(m, "Thailand")
	m = reply("nationality")
	press(m, "Myanmar")
	for i := 0; ; i++ {
		m = reply("question")
		if strings.Contains(m.Text, "risk") || strings.Contains(m.Text, "red flags") || strings.Contains(m.Text, "warning signs") {
			break
		}
		if i > 20 {
			t.Fatalf("no result after %d questions; last %q", i, m.Text)
		}
		press(m, "Yes")
	}
	if !strings.Contains(m.Text, "High risk") {
		t.Fatalf("an offer with every red flag: %q", m.Text)
	}

	// The result ends with whom to call; /contacts shows them again.
	until("Whom to call")
	send("/contacts")
	until("Whom to call")

	// A stale press on the first menu: nothing is sent, its keyboard goes.
	press(menu, "Check a job offer")
	for {
		h, err := emu.History(ctx)
		if err != nil {
			t.Fatal(err)
		}
		removed := false
		for _, e := range h {
			removed = removed || e.FromBot && e.MessageID == menu.MessageID && len(e.Keyboard) == 0
		}
		if removed {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("the stale keyboard was not removed")
		case <-time.After(50 * time.Millisecond):
		}
	}

	// 10,000 characters (more than Telegram lets a person send) and an
	// unknown command: the bot answers both and keeps going.
	send(strings.Repeat("Good salary, free visa and flight, work in Myawaddy. ", 190)[:10000])
	reply("a long message")
	send("/frobnicate")
	if m := reply("an unknown command"); !strings.Contains(m.Text, "/help") {
		t.Fatalf("unknown command: %q", m.Text)
	}
	for _, e := range mustHistory(t, ctx, emu) {
		if e.FromBot && bot.PlainText(e.Text) != "" && len([]rune(e.Text)) > telegram.MaxText {
			t.Errorf("a message of %d characters was sent", len([]rune(e.Text)))
		}
	}
	p.signal(syscall.SIGTERM)
	if p.err != nil {
		t.Fatalf("homeward did not stop cleanly: %v", p.err)
	}
}

func mustHistory(t *testing.T, ctx context.Context, emu *telegramtest.Emulator) []telegramtest.EmulatorEntry {
	t.Helper()
	h, err := emu.History(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
