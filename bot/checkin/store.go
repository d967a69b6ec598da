package checkin

import "time"

// Roles of a chat in a trip.
const (
	RoleOwner    = "owner"    // registered the trip (the traveler, or a family member)
	RoleTraveler = "traveler" // the person whose trip it is
	RoleGuardian = "guardian" // is alerted
)

// Invite is an open invitation to a trip. The store keeps it under a hash
// of its token; the token itself is only ever in the link.
type Invite struct {
	Trip    string    `json:"trip"`
	Role    string    `json:"role"` // RoleGuardian or RoleTraveler
	Expires time.Time `json:"expires"`
}

// Link says that a chat has a role in a trip, so that /trip, /forget and
// the undeliverable hook find a chat's trips without a scan.
type Link struct {
	Chat string
	Trip string
	Role string
}

// Due is one entry of the due index: the trip needs Advance at At.
type Due struct {
	At   time.Time
	Trip string
	Kind string // what is due, for logs and tools (WakeKind)
}

// WakeKind names what the trip's next wake-up is for: "due" (check-in
// deadline), "grace" (alert if still silent), "urgent", "repeat", "expire"
// (setup never finished) or "purge" (retention over).
func (t *Trip) WakeKind() string {
	switch t.State {
	case Pending, Setup:
		return "expire"
	case Active:
		if t.Reminded.IsZero() {
			return "due"
		}
		return "grace"
	case Alerted:
		if w := t.NextWake(); w.Equal(t.purgeAt()) {
			return "purge"
		}
		if t.Alert != nil && t.Alert.Stage < 2 {
			return "urgent"
		}
		return "repeat"
	}
	return "purge"
}
