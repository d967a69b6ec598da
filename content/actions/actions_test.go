package actions

import (
	"testing"
	"time"
)

func TestZonesLoad(t *testing.T) {
	z, err := Zones(Files)
	if err != nil {
		t.Fatal(err)
	}
	if z["TH"] != "Asia/Bangkok" {
		t.Errorf("TH = %q", z["TH"])
	}
	for code, name := range z {
		if _, err := time.LoadLocation(name); err != nil {
			t.Errorf("%s: %v", code, err)
		}
	}
}
