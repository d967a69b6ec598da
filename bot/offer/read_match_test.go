package offer

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestMatcherFindsWhatIndexFinds compares the automaton with a plain
// search for every key at every position, over keys that share prefixes
// and suffixes and enough of them on one state to get a dense table.
func TestMatcherFindsWhatIndexFinds(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "b", "c", "ก", "ข", "护", "照", "ကို"}
	word := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	var keys []string
	for range 300 {
		keys = append(keys, word(1+rng.IntN(4)))
	}
	for c := 0; c < 40; c++ { // one state with 40 moves: a dense table
		keys = append(keys, "x"+string(rune('A'+c)))
	}
	m := newMatcher(keys)
	if len(m.dense) == 0 {
		t.Fatal("no state got a dense table; the test does not cover them")
	}
	for range 200 {
		text := word(rng.IntN(40)) + "x" + string(rune('A'+rng.IntN(40))) + word(rng.IntN(10))
		var got []string
		m.scan(text, func(id int32, start, end int) {
			if text[start:end] != keys[id] {
				t.Fatalf("key %q reported at %d:%d, which holds %q", keys[id], start, end, text[start:end])
			}
			got = append(got, fmt.Sprint(id, "@", start))
		})
		var want []string
		for id, k := range keys {
			for i := 0; i+len(k) <= len(text); i++ {
				if text[i:i+len(k)] == k {
					want = append(want, fmt.Sprint(id, "@", i))
				}
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("text %q:\n got  %v\n want %v", text, got, want)
		}
	}
}
