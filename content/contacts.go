package content

import "slices"

// ContactsFor picks the contacts for a person of nationality nat in country:
// the country's own lines (emergency, police, hotlines) first, then the
// embassies and consulates there that serve nat, then nat's home-country
// lines that help citizens abroad. Either code may be empty or unknown; the
// result is then what can still be said.
func (c *Content) ContactsFor(country, nat string) []Contact {
	var local, missions, home []Contact
	if ct := c.Countries[country]; ct != nil {
		for _, x := range ct.Contacts {
			switch {
			case x.Kind == KindEmbassy || x.Kind == KindConsulate:
				if nat != "" && slices.Contains(x.Serves, nat) {
					missions = append(missions, x)
				}
			case x.Abroad:
				// A home-country line of this country: only for its own
				// citizens, and then it is listed with the home lines below.
			default:
				local = append(local, x)
			}
		}
	}
	if ct := c.Countries[nat]; ct != nil {
		for _, x := range ct.Contacts {
			if x.Abroad && slices.Contains(x.Serves, nat) {
				home = append(home, x)
			}
		}
	}
	byKind := func(list []Contact) {
		slices.SortStableFunc(list, func(a, b Contact) int {
			return slices.Index(Kinds, a.Kind) - slices.Index(Kinds, b.Kind)
		})
	}
	byKind(local)
	return append(append(local, missions...), home...)
}
