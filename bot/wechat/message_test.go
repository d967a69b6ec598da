package wechat

import (
	"strings"
	"testing"
)

func TestParseMessage(t *testing.T) {
	for _, tc := range []struct {
		name string
		xml  string
		want Message
	}{
		{
			"text",
			`<xml><ToUserName><![CDATA[gh_homeward]]></ToUserName><FromUserName><![CDATA[oUser]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[job offer: 50000 THB]]></Content><MsgId>1234567890123456</MsgId></xml>`,
			Message{ToUserName: "gh_homeward", FromUserName: "oUser", CreateTime: 1700000000, MsgType: "text", Content: "job offer: 50000 THB", MsgID: "1234567890123456"},
		},
		{
			"event",
			`<xml><ToUserName><![CDATA[gh_homeward]]></ToUserName><FromUserName><![CDATA[oUser]]></FromUserName><CreateTime>1700000001</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[HOTLINES]]></EventKey></xml>`,
			Message{ToUserName: "gh_homeward", FromUserName: "oUser", CreateTime: 1700000001, MsgType: "event", Event: "CLICK", EventKey: "HOTLINES"},
		},
		{
			"envelope",
			`<xml><ToUserName><![CDATA[gh_homeward]]></ToUserName><Encrypt><![CDATA[abc+/=]]></Encrypt></xml>`,
			Message{ToUserName: "gh_homeward", Encrypt: "abc+/="},
		},
		{
			"escaped text, unknown elements, whitespace",
			"<xml>\n  <Content>a &lt;b&gt; &amp; c</Content>\n  <PicUrl>x</PicUrl>\n  <CreateTime> 5 </CreateTime>\n</xml>",
			Message{Content: "a <b> & c", CreateTime: 5},
		},
		{"published sample, decrypted", samplePlain, Message{ToUserName: sampleAppID, FromUserName: "mycreate", CreateTime: 1409659813, MsgType: "text", Content: "hello", MsgID: "4561255354251345929"}},
	} {
		got, err := ParseMessage([]byte(tc.xml))
		got.XMLName.Local = ""
		if err != nil || got != tc.want {
			t.Errorf("%s: ParseMessage = %+v, %v\nwant %+v", tc.name, got, err, tc.want)
		}
	}
}

func TestParseMessageRejects(t *testing.T) {
	for _, bad := range []string{
		"",
		"success",
		`{"MsgType":"text"}`,
		"<xml><Content>unterminated",
		"<root><Content>x</Content></root>",
		"<xml><CreateTime>soon</CreateTime></xml>",
		"<xml><Content>\x00</Content></xml>",
		`<?xml version="1.0" encoding="GBK"?><xml></xml>`,
	} {
		if _, err := ParseMessage([]byte(bad)); err == nil {
			t.Errorf("ParseMessage(%q) accepted", bad)
		}
	}
}

func TestTextReplyExact(t *testing.T) {
	// The expected string is the plaintext of the independent vector in
	// vectors_test.go, written by hand in testdata/make_kat.py.
	got := string(TextReply("oKat-openid", "gh_homeward", 1700000000, "โทร 1155 ]]> 求助"))
	if got != katReplyPlain {
		t.Errorf("TextReply =\n%s\nwant\n%s", got, katReplyPlain)
	}
}

func TestTextReplyRoundTrip(t *testing.T) {
	for _, content := range []string{
		"",
		"]]>",
		"]]]]>>",
		"a]]>b]]>c",
		"<![CDATA[x]]>",
		"]",
		"]]",
		"line 1\nline 2\ttab",
		"ແຈ້ງເຫດ ကူညီ 求助 ☎ 1155",
		"emoji 🆘",
	} {
		m, err := ParseMessage(TextReply("oU", "gh", 1, content))
		if err != nil {
			t.Errorf("%q: reply does not parse: %v", content, err)
			continue
		}
		if m.Content != content || m.MsgType != "text" || m.ToUserName != "oU" || m.FromUserName != "gh" || m.CreateTime != 1 {
			t.Errorf("%q: parsed back as %+v", content, m)
		}
	}
}

func TestTextReplyReplacesWhatXMLCannotCarry(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"nul\x00here", "nul\uFFFDhere"},
		{"bell\x07", "bell\uFFFD"},
		{"bad utf8 \xff\xfe end", "bad utf8 \uFFFD\uFFFD end"},
		{"noncharacter \uFFFE", "noncharacter \uFFFD"},
	} {
		m, err := ParseMessage(TextReply("oU", "gh", 1, tc.in))
		if err != nil || m.Content != tc.want {
			t.Errorf("%q: parsed back as %q, %v; want %q", tc.in, m.Content, err, tc.want)
		}
	}
}

func TestSealReplyKnownAnswer(t *testing.T) {
	c := sampleCrypter(t)
	got, err := SealReply(c, sampleToken, strings.NewReader(katReplyRandom), []byte(katReplyPlain), 1700000000, "1234567890")
	if err != nil {
		t.Fatal(err)
	}
	want := "<xml><Encrypt><![CDATA[" + katReplyCipher + "]]></Encrypt><MsgSignature><![CDATA[" + katReplyMsgSignature +
		"]]></MsgSignature><TimeStamp>1700000000</TimeStamp><Nonce><![CDATA[1234567890]]></Nonce></xml>"
	if string(got) != want {
		t.Errorf("SealReply =\n%s\nwant\n%s", got, want)
	}
}

func TestDedupKey(t *testing.T) {
	text := Message{ToUserName: "gh", FromUserName: "oU", CreateTime: 1700000000, MsgType: "text", Content: "hi", MsgID: "42"}
	if got := DedupKey(text); got != "wx:m:42" {
		t.Errorf("message key = %q", got)
	}
	// A retry carries the same MsgId, whatever else differs.
	retry := text
	retry.CreateTime++
	if DedupKey(retry) != DedupKey(text) {
		t.Error("retry of a message got a new key")
	}

	click := Message{ToUserName: "gh", FromUserName: "oUser-openid", CreateTime: 1700000000, MsgType: "event", Event: "CLICK", EventKey: "HOTLINES"}
	k := DedupKey(click)
	if !strings.HasPrefix(k, "wx:e:") || len(k) != len("wx:e:")+32 {
		t.Errorf("event key = %q", k)
	}
	if strings.Contains(k, "oUser-openid") {
		t.Error("event key holds the OpenID")
	}
	if DedupKey(click) != k {
		t.Error("event key is not stable")
	}
	for name, change := range map[string]func(*Message){
		"another user":    func(m *Message) { m.FromUserName = "oOther" },
		"another second":  func(m *Message) { m.CreateTime++ },
		"another event":   func(m *Message) { m.Event = "VIEW" },
		"another key":     func(m *Message) { m.EventKey = "OFFER" },
		"another account": func(m *Message) { m.ToUserName = "gh2" },
		// Without length prefixes these two would hash alike.
		"fields shifted": func(m *Message) { m.Event, m.EventKey = "CLICKHOT", "LINES" },
	} {
		m := click
		change(&m)
		if DedupKey(m) == k {
			t.Errorf("%s: same key", name)
		}
	}
	// An event never uses a MsgId, even a stray one.
	withID := click
	withID.MsgID = "42"
	if DedupKey(withID) == "wx:m:42" {
		t.Error("event keyed by MsgId")
	}
}
