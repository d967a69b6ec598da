package bot

import (
	"context"
	"errors"
	"time"

	"github.com/homeward-ngo/homeward/bot/checkin"
)

// Store runs transactions over Homeward's state. bot/boltstore implements it
// on one bbolt file. The interface is kept narrow — transactions over a few
// kinds of records — so that moving to another key/value store is an adapter,
// not a rewrite.
type Store interface {
	// Update runs fn in one read-write transaction: all of fn's writes
	// commit together, durably, or none do. fn must not touch the network.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction. Keep it short.
	View(ctx context.Context, fn func(Tx) error) error
}

// ErrNotFound is returned for a record that does not exist.
var ErrNotFound = errors.New("not found")

// Tx is one transaction. Records are copied in and out: nothing returned
// stays tied to the transaction.
type Tx interface {
	// Seen reports whether an update ID was already handled.
	Seen(id string) (bool, error)
	// MarkSeen records an update ID as handled.
	MarkSeen(id string, at time.Time) error

	// Session returns the session of a chat, or ErrNotFound.
	Session(chat string) (*Session, error)
	PutSession(s *Session) error
	DeleteSession(chat string) error

	// Enqueue appends a message to the outbox and sets its Seq.
	Enqueue(m *Message) error
	// Outbox lists up to limit queued messages of a channel ("tg"), oldest
	// first; limit <= 0 lists all.
	Outbox(channel string, limit int) ([]Message, error)
	// PutMessage rewrites a queued message (its attempts, say).
	PutMessage(m *Message) error
	// Dequeue removes a message once delivered or given up.
	Dequeue(channel string, seq uint64) error
	// DropOutbox removes every queued message to a chat.
	DropOutbox(chat string) error
	// OutboxDepth counts the queued messages of a channel and returns the
	// time the oldest was queued.
	OutboxDepth(channel string) (int, time.Time, error)

	// Travel check-ins

	// Trip returns a trip, or ErrNotFound.
	Trip(id string) (*checkin.Trip, error)
	// PutTrip writes a trip and moves its entry in the due index to
	// tr.NextWake() (recorded in tr.Wake), in the same transaction.
	PutTrip(tr *checkin.Trip) error
	// DeleteTrip deletes a trip, its due entry and its open invites.
	DeleteTrip(id string) error
	// PopDue removes and returns up to limit due entries at or before now,
	// earliest first (collected, then deleted).
	PopDue(now time.Time, limit int) ([]checkin.Due, error)
	// NextDue returns the time of the earliest due entry; zero: none.
	NextDue() (time.Time, error)
	// PutInvite stores an invite under the hash of its token.
	PutInvite(hash []byte, inv *checkin.Invite) error
	// TakeInvite returns and deletes an invite (single use), or ErrNotFound.
	TakeInvite(hash []byte) (*checkin.Invite, error)
	// LinkChat records a chat's role in a trip; UnlinkChat removes it.
	LinkChat(chat, trip, role string) error
	UnlinkChat(chat, trip string) error
	// ChatTrips lists the trips a chat has a role in.
	ChatTrips(chat string) ([]checkin.Link, error)
	// DropTripMessages removes every queued message about a trip.
	DropTripMessages(trip string) error
}
