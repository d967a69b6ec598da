package bot

import "testing"

func TestFoldDigitsAndTypedTimes(t *testing.T) {
	for in, want := range map[string]string{
		"၀၈:၀၀": "08:00", "๐๘:๓๐": "08:30", "０８：００": "08：00", "8:00 ２０:３０": "8:00 20:30", "abc": "abc",
	} {
		if got := foldDigits(in); got != want {
			t.Errorf("foldDigits(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"၀၈:၀၀ ၂၀:၃၀": "08:00 20:30",
		"０８：００":       "08:00",
		"8:00, 20:00": "08:00 20:00",
	} {
		got, ok, _ := validTimes(nil, in)
		if !ok || got != want {
			t.Errorf("validTimes(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
