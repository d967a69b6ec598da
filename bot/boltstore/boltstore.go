// Package boltstore keeps Homeward's state in one bbolt file: sessions, the
// outbox, processed-update marks and, for travel check-ins, trips, the due
// index and invites. It implements bot.Store.
//
// fsync stays on: a check-in alert that is lost on power failure is worse
// than a slow commit. Every record is JSON; every index key is big-endian so
// that bbolt's byte order is time order.
package boltstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/homeward-ngo/homeward/bot"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Bucket names. Changing one is a schema change: bump SchemaVersion and add
// a migration.
var (
	bucketMeta      = []byte("meta")
	bucketSessions  = []byte("sessions")
	bucketOutbox    = []byte("outbox")    // channel → be64(seq) → Message
	bucketProcessed = []byte("processed") // hash(update id) → be64(unix)
	bucketSeenAt    = []byte("seen_at")   // be64(unix) ‖ hash → hash, for trimming
	bucketTrips     = []byte("trips")
	bucketLadder    = []byte("ladder") // trip id → ladder state (ladder.go); schema 2
	bucketDue       = []byte("due")
	bucketInvites   = []byte("invites")
	bucketChats     = []byte("chats") // chat → per-chat records of other parts (trip links)

	keySchema = []byte("schema")
)

var allBuckets = [][]byte{bucketMeta, bucketSessions, bucketOutbox, bucketProcessed, bucketSeenAt,
	bucketTrips, bucketLadder, bucketDue, bucketInvites, bucketChats}

// SchemaVersion is the layout this code reads and writes.
const SchemaVersion = 2

// migrations[v] upgrades a file from schema v to v+1, inside the opening
// transaction. There are none yet; the hook is here so that the first one is
// a function, not a rewrite of Open.
var migrations = map[int]func(*bolt.Tx) error{
	// 1 → 2: trips' ladder state moves to bucket "ladder", which Open
	// creates; a trip without a record there is read from its JSON until
	// it is next written (ladder.go). The version keeps an older program
	// from reading the JSON's stale copy.
	1: func(*bolt.Tx) error { return nil },
}

// DB is an open store.
type DB struct {
	db   *bolt.DB
	path string
	// writers counts Update calls in progress. With more than one, Update
	// joins bbolt's Batch, which commits many callers' work with one fsync;
	// a lone caller takes Update directly, since Batch would make it wait
	// for the batch timer.
	writers atomic.Int32
}

var _ bot.Store = (*DB)(nil)

// LockTimeout is how long Open waits for another process to let go of the
// file before it gives up.
const LockTimeout = 2 * time.Second

// Open opens (creating if needed) the store at path.
func Open(path string) (*DB, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout: LockTimeout,
		// Reads never wait for a remap below this size (bbolt's advice for
		// a small database with a background writer).
		InitialMmapSize: 64 << 20,
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("opening %s: another Homeward process has it open (waited %s); stop it or use another HOMEWARD_DATA", path, LockTimeout)
	}
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	s := &DB{db: db, path: path}
	if err := s.init(); err != nil {
		db.Close()
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	return s, nil
}

func (s *DB) init() error {
	return s.db.Update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("creating bucket %s: %w", name, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		v := 0
		if b := meta.Get(keySchema); b != nil {
			v = int(be64(b))
		} else {
			v = SchemaVersion // a new file starts at the current layout
		}
		if v > SchemaVersion {
			return fmt.Errorf("the file has schema %d, newer than this program's %d: upgrade Homeward", v, SchemaVersion)
		}
		for ; v < SchemaVersion; v++ {
			m := migrations[v]
			if m == nil {
				return fmt.Errorf("no migration from schema %d", v)
			}
			if err := m(tx); err != nil {
				return fmt.Errorf("migrating schema %d to %d: %w", v, v+1, err)
			}
		}
		return meta.Put(keySchema, put64(SchemaVersion))
	})
}

// Close closes the file.
func (s *DB) Close() error { return s.db.Close() }

// Path returns the file's path.
func (s *DB) Path() string { return s.path }

// Update runs fn in one read-write transaction. Under concurrent callers fn
// may run more than once (bbolt's Batch retries a failed batch one by one),
// each time in a fresh transaction of which only the last commits: fn must
// have no effect outside the transaction, as bot.Store already requires.
func (s *DB) Update(ctx context.Context, fn func(bot.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	wrapped := func(btx *bolt.Tx) error { return fn(&Tx{tx: btx}) }
	if s.writers.Add(1) > 1 {
		defer s.writers.Add(-1)
		return s.db.Batch(wrapped)
	}
	defer s.writers.Add(-1)
	return s.db.Update(wrapped)
}

// View runs fn in a read-only transaction.
func (s *DB) View(ctx context.Context, fn func(bot.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.View(func(btx *bolt.Tx) error { return fn(&Tx{tx: btx}) })
}

// Backup writes a consistent copy of the whole file to w while the bot runs
// (bbolt's tx.WriteTo inside a read transaction).
func (s *DB) Backup(ctx context.Context, w io.Writer) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// BackupFile writes a backup to path through a temporary file, synced and
// renamed, so that a crash never leaves half a backup under the final name.
func (s *DB) BackupFile(ctx context.Context, path string) (int64, error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	n, err := s.Backup(ctx, f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("backup to %s: %w", path, err)
	}
	return n, nil
}

// Check runs bbolt's consistency check and returns every error it finds.
func (s *DB) Check() []error {
	var errs []error
	_ = s.db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		return nil
	})
	return errs
}

// Bolt returns the underlying bbolt handle, for benchmarks and tools that
// measure against the raw floor.
func (s *DB) Bolt() *bolt.DB { return s.db }

// TrimSeen forgets processed-update marks older than before. Platforms
// redeliver for minutes (Telegram) or seconds (WeChat), so a day is ample.
func (s *DB) TrimSeen(ctx context.Context, before time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var n int
	err := s.db.Update(func(btx *bolt.Tx) error {
		var err error
		n, err = (&Tx{tx: btx}).TrimSeen(before, 10000)
		return err
	})
	return n, err
}
