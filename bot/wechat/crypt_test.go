package wechat

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"time"
)

func sampleCrypter(t testing.TB) *Crypter {
	t.Helper()
	c, err := NewCrypter(sampleKey, sampleAppID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// rawEncrypt encrypts a hand-made plaintext (whole AES blocks) with the
// sample key, to build ciphertexts that Encrypt would never produce.
func rawEncrypt(t testing.TB, pt []byte) string {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(sampleKey + "=")
	if err != nil {
		t.Fatal(err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]byte, len(pt))
	cipher.NewCBCEncrypter(block, key[:16]).CryptBlocks(out, pt)
	return base64.StdEncoding.EncodeToString(out)
}

func TestNewCrypterRejects(t *testing.T) {
	for _, tc := range []struct{ name, key, appID string }{
		{"short key", sampleKey[:42], sampleAppID},
		{"long key", sampleKey + "A", sampleAppID},
		{"not base64", strings.Repeat("!", 43), sampleAppID},
		{"empty app id", sampleKey, ""},
	} {
		if _, err := NewCrypter(tc.key, tc.appID); err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
}

func TestDecryptKnownAnswers(t *testing.T) {
	c := sampleCrypter(t)
	for _, tc := range []struct{ name, cipher, want string }{
		{"published sample POST", sampleEncrypt, samplePlain},
		{"published sample echostr", sampleEchostr, sampleEchoPlain},
		{"our reply vector", katReplyCipher, katReplyPlain},
		{"whole block of padding", katFullPadCipher, katFullPadPlain},
		{"empty message", katEmptyCipher, ""},
	} {
		got, err := c.Decrypt(tc.cipher)
		if err != nil || string(got) != tc.want {
			t.Errorf("%s: Decrypt = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

func TestEncryptKnownAnswers(t *testing.T) {
	c := sampleCrypter(t)
	for _, tc := range []struct{ name, random, msg, want string }{
		{"reply", katReplyRandom, katReplyPlain, katReplyCipher},
		{"whole block of padding", "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f", katFullPadPlain, katFullPadCipher},
		{"empty", strings.Repeat("\xff", 16), "", katEmptyCipher},
	} {
		got, err := c.Encrypt(strings.NewReader(tc.random), []byte(tc.msg))
		if err != nil || got != tc.want {
			t.Errorf("%s: Encrypt = %q, %v\nwant %q", tc.name, got, err, tc.want)
		}
	}
}

func TestEncryptShortRandom(t *testing.T) {
	c := sampleCrypter(t)
	if _, err := c.Encrypt(strings.NewReader("15 bytes only.."), []byte("x")); err == nil {
		t.Error("short random source accepted")
	}
}

func TestEncryptRoundTripAllPadLengths(t *testing.T) {
	c := sampleCrypter(t)
	random := bytes.Repeat([]byte{7}, 16*70)
	r := bytes.NewReader(random)
	for n := 0; n < 70; n++ { // every padding length from 1 to 32, twice over
		msg := bytes.Repeat([]byte{'a' + byte(n%26)}, n)
		enc, err := c.Encrypt(r, msg)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := base64.StdEncoding.DecodeString(enc)
		if len(raw)%32 != 0 {
			t.Errorf("n=%d: ciphertext of %d bytes is not padded to 32", n, len(raw))
		}
		got, err := c.Decrypt(enc)
		if err != nil || !bytes.Equal(got, msg) {
			t.Errorf("n=%d: round trip = %q, %v", n, got, err)
		}
	}
}

func TestDecryptWrongAppID(t *testing.T) {
	other, err := NewCrypter(sampleKey, "wx1111111111111111")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Decrypt(sampleEncrypt); !errors.Is(err, ErrAppID) {
		t.Errorf("sample for another app: err = %v, want ErrAppID", err)
	}
	// A prefix of our app id is not our app id.
	prefix, _ := NewCrypter(sampleKey, sampleAppID[:10])
	if _, err := prefix.Decrypt(sampleEncrypt); !errors.Is(err, ErrAppID) {
		t.Errorf("app id prefix: err = %v, want ErrAppID", err)
	}
}

// plaintext builds random || len || msg || appID || padding by hand.
func plaintext(msgLen uint32, msg, appID string, pad []byte) []byte {
	var b []byte
	b = append(b, bytes.Repeat([]byte{0x42}, 16)...)
	b = binary.BigEndian.AppendUint32(b, msgLen)
	b = append(b, msg...)
	b = append(b, appID...)
	return append(b, pad...)
}

func TestDecryptTampering(t *testing.T) {
	c := sampleCrypter(t)
	msg := "<xml>hi</xml>" // 16+4+13+18 = 51 bytes; 13 bytes of padding make 64
	good := plaintext(13, msg, sampleAppID, bytes.Repeat([]byte{13}, 13))
	if got, err := c.Decrypt(rawEncrypt(t, good)); err != nil || string(got) != msg {
		t.Fatalf("hand-made plaintext does not decrypt: %q, %v", got, err)
	}
	rawSample, _ := base64.StdEncoding.DecodeString(sampleEncrypt)

	for _, tc := range []struct {
		name   string
		cipher string
		want   error
	}{
		{"empty", "", ErrCiphertext},
		{"not base64", "%%%%", ErrCiphertext},
		{"truncated base64", sampleEncrypt[:len(sampleEncrypt)-3], ErrCiphertext},
		{"not whole blocks", base64.StdEncoding.EncodeToString(rawSample[:len(rawSample)-5]), ErrCiphertext},
		{"last block dropped", base64.StdEncoding.EncodeToString(rawSample[:len(rawSample)-16]), ErrCiphertext},
		{"only one block", base64.StdEncoding.EncodeToString(rawSample[:16]), ErrCiphertext},
		{"padding byte 0", rawEncrypt(t, plaintext(13, msg, sampleAppID, append(bytes.Repeat([]byte{13}, 12), 0))), ErrCiphertext},
		{"padding byte 33", rawEncrypt(t, plaintext(13, msg, sampleAppID, append(bytes.Repeat([]byte{13}, 12), 33))), ErrCiphertext},
		{"padding bytes differ", rawEncrypt(t, plaintext(13, msg, sampleAppID, append(append(bytes.Repeat([]byte{13}, 5), 12), bytes.Repeat([]byte{13}, 7)...))), ErrCiphertext},
		{"padding longer than plaintext", rawEncrypt(t, bytes.Repeat([]byte{32}, 16)), ErrCiphertext},
		{"shorter than header", rawEncrypt(t, append(bytes.Repeat([]byte{1}, 16), bytes.Repeat([]byte{16}, 16)...)), ErrCiphertext},
		{"length field one too long", rawEncrypt(t, plaintext(14+uint32(len(sampleAppID)), msg, sampleAppID, bytes.Repeat([]byte{13}, 13))), ErrCiphertext},
		{"length field huge", rawEncrypt(t, plaintext(0xFFFFFFFF, msg, sampleAppID, bytes.Repeat([]byte{13}, 13))), ErrCiphertext},
		{"length field eats the app id", rawEncrypt(t, plaintext(13+uint32(len(sampleAppID)), msg, sampleAppID, bytes.Repeat([]byte{13}, 13))), ErrAppID},
		{"wrong app id", rawEncrypt(t, plaintext(13, msg, "wx5823bf96d3bd56c8", bytes.Repeat([]byte{13}, 13))), ErrAppID},
	} {
		got, err := c.Decrypt(tc.cipher)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: Decrypt = %q, %v; want %v", tc.name, got, err, tc.want)
		}
	}
}

// CBC is malleable: a flipped ciphertext byte can decrypt "successfully" to
// a changed message. This test pins down that msg_signature catches every
// single flip, which is why Handler verifies before it decrypts.
func TestFlippedCiphertextByte(t *testing.T) {
	c := sampleCrypter(t)
	v := Verifier{Token: sampleToken}
	raw, _ := base64.StdEncoding.DecodeString(sampleEncrypt)
	now := unix(sampleTimestamp)
	silentlyChanged := 0
	for i := range raw {
		flipped := bytes.Clone(raw)
		flipped[i] ^= 0x01
		enc := base64.StdEncoding.EncodeToString(flipped)
		if err := v.VerifyMsg(sampleMsgSignature, sampleTimestamp, sampleNonce, enc, now); !errors.Is(err, ErrSignature) {
			t.Fatalf("byte %d flipped: VerifyMsg err = %v, want ErrSignature", i, err)
		}
		got, err := c.Decrypt(enc)
		if err == nil && string(got) != samplePlain {
			silentlyChanged++
		}
	}
	if silentlyChanged == 0 {
		t.Log("no flip went unnoticed by Decrypt alone")
	} else {
		t.Logf("%d of %d flips changed the message without a Decrypt error: the signature is what protects integrity", silentlyChanged, len(raw))
	}
}

func TestCrypterConcurrentUse(t *testing.T) {
	c := sampleCrypter(t)
	done := make(chan error, 8)
	for range 8 {
		go func() {
			for range 100 {
				if _, err := c.Decrypt(sampleEncrypt); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	deadline := time.After(10 * time.Second)
	for range 8 {
		select {
		case err := <-done:
			if err != nil {
				t.Error(err)
			}
		case <-deadline:
			t.Fatal("timed out")
		}
	}
}
