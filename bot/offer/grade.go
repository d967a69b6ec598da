// Package offer grades a job offer from the red flags found in it. It is
// pure: no I/O, no clock, nothing of the bot but the content types.
//
// The rules come from research/facts.md: an indicator marked strong is high
// risk on its own; supporting indicators are not, but several together are,
// and some pairs (a fee to an unlicensed recruiter) count as strong. Both
// the pairs (combos) and the overlaps that count as fewer signs are content.
// The grade never says "safe": the lowest grade is "no red flags found",
// which is not proof of anything.
package offer

import (
	"slices"

	"github.com/homeward-ngo/homeward/content"
)

// Risk is the grade of an offer.
type Risk string

// The grades, from worst.
const (
	High   Risk = "high"
	Medium Risk = "medium"
	// Low means no red flag was found. It must never be presented as "safe".
	Low Risk = "low"
)

// Thresholds for supporting flags when no strong one is found: this many or
// more grades High, or Medium. One supporting flag alone fits many honest
// jobs too, so it is Medium ("some warning signs"), never High. Flags of
// one content overlap (the job's own shape, A2–A4) count one less together.
const (
	HighSupporting   = 3
	MediumSupporting = 1
)

// Assessment is the grade with its reasons.
type Assessment struct {
	Risk       Risk
	Strong     []string        // strong indicators found, in content order
	Supporting []string        // supporting indicators found, in content order
	Combos     []content.Combo // combinations that raised the grade
}

// Flags returns every indicator found, strong first.
func (a Assessment) Flags() []string { return append(slices.Clone(a.Strong), a.Supporting...) }

// Grade grades the set of raised indicators against the content's
// indicators and combinations. Unknown IDs are ignored: content may have
// dropped an indicator that an old session still carries.
func Grade(c *content.Content, flags []string) Assessment {
	return grade(c, flags, nil)
}

// GradeFound grades what a Reader found in a text. A weak find (a pay
// amount) counts as a supporting sign but neither as a strong one nor as a
// member of a combination: on its own, a number cannot say the pay is far
// above the person's skills, and honest well-paid jobs name their pay too.
func GradeFound(c *content.Content, found []Found) Assessment {
	var firm, weak []string
	for _, f := range found {
		if f.Weak {
			weak = append(weak, f.ID)
		} else {
			firm = append(firm, f.ID)
		}
	}
	return grade(c, firm, weak)
}

func grade(c *content.Content, firm, weak []string) Assessment {
	raised, hinted := map[string]bool{}, map[string]bool{}
	for _, f := range firm {
		raised[f] = true
	}
	for _, f := range weak {
		hinted[f] = true
	}
	var a Assessment
	for _, ind := range c.Indicators {
		switch {
		case raised[ind.ID] && ind.Strength == content.Strong:
			a.Strong = append(a.Strong, ind.ID)
		case raised[ind.ID] || hinted[ind.ID]:
			a.Supporting = append(a.Supporting, ind.ID)
		}
	}
	for _, cb := range c.Combos {
		if matches(cb, raised) {
			a.Combos = append(a.Combos, cb)
		}
	}
	n := supportingSigns(c, a.Supporting)
	switch {
	case len(a.Strong) > 0, len(a.Combos) > 0, n >= HighSupporting:
		a.Risk = High
	case n >= MediumSupporting:
		a.Risk = Medium
	default:
		a.Risk = Low
	}
	return a
}

// supportingSigns counts the supporting indicators found, two or more of one
// overlap counting one less than their number (see content.Overlap).
func supportingSigns(c *content.Content, found []string) int {
	n := len(found)
	for _, o := range c.Overlaps {
		k := 0
		for _, id := range o.IDs {
			if slices.Contains(found, id) {
				k++
			}
		}
		if k >= 2 {
			n--
		}
	}
	return n
}

func matches(cb content.Combo, raised map[string]bool) bool {
	for _, id := range cb.All {
		if !raised[id] {
			return false
		}
	}
	if len(cb.AnyOf) == 0 {
		return true
	}
	for _, id := range cb.AnyOf {
		if raised[id] {
			return true
		}
	}
	return false
}
