package bot_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/homeward-ngo/homeward/bot"
	bolt "go.etcd.io/bbolt"
)

// offerSteps is one pass through the guided offer check by typed numbers:
// from the main menu, "1" (offer), "1" (Thailand), "1" (China), then "No"
// to every question, which ends on the main menu again.
var offerSteps = append([]string{"1", "1", "1"}, repeat("2", 14)...)

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// rawValueSize is about what one offer-check step writes: a session and a
// queued message.
const rawValueSize = 1500

// BenchmarkHandle measures the engine's durable update path on a real bbolt
// file, with fsync on, beside the raw floor: a bbolt Update that puts one
// value of about the same size. Compare updates/s of the two in one run.
func BenchmarkHandle(b *testing.B) {
	for _, chats := range []int{1, 64} {
		b.Run(fmt.Sprintf("engine/chats=%d", chats), func(b *testing.B) {
			e, _ := newEngine(b)
			ctx := context.Background()
			for c := 0; c < chats; c++ {
				if _, err := e.Handle(ctx, bot.Update{Chat: fmt.Sprintf("tg:%d", c), Hint: "en", Text: "/start"}); err != nil {
					b.Fatal(err)
				}
			}
			var next atomic.Int64
			spread(b, chats, func(worker, i int) error {
				u := bot.Update{ID: fmt.Sprintf("tg:u:%d", next.Add(1)), Chat: fmt.Sprintf("tg:%d", worker), Text: offerSteps[i%len(offerSteps)]}
				_, err := e.Handle(ctx, u)
				return err
			})
		})
		b.Run(fmt.Sprintf("raw-bbolt-put/writers=%d", chats), func(b *testing.B) {
			_, db := newEngine(b)
			raw := db.Bolt()
			if err := raw.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucketIfNotExists([]byte("bench")); return err }); err != nil {
				b.Fatal(err)
			}
			value := make([]byte, rawValueSize)
			var next atomic.Uint64
			spread(b, chats, func(_, _ int) error {
				k := make([]byte, 16)
				binary.BigEndian.PutUint64(k, next.Add(1))
				return raw.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("bench")).Put(k, value) })
			})
		})
	}
}

// spread runs b.N calls of op over workers goroutines (worker w makes its
// calls i = 0, 1, … in order) and reports updates/s.
func spread(b *testing.B, workers int, op func(worker, i int) error) {
	b.ResetTimer()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		n := b.N / workers
		if w == 0 {
			n += b.N % workers
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < n; i++ {
				if err := op(w, i); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
}
