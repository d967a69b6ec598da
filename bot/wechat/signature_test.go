package wechat

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

func unix(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		panic(err)
	}
	return time.Unix(n, 0)
}

func TestSignatureKnownAnswers(t *testing.T) {
	for _, tc := range []struct {
		name  string
		parts []string
		want  string
	}{
		{"plain", []string{katPlainToken, "1700000000", "987654321"}, katPlainSignature},
		{"plain, any order", []string{"987654321", katPlainToken, "1700000000"}, katPlainSignature},
		{"sample POST", []string{sampleToken, sampleTimestamp, sampleNonce, sampleEncrypt}, sampleMsgSignature},
		{"sample GET", []string{sampleToken, sampleEchoTimestamp, sampleEchoNonce, sampleEchostr}, sampleEchoSignature},
		{"our reply", []string{sampleToken, "1700000000", "1234567890", katReplyCipher}, katReplyMsgSignature},
	} {
		if got := Signature(tc.parts...); got != tc.want {
			t.Errorf("%s: Signature = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestSignatureDoesNotReorderCallersSlice(t *testing.T) {
	parts := []string{"c", "b", "a"}
	Signature(parts...)
	if strings.Join(parts, "") != "cba" {
		t.Errorf("Signature sorted the caller's slice: %q", parts)
	}
}

func TestVerifyURL(t *testing.T) {
	v := Verifier{Token: katPlainToken}
	now := unix("1700000000")
	for _, tc := range []struct {
		name      string
		signature string
		timestamp string
		nonce     string
		now       time.Time
		want      error
	}{
		{"good", katPlainSignature, "1700000000", "987654321", now, nil},
		{"uppercase hex", strings.ToUpper(katPlainSignature), "1700000000", "987654321", now, nil},
		{"4m59s late", katPlainSignature, "1700000000", "987654321", now.Add(4*time.Minute + 59*time.Second), nil},
		{"5m late", katPlainSignature, "1700000000", "987654321", now.Add(5 * time.Minute), nil},
		{"5m1s late", katPlainSignature, "1700000000", "987654321", now.Add(5*time.Minute + time.Second), ErrStale},
		{"from the future", katPlainSignature, "1700000000", "987654321", now.Add(-time.Hour), ErrStale},
		{"wrong nonce", katPlainSignature, "1700000000", "987654322", now, ErrSignature},
		{"flipped digit", "5" + katPlainSignature[1:], "1700000000", "987654321", now, ErrSignature},
		{"empty signature", "", "1700000000", "987654321", now, ErrSignature},
		{"truncated signature", katPlainSignature[:39], "1700000000", "987654321", now, ErrSignature},
	} {
		err := v.VerifyURL(tc.signature, tc.timestamp, tc.nonce, tc.now)
		if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestVerifyURLMalformedTimestamp(t *testing.T) {
	v := Verifier{Token: "t"}
	for _, ts := range []string{"", "abc", "-5", "1e9", " 1700000000", "99999999999999999999"} {
		sig := Signature("t", ts, "n")
		if err := v.VerifyURL(sig, ts, "n", unix("1700000000")); !errors.Is(err, ErrStale) {
			t.Errorf("timestamp %q: err = %v, want ErrStale", ts, err)
		}
	}
}

func TestVerifierCustomSkew(t *testing.T) {
	v := Verifier{Token: "t", MaxSkew: 30 * time.Second}
	sig := Signature("t", "1700000000", "n")
	if err := v.VerifyURL(sig, "1700000000", "n", unix("1700000030")); err != nil {
		t.Errorf("30s with 30s skew: %v", err)
	}
	if err := v.VerifyURL(sig, "1700000000", "n", unix("1700000031")); !errors.Is(err, ErrStale) {
		t.Errorf("31s with 30s skew: err = %v, want ErrStale", err)
	}
}

func TestVerifierRefusesEmptyToken(t *testing.T) {
	// With no token the signature is public knowledge.
	v := Verifier{}
	if err := v.VerifyURL(Signature("", "1700000000", "n"), "1700000000", "n", unix("1700000000")); err == nil {
		t.Error("empty token accepted")
	}
}

func TestVerifyMsgSample(t *testing.T) {
	v := Verifier{Token: sampleToken}
	if err := v.VerifyMsg(sampleMsgSignature, sampleTimestamp, sampleNonce, sampleEncrypt, unix(sampleTimestamp)); err != nil {
		t.Fatalf("published sample: %v", err)
	}
	// One changed character of the body breaks the signature.
	tampered := "S" + sampleEncrypt[1:]
	if err := v.VerifyMsg(sampleMsgSignature, sampleTimestamp, sampleNonce, tampered, unix(sampleTimestamp)); !errors.Is(err, ErrSignature) {
		t.Errorf("tampered body: err = %v, want ErrSignature", err)
	}
	// The sample is from 2014: today it is stale.
	if err := v.VerifyMsg(sampleMsgSignature, sampleTimestamp, sampleNonce, sampleEncrypt, unix("1700000000")); !errors.Is(err, ErrStale) {
		t.Errorf("replayed sample: err = %v, want ErrStale", err)
	}
}

func TestVerifyEcho(t *testing.T) {
	c, err := NewCrypter(sampleKey, sampleAppID)
	if err != nil {
		t.Fatal(err)
	}
	v := Verifier{Token: sampleToken}

	encrypted := url.Values{
		"msg_signature": {sampleEchoSignature},
		"timestamp":     {sampleEchoTimestamp},
		"nonce":         {sampleEchoNonce},
		"echostr":       {sampleEchostr},
	}
	got, err := v.VerifyEcho(encrypted, c, unix(sampleEchoTimestamp))
	if err != nil || got != sampleEchoPlain {
		t.Errorf("safe-mode echo = %q, %v; want %q", got, err, sampleEchoPlain)
	}
	if _, err := v.VerifyEcho(encrypted, nil, unix(sampleEchoTimestamp)); !errors.Is(err, ErrSignature) {
		t.Errorf("safe-mode echo without crypter: err = %v, want ErrSignature", err)
	}
	other, _ := NewCrypter(sampleKey, "wx0000000000000000")
	if _, err := v.VerifyEcho(encrypted, other, unix(sampleEchoTimestamp)); !errors.Is(err, ErrAppID) {
		t.Errorf("safe-mode echo for another app: err = %v, want ErrAppID", err)
	}

	plainV := Verifier{Token: katPlainToken}
	plain := url.Values{
		"signature": {katPlainSignature},
		"timestamp": {"1700000000"},
		"nonce":     {"987654321"},
		"echostr":   {"7285391627361"},
	}
	got, err = plainV.VerifyEcho(plain, c, unix("1700000000"))
	if err != nil || got != "7285391627361" {
		t.Errorf("plain echo = %q, %v", got, err)
	}
	plain.Set("signature", strings.Repeat("0", 40))
	if _, err := plainV.VerifyEcho(plain, nil, unix("1700000000")); !errors.Is(err, ErrSignature) {
		t.Errorf("plain echo with bad signature: err = %v, want ErrSignature", err)
	}
	plain.Del("echostr")
	if _, err := plainV.VerifyEcho(plain, nil, unix("1700000000")); err == nil {
		t.Error("missing echostr accepted")
	}
}
