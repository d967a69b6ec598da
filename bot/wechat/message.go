package wechat

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MaxBody is the largest request body the HTTP layer should read. A text
// message is a few hundred bytes, and WeChat caps message text at a few
// kilobytes; 64 KiB leaves room for the encrypted and base64 forms while
// keeping a flood of large bodies cheap to refuse.
const MaxBody = 64 << 10

// MaxTextReply is the largest text reply, in bytes of UTF-8, that WeChat was
// seen to deliver (research/reliability-performance.md A1b W3: a community
// test, not an official limit). A Thai or Chinese character takes 3 bytes.
// The engine should split longer texts; this package does not cut them.
const MaxTextReply = 2048

// Message is an incoming message or event, or the safe-mode envelope around
// one, as WeChat posts it. Only the fields the bot uses are read.
type Message struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   string   // our account's original id (gh_…)
	FromUserName string   // the sender's OpenID: personal data, never log it
	CreateTime   int64    // unix seconds
	MsgType      string   // text, image, voice, video, location, link, event…
	Content      string   // text messages only
	MsgID        string   `xml:"MsgId"` // absent for events
	Event        string   // subscribe, unsubscribe, CLICK, SCAN… (MsgType event)
	EventKey     string   // menu key or QR scene
	Encrypt      string   // safe mode: the base64 ciphertext of the real message
}

// ParseMessage reads one message (or envelope) from XML. It does not bound
// the size of data; the HTTP layer does, with MaxBody.
func ParseMessage(data []byte) (Message, error) {
	var m Message
	if err := xml.Unmarshal(data, &m); err != nil {
		return Message{}, fmt.Errorf("wechat: parsing message XML: %w", err)
	}
	return m, nil
}

// DedupKey names one delivery of m, so that the engine can drop WeChat's
// retries (it retries three times when we are slow). A message is named by
// its MsgId. An event has none, so it is named by who sent it, when, and
// which event it is (with the key, so that two menu clicks in one second stay
// distinct). The event form is a hash, which keeps OpenIDs out of the store
// of processed deliveries and bounds the key's length.
func DedupKey(m Message) string {
	if m.MsgType != "event" && m.MsgID != "" {
		return "wx:m:" + m.MsgID
	}
	h := sha256.New()
	for _, s := range []string{m.ToUserName, m.FromUserName, strconv.FormatInt(m.CreateTime, 10), m.MsgType, m.Event, m.EventKey} {
		// Length-prefix every field so that no two field lists hash alike.
		fmt.Fprintf(h, "%d:%s", len(s), s)
	}
	return "wx:e:" + hex.EncodeToString(h.Sum(nil)[:16])
}

// TextReply builds a passive text reply. to is the user's OpenID (the
// incoming FromUserName) and from is our account (the incoming ToUserName).
// Strings go in CDATA sections, split where they contain "]]>", and
// characters XML cannot carry become U+FFFD, so any string yields XML that
// parses back to it.
func TextReply(to, from string, createTime int64, content string) []byte {
	var b strings.Builder
	b.WriteString("<xml><ToUserName>")
	writeCDATA(&b, to)
	b.WriteString("</ToUserName><FromUserName>")
	writeCDATA(&b, from)
	b.WriteString("</FromUserName><CreateTime>")
	b.WriteString(strconv.FormatInt(createTime, 10))
	b.WriteString("</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>")
	writeCDATA(&b, content)
	b.WriteString("</Content></xml>")
	return []byte(b.String())
}

// SealReply encrypts a reply for safe mode and wraps it in the envelope
// WeChat expects: Encrypt, MsgSignature (Signature(token, timestamp, nonce,
// encrypt)), TimeStamp and Nonce. random feeds Crypter.Encrypt.
func SealReply(c *Crypter, token string, random io.Reader, reply []byte, timestamp int64, nonce string) ([]byte, error) {
	enc, err := c.Encrypt(random, reply)
	if err != nil {
		return nil, err
	}
	ts := strconv.FormatInt(timestamp, 10)
	var b strings.Builder
	b.WriteString("<xml><Encrypt>")
	writeCDATA(&b, enc)
	b.WriteString("</Encrypt><MsgSignature>")
	writeCDATA(&b, Signature(token, ts, nonce, enc))
	b.WriteString("</MsgSignature><TimeStamp>")
	b.WriteString(ts)
	b.WriteString("</TimeStamp><Nonce>")
	writeCDATA(&b, nonce)
	b.WriteString("</Nonce></xml>")
	return []byte(b.String()), nil
}

// writeCDATA writes s as CDATA. A CDATA section ends at the first "]]>", so
// that sequence is split across two sections: "]]" closes the first and ">"
// opens the second.
func writeCDATA(b *strings.Builder, s string) {
	s = strings.Map(xmlChar, s) // also turns invalid UTF-8 into U+FFFD
	b.WriteString("<![CDATA[")
	b.WriteString(strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>"))
	b.WriteString("]]>")
}

// xmlChar keeps the characters XML 1.0 allows (its Char production) and
// replaces the rest, such as NUL and most control characters, which no
// parser would accept even inside CDATA.
func xmlChar(r rune) rune {
	switch {
	case r == '\t', r == '\n', r == '\r',
		r >= 0x20 && r <= 0xD7FF,
		r >= 0xE000 && r <= 0xFFFD,
		r >= 0x10000 && r <= 0x10FFFF:
		return r
	}
	return '\uFFFD'
}
