package wechat

// Known-answer vectors. None of them was produced by this package.
//
// The sample* values are Tencent's published sample for the message crypto:
// the WeCom callback documentation (developer.work.weixin.qq.com, document
// 90968) and the WXBizMsgCrypt samples Tencent ships in C#, PHP, Python and
// Java. WeCom and Official Accounts use the same scheme; on WeCom the
// trailing id is the corp id. They were re-checked with an independent
// implementation, testdata/make_kat.py (python3 + cryptography 48.0.0):
// both signatures match, and both ciphertexts decrypt to valid 32-byte
// PKCS#7 padding (30 and 7 bytes) and the sample app id.
//
// The kat* values were made by testdata/make_kat.py from fixed inputs and a
// fixed 16-byte random prefix, and the ciphertexts re-made with the openssl
// CLI:
//
//	KEY=8d69989bbaabe67328014c194631ad0719b3dca035b64023df292447aab60760
//	python3 testdata/make_kat.py --plaintext reply | \
//	  openssl enc -aes-256-cbc -nopad -K $KEY -iv ${KEY:0:32} | base64 -w0
const (
	sampleToken = "QDG6eK"
	sampleKey   = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	sampleAppID = "wx5823bf96d3bd56c7"

	// A POST in safe mode.
	sampleMsgSignature = "477715d11cdb4164915debcba66cb864d751f3e6"
	sampleTimestamp    = "1409659813"
	sampleNonce        = "1372623149"
	sampleEncrypt      = "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q=="
	samplePlain        = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>"

	// The URL check (GET) in safe mode: echostr is encrypted.
	sampleEchoSignature = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
	sampleEchoTimestamp = "1409659589"
	sampleEchoNonce     = "263014780"
	sampleEchostr       = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
	sampleEchoPlain     = "1616140317555161061"

	// Encrypt with the sample key and app id.
	katReplyRandom = "homeward-kat-16b"
	katReplyPlain  = "<xml><ToUserName><![CDATA[oKat-openid]]></ToUserName><FromUserName><![CDATA[gh_homeward]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[โทร 1155 ]]]]><![CDATA[> 求助]]></Content></xml>"
	katReplyCipher = "+kQtpY3EJKpfYOdV1fYXtuDg+Llzk+Nd7RxX1klvaqmNqKzRILc3NbI5LKQoJqSUlJPNIgQumor2h9YX5cw9oIBT5rnVWqmE8Lbad+teZ7h/2y0oPr32D8VJ1i8NwAuRGwxVHzcSwKjwFf0XZC+lwDCxwDkcZMhXmy3T0/eRKgVy6iC5IXil4ZMkhC0/+u+sQU9ffip9KouaeJuL3roH+am1pvQ8GXks4+MGQ2XqV4pN2HlpAKHicobCiJapsZ6Q2NHE8/jWC5StbMMYJxoZ+bbt4ghf6nLw/CxqsHSbean26Qz7rTptxL1+Gs7fd/LY8P9kW9oo3yCf7CTheITtU6HySYeNWqorxfjyuFEnni6QIlFMnCjzNierBWx8JL+h"
	// msg_signature of katReplyCipher with timestamp 1700000000, nonce 1234567890.
	katReplyMsgSignature = "9037f8041a7f587b62cdb15b2938494601a7cdab"

	// A message whose plaintext ends in a whole 32-byte block of padding;
	// random prefix bytes 0x00..0x0f.
	katFullPadPlain  = "<xml>ppppppppppppppp</xml>"
	katFullPadCipher = "JVwoIzeb5XuqKIT2XqjnoBKc1gIWfZtrGTk5fOW7tHhmbpW2LonjJWgmNvNxeFoPE9incWzA0Qqt4vDH+GZnwFWmlTTo5HDjch1qLtekqrE+zccJFuYubm51UoV9tIcA"

	// The empty message; random prefix sixteen 0xff bytes.
	katEmptyCipher = "tc4mg1ke1ryx4amhgxaZqOIw57znT2os9DgRlMB1NQ9DcC7BYPxU3U0q/lNUu+d+eO0cYcDtpWi6PdSc6KSP/w=="

	// Plain URL signature: token homeward-token, timestamp 1700000000, nonce
	// 987654321. Also: printf '%s' 1700000000987654321homeward-token | sha1sum
	katPlainToken     = "homeward-token"
	katPlainSignature = "4874cd09e28076d41273c36bcf63a3393ca0be17"
)
