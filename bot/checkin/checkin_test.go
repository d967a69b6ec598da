package checkin

import (
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func policy() Policy {
	return Policy{Grace: time.Hour, UrgentAfter: 2 * time.Hour, Repeat: time.Hour, MaxRepeats: 3,
		Extension: time.Hour, MaxExtensions: 2, Retention: 30 * 24 * time.Hour, SetupTTL: 7 * 24 * time.Hour, Early: time.Hour}
}

// active returns a trip that started at t0 with one ready guardian and a
// check-in every 6 hours, ending after 3 days.
func active() *Trip {
	tr := &Trip{ID: "t1", Owner: "tg:1", Created: t0, End: t0.Add(72 * time.Hour),
		Schedule: Schedule{Every: 6 * time.Hour}, Policy: policy(), State: Pending}
	tr.Accept("tg:1", t0)
	tr.AddGuardian("tg:2", t0)
	tr.AcceptGuardian("tg:2", t0)
	tr.AckTest("tg:2", t0)
	return tr
}

func kinds(eff []Effect) []Kind {
	var out []Kind
	for _, e := range eff {
		out = append(out, e.Kind)
	}
	return out
}

func h(n float64) time.Duration { return time.Duration(n * float64(time.Hour)) }

// TestLadder walks the ladder step by step: each row is one call at a time
// after t0, and what it must say and leave behind.
func TestLadder(t *testing.T) {
	type step struct {
		at    time.Duration
		do    string // "advance", "checkin", "duress", "sos", "ack", "resolve", "extend", "end"
		want  []Kind
		state State
		wake  time.Duration // expected NextWake after t0; -1: do not check
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"on time: nothing to guardians", []step{
			{h(5), "advance", nil, Active, h(6)},
			{h(5.5), "checkin", nil, Active, h(11.5)},
			{h(11.5), "advance", []Kind{Reminder}, Active, h(12.5)},
			{h(12), "checkin", nil, Active, h(18)},
		}},
		{"missed: reminder, alert, urgent, repeats, then silence", []step{
			{h(6), "advance", []Kind{Reminder}, Active, h(7)},
			{h(6.5), "advance", nil, Active, h(7)},
			{h(7), "advance", []Kind{Alerting}, Alerted, h(9)},
			{h(8), "advance", nil, Alerted, h(9)},
			{h(9), "advance", []Kind{Urgent}, Alerted, h(10)},
			{h(10), "advance", []Kind{Urgent}, Alerted, h(11)},
			{h(11), "advance", []Kind{Urgent}, Alerted, h(12)},
			{h(12), "advance", []Kind{Urgent}, Alerted, h(72 + 30*24)},
			{h(13), "advance", nil, Alerted, -1},
		}},
		{"late wake-up skips the reminder and alerts", []step{
			{h(8), "advance", []Kind{Alerting}, Alerted, h(10)},
		}},
		{"late check-in sends the all-clear and resumes", []step{
			{h(7), "advance", []Kind{Alerting}, Alerted, -1},
			{h(7.5), "checkin", []Kind{AllClear}, Active, h(13.5)},
		}},
		{"acknowledged: repeats stop, others told", []step{
			{h(7), "advance", []Kind{Alerting}, Alerted, -1},
			{h(8), "ack", []Kind{Acked}, Alerted, h(72 + 30*24)},
			{h(9), "advance", nil, Alerted, -1},
		}},
		{"SOS alerts at once; a check-in does not cancel it", []step{
			{h(1), "sos", []Kind{Alerting}, Alerted, h(3)},
			{h(2), "checkin", []Kind{AlertNote}, Alerted, h(3)},
			{h(3), "advance", []Kind{Urgent}, Alerted, h(4)},
			{h(3.5), "resolve", []Kind{AllClear}, Active, h(9.5)},
		}},
		{"duress check-in alerts; reply looks normal", []step{
			{h(1), "duress", []Kind{Alerting}, Alerted, h(3)},
			{h(2), "end", []Kind{AlertNote}, Alerted, -1},
		}},
		{"extensions are capped", []step{
			{h(6), "advance", []Kind{Reminder}, Active, -1},
			{h(6.5), "extend", nil, Active, h(7.5)},
			{h(7), "extend", nil, Active, h(8.5)},
			{h(7.2), "extend", nil, Active, h(8.5)}, // refused
		}},
		{"end without alert tells nobody", []step{
			{h(3), "end", nil, Ended, h(3 + 30*24)},
			{h(3 + 30*24), "advance", []Kind{Purge}, Ended, -1},
		}},
		{"the last deadline is the end; a check-in then closes", []step{
			{h(70), "checkin", nil, Active, h(72)},
			{h(72), "advance", []Kind{Reminder}, Active, h(73)},
			{h(72.5), "checkin", nil, Ended, h(72.5 + 30*24)},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := active()
			for i, s := range tc.steps {
				now := t0.Add(s.at)
				var eff []Effect
				switch s.do {
				case "advance":
					eff = tr.Advance(now)
				case "checkin":
					_, eff = tr.CheckIn(now, false)
				case "duress":
					_, eff = tr.CheckIn(now, true)
				case "sos":
					eff = tr.SOS(now)
				case "ack":
					eff = tr.Ack("tg:2", now)
				case "resolve":
					eff = tr.Resolve("tg:2", now)
				case "extend":
					_, eff = tr.Extend(now, false)
				case "end":
					_, eff = tr.EndTrip(now, false)
				}
				if got := kinds(eff); !slices.Equal(got, s.want) {
					t.Fatalf("step %d (%s at %v): effects %v, want %v", i, s.do, s.at, got, s.want)
				}
				if tr.State != s.state {
					t.Fatalf("step %d (%s at %v): state %s, want %s", i, s.do, s.at, tr.State, s.state)
				}
				if s.wake >= 0 {
					if got := tr.NextWake().Sub(t0); got != s.wake {
						t.Fatalf("step %d (%s at %v): next wake at +%v, want +%v", i, s.do, s.at, got, s.wake)
					}
				}
			}
		})
	}
}

// TestDuressReplyIsNormal: the reply to a check-in, an extension or an end
// is the same with the duress code as without; only the guardians differ.
func TestDuressReplyIsNormal(t *testing.T) {
	for _, at := range []time.Duration{h(1), h(6.5), h(72.5)} {
		a, b := active(), active()
		now := t0.Add(at)
		a.Advance(now)
		b.Advance(now)
		ra, _ := a.CheckIn(now, false)
		rb, eff := b.CheckIn(now, true)
		if ra != rb {
			t.Errorf("at +%v: check-in reply %+v, with duress %+v", at, ra, rb)
		}
		if !slices.Contains(kinds(eff), Alerting) || b.State != Alerted || b.Alert.Reason != Duress {
			t.Errorf("at +%v: duress check-in did not alert: %v, %s", at, kinds(eff), b.State)
		}
	}
	for n := range 4 {
		a, b := active(), active()
		for i := range n {
			a.Extend(t0.Add(h(float64(i))), false)
			b.Extend(t0.Add(h(float64(i))), false)
		}
		ra, _ := a.Extend(t0.Add(h(5)), false)
		rb, eff := b.Extend(t0.Add(h(5)), true)
		if ra != rb || !slices.Contains(kinds(eff), Alerting) {
			t.Errorf("after %d extensions: reply %+v, with duress %+v (%v)", n, ra, rb, kinds(eff))
		}
	}
	a, b := active(), active()
	ra, _ := a.EndTrip(t0.Add(h(2)), false)
	rb, eff := b.EndTrip(t0.Add(h(2)), true)
	if ra != rb || b.State != Alerted || !slices.Contains(kinds(eff), Alerting) {
		t.Errorf("end: reply %+v, with duress %+v; state %s", ra, rb, b.State)
	}
}

func TestSetup(t *testing.T) {
	// A family member registers; the traveler accepts; the family member
	// (already a guardian) gets the test alert; acknowledging it starts.
	tr := &Trip{ID: "t", Owner: "tg:9", Created: t0, End: t0.Add(h(48)),
		Schedule: Schedule{Every: h(12)}, Policy: policy(), State: Pending}
	tr.AddGuardian("tg:9", t0)
	if tr.AcceptGuardian("tg:9", t0) {
		t.Fatal("test alert before the traveler consented")
	}
	if tr.AddGuardian("tg:9", t0) {
		t.Fatal("guardian added twice")
	}
	if got := tr.AckTest("tg:9", t0); got != nil {
		t.Fatalf("test acknowledged before it was sent: %v", got)
	}
	if !tr.Accept("tg:5", t0.Add(h(1))) || tr.State != Setup {
		t.Fatalf("accept: state %s", tr.State)
	}
	if tr.AddGuardian("tg:5", t0) {
		t.Fatal("the traveler became their own guardian")
	}
	if got := tr.TestsDue(t0.Add(h(1))); !slices.Equal(got, []string{"tg:9"}) {
		t.Fatalf("tests due %v", got)
	}
	if got := tr.TestsDue(t0.Add(h(1))); got != nil {
		t.Fatalf("test sent twice: %v", got)
	}
	if got := kinds(tr.AckTest("tg:9", t0.Add(h(2)))); !slices.Equal(got, []Kind{Started}) {
		t.Fatalf("ack test: %v", got)
	}
	if tr.State != Active || !tr.Due.Equal(t0.Add(h(14))) || tr.Ready() != 1 {
		t.Fatalf("after start: %s due %v ready %d", tr.State, tr.Due, tr.Ready())
	}
	if !tr.MarkUnreachable("tg:9", t0) || tr.MarkUnreachable("tg:9", t0) || tr.Ready() != 0 {
		t.Fatal("unreachable should be news once and make the guardian not ready")
	}
	// A trip that never starts is deleted.
	p := &Trip{Created: t0, Policy: policy(), State: Pending}
	if got := kinds(p.Advance(t0.Add(7 * 24 * time.Hour))); !slices.Equal(got, []Kind{Purge}) {
		t.Fatalf("stale setup: %v", got)
	}
}

func TestScheduleTimes(t *testing.T) {
	bkk := time.FixedZone("ICT", 7*3600)
	s := Schedule{Times: []int{8 * 60, 20 * 60}}
	cases := []struct{ after, want time.Time }{
		{time.Date(2026, 3, 1, 9, 0, 0, 0, bkk), time.Date(2026, 3, 1, 20, 0, 0, 0, bkk)},
		{time.Date(2026, 3, 1, 19, 30, 0, 0, bkk), time.Date(2026, 3, 2, 8, 0, 0, 0, bkk)}, // within Early of 20:00
		{time.Date(2026, 3, 1, 21, 0, 0, 0, bkk), time.Date(2026, 3, 2, 8, 0, 0, 0, bkk)},
		{time.Date(2026, 12, 31, 22, 0, 0, 0, bkk), time.Date(2027, 1, 1, 8, 0, 0, 0, bkk)},
	}
	for _, c := range cases {
		if got := s.Next(c.after.UTC(), bkk, time.Hour); !got.Equal(c.want) {
			t.Errorf("Next(%v) = %v, want %v", c.after, got.In(bkk), c.want)
		}
	}
	got, err := ParseTimes("20:00, 8 9.30")
	if err != nil || !slices.Equal(got, []int{8 * 60, 9*60 + 30, 20 * 60}) {
		t.Errorf("ParseTimes = %v, %v", got, err)
	}
	for _, bad := range []string{"", "25:00", "8:5", "noon", "8:60"} {
		if _, err := ParseTimes(bad); err == nil {
			t.Errorf("ParseTimes(%q) accepted", bad)
		}
	}
}

func TestSecret(t *testing.T) {
	s, err := NewSecret("Blue  Bird", []byte("0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	if !s.Matches("blue bird") || s.Matches("blue") || s.Matches("") {
		t.Error("duress code matching is wrong")
	}
	var none *Secret
	if none.Matches("x") {
		t.Error("no code set matched")
	}
}

// TestAdvanceProgresses: whatever the state, advancing at the trip's wake-up
// moves the wake-up later (or deletes the trip), so the scheduler never
// spins on one entry.
func TestAdvanceProgresses(t *testing.T) {
	setups := map[string]func(*Trip, time.Time){
		"active":   func(*Trip, time.Time) {},
		"reminded": func(tr *Trip, now time.Time) { tr.Advance(tr.Due) },
		"missed":   func(tr *Trip, now time.Time) { tr.Advance(tr.Due.Add(tr.Policy.Grace)) },
		"sos":      func(tr *Trip, now time.Time) { tr.SOS(now) },
		"acked":    func(tr *Trip, now time.Time) { tr.SOS(now); tr.Ack("tg:2", now) },
		"ended":    func(tr *Trip, now time.Time) { tr.EndTrip(now, false) },
		"pending": func(tr *Trip, now time.Time) {
			*tr = Trip{Created: now, Policy: policy(), State: Pending}
		},
	}
	for name, setup := range setups {
		tr := active()
		setup(tr, t0.Add(h(1)))
		for i := 0; i < 200; i++ {
			w := tr.NextWake()
			if w.IsZero() {
				break
			}
			eff := tr.Advance(w)
			if slices.Contains(kinds(eff), Purge) {
				break
			}
			if next := tr.NextWake(); !next.After(w) {
				t.Fatalf("%s: step %d in %s: wake %v did not move (now %v)", name, i, tr.State, next, w)
			}
			if i == 199 {
				t.Fatalf("%s: no purge after 200 wake-ups (%s)", name, tr.State)
			}
		}
	}
}
