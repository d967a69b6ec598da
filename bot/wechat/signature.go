package wechat

import (
	"crypto/sha1"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultMaxSkew is how far a request's timestamp may be from the caller's
// clock when Verifier.MaxSkew is zero. WeChat sends the current time, and its
// retries come within seconds, so five minutes allows for clock drift while
// still bounding how long a captured request can be replayed.
const DefaultMaxSkew = 5 * time.Minute

// Errors that callers may test for with errors.Is. Each one returned by this
// package is wrapped with what was being done.
var (
	// ErrSignature: the signature or msg_signature does not match.
	ErrSignature = errors.New("signature mismatch")
	// ErrStale: the timestamp is malformed or too far from now.
	ErrStale = errors.New("timestamp missing, malformed or outside the allowed skew")
	// ErrAppID: a decrypted message was meant for another account.
	ErrAppID = errors.New("decrypted message is for another app id")
	// ErrCiphertext: the encrypted text is not valid base64, is not
	// whole AES blocks, or decrypts to bad padding or bad length fields.
	ErrCiphertext = errors.New("malformed ciphertext")
)

// Signature returns WeChat's signature of parts: the lowercase hex SHA-1 of
// the parts sorted in byte order and joined with no separator. The URL
// signature is Signature(token, timestamp, nonce), and the safe-mode
// msg_signature is Signature(token, timestamp, nonce, encrypt).
func Signature(parts ...string) string {
	sorted := slices.Clone(parts)
	slices.Sort(sorted)
	sum := sha1.Sum([]byte(strings.Join(sorted, "")))
	return hex.EncodeToString(sum[:])
}

// Verifier checks the signatures and timestamps WeChat puts in the query
// string of every request. The zero MaxSkew means DefaultMaxSkew. A Verifier
// holds no state, so one value may serve any number of goroutines.
type Verifier struct {
	Token   string
	MaxSkew time.Duration
}

// VerifyURL checks the plain signature, Signature(token, timestamp, nonce),
// and that timestamp is within MaxSkew of now. The caller passes now so that
// tests can use the published sample values, which are from 2014.
func (v Verifier) VerifyURL(signature, timestamp, nonce string, now time.Time) error {
	if err := v.check(signature, now, timestamp, nonce); err != nil {
		return fmt.Errorf("wechat: verifying URL signature: %w", err)
	}
	return nil
}

// VerifyMsg checks the safe-mode msg_signature, Signature(token, timestamp,
// nonce, encrypt), and the timestamp. Check it before decrypting, so that
// nobody without the token can use Decrypt's errors as a padding oracle.
func (v Verifier) VerifyMsg(msgSignature, timestamp, nonce, encrypt string, now time.Time) error {
	if err := v.check(msgSignature, now, timestamp, nonce, encrypt); err != nil {
		return fmt.Errorf("wechat: verifying msg_signature: %w", err)
	}
	return nil
}

// check compares the signature first and the clock second, so that ErrStale
// only ever reports an authentic request: a useful sign of clock drift.
func (v Verifier) check(got string, now time.Time, timestamp string, rest ...string) error {
	if v.Token == "" {
		// An empty token would make the signature computable by anyone.
		return errors.New("no token configured")
	}
	want := Signature(append([]string{v.Token, timestamp}, rest...)...)
	// Accept uppercase hex too; the comparison itself is constant-time.
	if subtle.ConstantTimeCompare([]byte(want), []byte(strings.ToLower(got))) != 1 {
		return ErrSignature
	}
	return v.fresh(timestamp, now)
}

func (v Verifier) fresh(timestamp string, now time.Time) error {
	skew := v.MaxSkew
	if skew <= 0 {
		skew = DefaultMaxSkew
	}
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil || ts < 0 {
		return ErrStale
	}
	d := now.Unix() - ts
	if d < 0 {
		d = -d
	}
	if d > int64(skew/time.Second) {
		return ErrStale
	}
	return nil
}

// VerifyEcho answers the GET request with which WeChat checks a server URL,
// and returns the text to write back as the whole response body.
//
// With a plain signature in the query, the answer is echostr exactly as
// sent. With msg_signature (safe mode, and always on WeCom), echostr is
// encrypted, and the answer is its decryption. That needs c, and the
// decrypted text must name c's app id. c may be nil for an account that
// uses plain mode only.
func (v Verifier) VerifyEcho(q url.Values, c *Crypter, now time.Time) (string, error) {
	echo := q.Get("echostr")
	if echo == "" {
		return "", fmt.Errorf("wechat: verifying echostr: no echostr in query: %w", ErrSignature)
	}
	ts, nonce := q.Get("timestamp"), q.Get("nonce")
	if ms := q.Get("msg_signature"); ms != "" {
		if c == nil {
			return "", fmt.Errorf("wechat: verifying echostr: msg_signature sent but no EncodingAESKey configured: %w", ErrSignature)
		}
		if err := v.VerifyMsg(ms, ts, nonce, echo, now); err != nil {
			return "", err
		}
		plain, err := c.Decrypt(echo)
		if err != nil {
			return "", err // already says it was decrypting
		}
		return string(plain), nil
	}
	if err := v.VerifyURL(q.Get("signature"), ts, nonce, now); err != nil {
		return "", err
	}
	return echo, nil
}
