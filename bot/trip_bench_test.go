package bot_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/boltstore"
	"github.com/homeward-ngo/homeward/bot/checkin"
	bolt "go.etcd.io/bbolt"
)

// benchTrip is a trip as big as a real one: two guardians, a location, a
// duress code, an open invite and a short log.
func benchTrip(id string, due time.Time) *checkin.Trip {
	tr := &checkin.Trip{
		ID: id, Owner: "tg:100000" + id[:3], Traveler: "tg:100000" + id[:3], Name: "Aung Ko", Nationality: "MM",
		Country: "TH", City: "Mae Sot", Zone: "Asia/Bangkok", Created: day0, Consent: day0, Start: day0,
		End: day0.Add(30 * 24 * time.Hour), Schedule: checkin.Schedule{Every: 6 * time.Hour},
		Policy: bot.DefaultTripConfig().Ladder, State: checkin.Active, Due: due, LastCheckIn: day0,
		Location: &checkin.Location{Lat: 16.7128, Lon: 98.5747, At: day0},
		Duress:   &checkin.Secret{Salt: make([]byte, 16), Hash: make([]byte, 32)},
		Invites:  []string{"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
	}
	tr.Policy.Grace = time.Hour
	for _, g := range []string{"tg:2000001", "tg:2000002"} {
		tr.Guardians = append(tr.Guardians, checkin.Guardian{Chat: g, Invited: day0, Accepted: day0, TestSent: day0, TestAcked: day0})
	}
	for _, e := range []string{"consent", "guardian accepted", "test acknowledged", "started", "check-in"} {
		tr.Log = append(tr.Log, checkin.Event{At: day0, What: e})
	}
	return tr
}

// fill writes n trips due far in the future, fsync off while filling.
func fill(b *testing.B, db *boltstore.DB, n int) (bytesPerTrip float64) {
	b.Helper()
	ctx := context.Background()
	size := func() int64 {
		var s int64
		_ = db.Bolt().View(func(tx *bolt.Tx) error { s = tx.Size(); return nil })
		return s
	}
	before := size()
	db.Bolt().NoSync = true
	defer func() { db.Bolt().NoSync = false }()
	far := day0.Add(365 * 24 * time.Hour)
	for i := 0; i < n; i += 10000 {
		err := db.Update(ctx, func(tx bot.Tx) error {
			for j := i; j < min(i+10000, n); j++ {
				if err := tx.PutTrip(benchTrip(fmt.Sprintf("%012d", j), far)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := db.Bolt().Sync(); err != nil {
		b.Fatal(err)
	}
	return float64(size()-before) / float64(n)
}

// BenchmarkTripTick measures one scheduler transaction that finds and
// advances 100 due trips (reminders queued, next entries written, fsync'd
// commit) among n trips. 1,000,000 trips take minutes to build: set
// HOMEWARD_BENCH_1M=1 to include them.
func BenchmarkTripTick(b *testing.B) {
	sizes := []int{1000, 100000}
	if os.Getenv("HOMEWARD_BENCH_1M") != "" {
		sizes = append(sizes, 1000000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("trips=%d", n), func(b *testing.B) { benchTick(b, n, false) })
		// The same without fsync: the work of finding and advancing,
		// apart from the disk's sync.
		b.Run(fmt.Sprintf("trips=%d/nosync", n), func(b *testing.B) { benchTick(b, n, true) })
	}
}

func benchTick(b *testing.B, n int, nosync bool) {
	{
		{
			db, err := boltstore.Open(filepath.Join(b.TempDir(), "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			perTrip := fill(b, db, n)
			w := newWorld(b, db)
			ctx := context.Background()
			now := day0.Add(time.Hour)
			var cpu time.Duration // the process's CPU time in the ticks
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				err := db.Update(ctx, func(tx bot.Tx) error {
					for j := range 100 {
						tr, err := tx.Trip(fmt.Sprintf("%012d", j*(n/100)))
						if err != nil {
							return err
						}
						tr.Due, tr.Reminded = now, time.Time{}
						if err := tx.PutTrip(tr); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				db.Bolt().NoSync = nosync
				b.StartTimer()
				c0 := cpuTime()
				popped, err := w.s.Tick(ctx, now)
				cpu += cpuTime() - c0
				b.StopTimer()
				db.Bolt().NoSync = false
				if err != nil || popped != 100 {
					b.Fatalf("tick popped %d: %v", popped, err)
				}
				if msgs, _ := bot.TakeOutbox(ctx, db, "tg"); len(msgs) != 100 {
					b.Fatalf("%d reminders queued, want 100", len(msgs))
				}
				b.StartTimer()
			}
			b.ReportMetric(perTrip, "bytes/trip")
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/tick")
		}
	}
}

// BenchmarkCommitFloor is one fsync'd write transaction of one small key on
// this disk: the floor under any durable tick.
func BenchmarkCommitFloor(b *testing.B) {
	db, err := boltstore.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	for i := range b.N {
		err := db.Update(ctx, func(tx bot.Tx) error { return tx.LinkChat("tg:1", fmt.Sprint(i), "x") })
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAlertDelay measures, on the real clock, the time from a trip's
// alert deadline to the alert being committed into the outbox by a running
// scheduler. Each iteration waits for a deadline about a second ahead.
func BenchmarkAlertDelay(b *testing.B) {
	db, err := boltstore.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	w := newWorld(b, db)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.s.Run(ctx)
	var total time.Duration
	for i := range b.N {
		deadline := time.Now().Truncate(time.Second).Add(time.Second)
		tr := benchTrip(fmt.Sprintf("d%011d", i), deadline.Add(-time.Hour))
		tr.Reminded = tr.Due // reminded; the alert is due at Due+Grace = deadline
		if err := db.Update(ctx, func(tx bot.Tx) error { return tx.PutTrip(tr) }); err != nil {
			b.Fatal(err)
		}
		w.s.Poke(deadline)
		for {
			var n int
			_ = db.View(ctx, func(tx bot.Tx) error { n, _, _ = tx.OutboxDepth("tg"); return nil })
			if n > 0 {
				total += time.Since(deadline)
				break
			}
			time.Sleep(100 * time.Microsecond)
		}
		if _, err := bot.TakeOutbox(ctx, db, "tg"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-delay")
}

// cpuTime is the CPU time (user and system) the process has used: on a
// shared machine a steadier measure of a tick's work than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
