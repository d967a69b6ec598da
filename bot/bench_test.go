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
			e, db := newEngine(b)
			ctx := context.Background()
			for c := 0; c < chats; c++ {
				if _, err := e.Handle(ctx, bot.Update{Chat: fmt.Sprintf("tg:%d", c), Hint: "en", Text: "/start"}); err != nil {
					b.Fatal(err)
				}
			}
			var next atomic.Int64
			b.ResetTimer()
			var wg sync.WaitGroup
			per := b.N / chats
			for c := 0; c < chats; c++ {
				n := per
				if c == 0 {
					n += b.N % chats
				}
				wg.Add(1)
				go func(chat string, n int) {
					defer wg.Done()
					for i := 0; i < n; i++ {
						id := next.Add(1)
						u := bot.Update{ID: fmt.Sprintf("tg:u:%d", id), Chat: chat, Text: offerSteps[i%len(offerSteps)]}
						if _, err := e.Handle(ctx, u); err != nil {
							b.Error(err)
							return
						}
					}
				}(fmt.Sprintf("tg:%d", c), n)
			}
			wg.Wait()
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
			_ = db
		})
		b.Run(fmt.Sprintf("raw-bbolt-put/writers=%d", chats), func(b *testing.B) {
			_, db := newEngine(b)
			raw := db.Bolt()
			if err := raw.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucketIfNotExists([]byte("bench")); return err }); err != nil {
				b.Fatal(err)
			}
			value := make([]byte, rawValueSize)
			var next atomic.Uint64
			b.ResetTimer()
			var wg sync.WaitGroup
			per := b.N / chats
			for c := 0; c < chats; c++ {
				n := per
				if c == 0 {
					n += b.N % chats
				}
				wg.Add(1)
				go func(n int) {
					defer wg.Done()
					for i := 0; i < n; i++ {
						k := make([]byte, 16)
						binary.BigEndian.PutUint64(k, next.Add(1))
						if err := raw.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("bench")).Put(k, value) }); err != nil {
							b.Error(err)
							return
						}
					}
				}(n)
			}
			wg.Wait()
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
		})
	}
}
