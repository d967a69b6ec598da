package offer_test

import (
	"slices"
	"testing"

	"github.com/homeward-ngo/homeward/bot/offer"
	"github.com/homeward-ngo/homeward/content"
)

func TestGrade(t *testing.T) {
	c, err := content.Load(content.Files, content.Checker{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		flags []string
		want  offer.Risk
	}{
		{"nothing raised", nil, offer.Low},
		{"unknown ids are ignored", []string{"nope", "gone"}, offer.Low},
		{"one supporting flag", []string{"all_paid"}, offer.Medium},
		{"two supporting flags", []string{"rushed", "secrecy"}, offer.Medium},
		{"three supporting flags", []string{"rushed", "secrecy", "no_contract"}, offer.High},
		{"one strong flag alone: scam hub", []string{"scam_hub"}, offer.High},
		{"one strong flag alone: border ride", []string{"border_ride"}, offer.High},
		{"one strong flag alone: passport", []string{"passport"}, offer.High},
		{"combo: high pay with free travel", []string{"high_pay", "all_paid"}, offer.High},
		{"combo: fee to an unlicensed recruiter", []string{"unlicensed", "fee"}, offer.High},
		{"high pay alone is only a warning", []string{"high_pay"}, offer.Medium},
		// The job's own shape (A2–A4) overlaps: a pair counts as one sign.
		{"overlap: no experience and free dorm count as one", []string{"no_skills", "all_paid", "rushed"}, offer.Medium},
		{"overlap: all three of the job's shape count as two", []string{"no_skills", "abused_role", "all_paid", "social_only"}, offer.High},
		{"overlap: one of the job's shape counts as one", []string{"all_paid", "rushed", "secrecy"}, offer.High},
		{"overlap: a pair and two more signs", []string{"abused_role", "all_paid", "fee", "rushed"}, offer.High},
		{"overlap does not touch combos", []string{"tourist_visa", "abused_role", "all_paid"}, offer.High},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := offer.Grade(c, tc.flags)
			if a.Risk != tc.want {
				t.Errorf("Grade(%v) = %s (strong %v, supporting %v, combos %d), want %s",
					tc.flags, a.Risk, a.Strong, a.Supporting, len(a.Combos), tc.want)
			}
		})
	}
}

// Every indicator facts.md marks STRONG ALONE grades high on its own.
func TestEveryStrongIndicatorIsHighAlone(t *testing.T) {
	c, err := content.Load(content.Files, content.Checker{})
	if err != nil {
		t.Fatal(err)
	}
	strong := []string{"scam_hub", "border_ride", "irregular", "long_drive", "ticket_void", "lie_immig",
		"passport", "phone_kept", "confined", "scam_work", "ransom", "violence"}
	for _, ind := range c.Indicators {
		isStrong := ind.Strength == content.Strong
		if isStrong != slices.Contains(strong, ind.ID) {
			t.Errorf("%s (%s): strong=%v, facts.md says %v", ind.ID, ind.Code, isStrong, !isStrong)
		}
		if got := offer.Grade(c, []string{ind.ID}).Risk; isStrong && got != offer.High {
			t.Errorf("%s alone grades %s, want high", ind.ID, got)
		}
	}
}
