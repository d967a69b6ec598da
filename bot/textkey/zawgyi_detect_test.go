package textkey

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestZawgyiCompatibility checks the detector against google/myanmar-tools'
// own test vectors (testdata/compatibility.tsv, Apache-2.0): every client of
// that project must reproduce these probabilities.
func TestZawgyiCompatibility(t *testing.T) {
	f, err := os.Open("testdata/compatibility.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n, verdicts := 0, 0
	var maxErr float64
	for sc.Scan() {
		want, text, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			continue
		}
		n++
		got := ZawgyiProbability(text)
		if want == "-Infinity" {
			if !math.IsInf(got, -1) {
				t.Errorf("%q: got %v, want -Inf", text, got)
			} else {
				verdicts++
			}
			continue
		}
		w, err := strconv.ParseFloat(want, 64)
		if err != nil {
			t.Fatal(err)
		}
		if e := math.Abs(got - w); e > maxErr {
			maxErr = e
		}
		if math.Abs(got-w) > 1e-9*math.Max(1, w) {
			t.Errorf("%q: got %v, want %v", text, got, w)
		}
		if (got >= ZawgyiThreshold) == (w >= ZawgyiThreshold) {
			verdicts++
		}
	}
	if n != 50 {
		t.Errorf("read %d vectors, want 50", n)
	}
	t.Logf("%d/%d vectors: same verdict at %.2f; max |Δp| = %.3g", verdicts, n, ZawgyiThreshold, maxErr)
}
