// Package storetest opens a real bbolt store in a test's temporary folder
// and, like bbolt's own test helper, checks the file's consistency after the
// test.
package storetest

import (
	"path/filepath"
	"testing"

	"github.com/homeward-ngo/homeward/bot/boltstore"
)

// Open opens a store in t.TempDir(). At cleanup it runs bbolt's consistency
// check, failing the test on any error, and closes the store.
func Open(t testing.TB) *boltstore.DB {
	t.Helper()
	db, err := boltstore.Open(filepath.Join(t.TempDir(), "homeward.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, err := range db.Check() {
			t.Errorf("bbolt check: %v", err)
		}
		if err := db.Close(); err != nil {
			t.Errorf("closing store: %v", err)
		}
	})
	return db
}
