#!/usr/bin/env python3
"""Known-answer vectors for bot/wechat, computed without the Go code.

Run outside the Go build, by hand:  python3 bot/wechat/testdata/make_kat.py
(written against Python 3 with the `cryptography` package, version 48.0.0).
It re-checks Tencent's published sample and prints the vectors that
crypt_test.go and signature_test.go paste in. The ciphertexts were also
re-made with the openssl CLI, e.g. for the first one:

  KEY=8d69989bbaabe67328014c194631ad0719b3dca035b64023df292447aab60760
  python3 make_kat.py --plaintext reply | \
    openssl enc -aes-256-cbc -nopad -K $KEY -iv ${KEY:0:32} | base64 -w0
"""
import base64, hashlib, struct, sys
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

TOKEN = "QDG6eK"
EAK = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
APPID = b"wx5823bf96d3bd56c7"
KEY = base64.b64decode(EAK + "=")


def sig(*parts):
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def plaintext(msg, rand):
    pt = rand + struct.pack(">I", len(msg)) + msg + APPID
    pad = 32 - len(pt) % 32
    return pt + bytes([pad]) * pad


def encrypt(msg, rand):
    e = Cipher(algorithms.AES(KEY), modes.CBC(KEY[:16])).encryptor()
    return base64.b64encode(e.update(plaintext(msg, rand)) + e.finalize()).decode()


def decrypt(b64):
    d = Cipher(algorithms.AES(KEY), modes.CBC(KEY[:16])).decryptor()
    pt = d.update(base64.b64decode(b64)) + d.finalize()
    pad = pt[-1]
    assert 1 <= pad <= 32 and pt[-pad:] == bytes([pad]) * pad
    pt = pt[:-pad]
    n = struct.unpack(">I", pt[16:20])[0]
    return pt[20:20 + n], pt[20 + n:]


VECTORS = {
    # name: (message, 16-byte random prefix)
    "reply": ('<xml><ToUserName><![CDATA[oKat-openid]]></ToUserName><FromUserName><![CDATA[gh_homeward]]></FromUserName>'
              '<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>'
              '<Content><![CDATA[โทร 1155 ]]]]><![CDATA[> 求助]]></Content></xml>'.encode(), b"homeward-kat-16b"),
    "fullpad": (b"<xml>" + b"p" * 15 + b"</xml>", bytes(range(16))),  # 16+4+26+18 = 64: a whole block of padding
    "empty": (b"", b"\xff" * 16),
}

if len(sys.argv) == 3 and sys.argv[1] == "--plaintext":
    msg, rand = VECTORS[sys.argv[2]]
    sys.stdout.buffer.write(plaintext(msg, rand))
    sys.exit()

# Tencent's published sample (WeCom callback docs and WXBizMsgCrypt samples).
post_enc = ("RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXx"
            "accAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5"
            "mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH"
            "27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==")
assert sig(TOKEN, "1409659813", "1372623149", post_enc) == "477715d11cdb4164915debcba66cb864d751f3e6"
print("sample POST decrypts to", decrypt(post_enc))
echo = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
assert sig(TOKEN, "1409659589", "263014780", echo) == "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
print("sample echostr decrypts to", decrypt(echo))

print("key", KEY.hex())
for name, (msg, rand) in VECTORS.items():
    print(name, encrypt(msg, rand))
print("reply msg_signature ts=1700000000 nonce=1234567890:", sig(TOKEN, "1700000000", "1234567890", encrypt(*VECTORS["reply"])))
print("plain signature token=homeward-token ts=1700000000 nonce=987654321:", sig("homeward-token", "1700000000", "987654321"))
