package wechat

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

// afterXMLRoundTrip is what a string becomes once written by TextReply and
// read back: characters XML cannot carry become U+FFFD, and XML parsers
// turn "\r\n" and a lone "\r" into "\n".
func afterXMLRoundTrip(s string) string {
	s = strings.Map(xmlChar, s)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// FuzzParseMessage feeds arbitrary bytes to the XML parser. Nothing may
// panic, and whatever parses must survive being echoed through TextReply.
func FuzzParseMessage(f *testing.F) {
	for _, s := range []string{
		textXML(testOpenID, testContent),
		samplePlain,
		katReplyPlain,
		envelope(sampleEncrypt),
		"<xml><MsgType>event</MsgType><Event>subscribe</Event><EventKey>qrscene_1</EventKey><CreateTime>1</CreateTime></xml>",
		"<xml><Content>a&#13;b&#x1F600;&amp;]]&gt;</Content></xml>",
		"<xml><Content><![CDATA[x]]]]><![CDATA[>y]]></Content></xml>",
		"<!DOCTYPE xml [<!ENTITY a \"aaaa\">]><xml><Content>&a;</Content></xml>",
		"<xml>" + strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100) + "</xml>",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseMessage(data)
		if err != nil {
			return
		}
		_ = DedupKey(m)
		out := TextReply(m.FromUserName, m.ToUserName, m.CreateTime, m.Content)
		back, err := ParseMessage(out)
		if err != nil {
			t.Fatalf("reply to a parsed message does not parse: %v\n%q", err, out)
		}
		if want := afterXMLRoundTrip(m.Content); back.Content != want {
			t.Fatalf("content %q came back as %q", want, back.Content)
		}
		if back.ToUserName != afterXMLRoundTrip(m.FromUserName) || back.FromUserName != afterXMLRoundTrip(m.ToUserName) || back.CreateTime != m.CreateTime {
			t.Fatalf("header changed: %+v -> %+v", m, back)
		}
	})
}

// FuzzTextReply checks that any strings, even invalid UTF-8 or full of
// "]]>", give a reply that parses back to them.
func FuzzTextReply(f *testing.F) {
	f.Add("oU", "gh", int64(1700000000), "]]>")
	f.Add("o]]>U", "g\x00h", int64(-1), "a]]]]>b\r\n\xff")
	f.Add("", "", int64(0), "ແຈ້ງເຫດ 🆘 \uFFFE")
	f.Fuzz(func(t *testing.T, to, from string, ts int64, content string) {
		out := TextReply(to, from, ts, content)
		m, err := ParseMessage(out)
		if err != nil {
			t.Fatalf("reply does not parse: %v\n%q", err, out)
		}
		if m.ToUserName != afterXMLRoundTrip(to) || m.FromUserName != afterXMLRoundTrip(from) || m.CreateTime != ts || m.MsgType != "text" || m.Content != afterXMLRoundTrip(content) {
			t.Fatalf("parsed back as %+v", m)
		}
	})
}

// Decrypt modes of FuzzDecrypt: how the fuzzer's bytes reach Decrypt.
const (
	asText      = iota // as the Encrypt text itself (mostly not base64)
	asCipher           // as raw ciphertext, base64-encoded for it
	asPlaintext        // as the plaintext, padded to AES blocks and encrypted
)

// FuzzDecrypt must never panic, must fail only with ErrCiphertext or
// ErrAppID, and must hand back what Encrypt sealed. Random ciphertext
// almost never gets past the padding check, so the asPlaintext mode lets
// the fuzzer choose the plaintext that the length and app id checks see.
func FuzzDecrypt(f *testing.F) {
	c := sampleCrypter(f)
	key, _ := base64.StdEncoding.DecodeString(sampleKey + "=")
	block, _ := aes.NewCipher(key)

	raw, _ := base64.StdEncoding.DecodeString(sampleEncrypt)
	f.Add([]byte(sampleEncrypt), uint8(asText))
	f.Add([]byte(katEmptyCipher), uint8(asText))
	f.Add([]byte("%%%="), uint8(asText))
	f.Add(raw, uint8(asCipher))
	f.Add(raw[:48], uint8(asCipher))
	f.Add(plaintext(13, "<xml>hi</xml>", sampleAppID, bytes.Repeat([]byte{13}, 13)), uint8(asPlaintext))
	f.Add(plaintext(0xFFFFFFFF, "<xml>hi</xml>", sampleAppID, bytes.Repeat([]byte{13}, 13)), uint8(asPlaintext))
	f.Add(plaintext(0, "", "", bytes.Repeat([]byte{12}, 12)), uint8(asPlaintext))
	f.Add(bytes.Repeat([]byte{32}, 32), uint8(asPlaintext))

	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		var enc string
		switch mode % 3 {
		case asText:
			enc = string(data)
		case asCipher:
			enc = base64.StdEncoding.EncodeToString(data)
		case asPlaintext:
			pt := append(bytes.Clone(data), make([]byte, (aes.BlockSize-len(data)%aes.BlockSize)%aes.BlockSize)...)
			cipher.NewCBCEncrypter(block, key[:16]).CryptBlocks(pt, pt)
			enc = base64.StdEncoding.EncodeToString(pt)
		}
		msg, err := c.Decrypt(enc)
		if err != nil {
			if !errors.Is(err, ErrCiphertext) && !errors.Is(err, ErrAppID) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if len(msg) > len(enc) {
			t.Fatalf("%d-byte message from %d bytes of base64", len(msg), len(enc))
		}
		// Round trip: what Decrypt returns, Encrypt seals back.
		again, err := c.Encrypt(bytes.NewReader(make([]byte, 16)), msg)
		if err != nil {
			t.Fatal(err)
		}
		if back, err := c.Decrypt(again); err != nil || !bytes.Equal(back, msg) {
			t.Fatalf("round trip: %q, %v; want %q", back, err, msg)
		}
	})
}
