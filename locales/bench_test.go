package locales_test

import (
	"testing"
	"time"

	"github.com/homeward-ngo/homeward/locales"
)

// BenchmarkText renders one message with a field, as the scheduler does
// for every reminder.
func BenchmarkText(b *testing.B) {
	cat, err := locales.Load(locales.Files, nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, lang := range []string{"en", "th"} {
		b.Run(lang, func(b *testing.B) {
			for range b.N {
				_ = cat.Text(lang, "trip.reminder", map[string]any{"Name": "Aung"})
			}
		})
	}
}

// BenchmarkDateTime renders a date and time, the costly part of an alert.
func BenchmarkDateTime(b *testing.B) {
	cat, err := locales.Load(locales.Files, nil)
	if err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 7, 5, 0, 0, time.UTC)
	for range b.N {
		_ = cat.DateTime("th", at)
	}
}
