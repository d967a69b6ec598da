package wechat

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// padBlock is the PKCS#7 block size of WeChat's plaintext: 32 bytes, not
// AES's 16. Tencent's reference code pads to 32, and so does every message
// WeChat sends; the published sample decrypts to 30 bytes of padding.
const padBlock = 32

// Layout of a safe-mode plaintext: 16 random bytes, the message length as a
// 4-byte big-endian number, the message, then the app id.
const (
	randLen   = 16
	headerLen = randLen + 4
)

// Crypter encrypts and decrypts safe-mode messages for one account. The
// scheme is Tencent's: AES-256-CBC with the key from the EncodingAESKey and
// the IV equal to the key's first 16 bytes. A fixed IV leaks nothing here,
// because every plaintext starts with 16 random bytes.
//
// CBC without a MAC is malleable, so integrity comes from the msg_signature,
// which signs the ciphertext: verify it (Verifier.VerifyMsg) before calling
// Decrypt. A Crypter is immutable and safe for concurrent use.
type Crypter struct {
	block cipher.Block
	iv    []byte
	appID []byte
}

// NewCrypter builds a Crypter from the 43-character EncodingAESKey set in
// the WeChat admin console, and the account's app id (on WeCom, the corp
// id), which every plaintext must end with.
func NewCrypter(encodingAESKey, appID string) (*Crypter, error) {
	if len(encodingAESKey) != 43 {
		return nil, fmt.Errorf("wechat: reading EncodingAESKey: want 43 characters, got %d", len(encodingAESKey))
	}
	if appID == "" {
		return nil, errors.New("wechat: building crypter: empty app id")
	}
	// 43 base64 characters carry 258 bits; the spare 2 bits are not always
	// zero (the published sample key ends in "C"), so decode leniently, as
	// base64.StdEncoding does by default.
	key, err := base64.StdEncoding.DecodeString(encodingAESKey + "=")
	if err != nil {
		return nil, fmt.Errorf("wechat: reading EncodingAESKey: %w", err)
	}
	if len(key) != 32 {
		return nil, fmt.Errorf("wechat: reading EncodingAESKey: decodes to %d bytes, want 32", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("wechat: building crypter: %w", err)
	}
	return &Crypter{block: block, iv: key[:aes.BlockSize], appID: []byte(appID)}, nil
}

// Decrypt opens the base64 text of an Encrypt element (or of an encrypted
// echostr) and returns the message inside. It checks the padding, that the
// length field fits, and that the trailing app id is ours (in constant
// time). Every failure is ErrCiphertext or ErrAppID, wrapped.
func (c *Crypter) Decrypt(encrypted string) ([]byte, error) {
	ct, err := base64.StdEncoding.DecodeString(encrypted)
	if err != nil {
		return nil, fmt.Errorf("wechat: decrypting: base64: %w", ErrCiphertext)
	}
	if len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("wechat: decrypting: %d bytes is not whole AES blocks: %w", len(ct), ErrCiphertext)
	}
	pt := make([]byte, len(ct))
	cipher.NewCBCDecrypter(c.block, c.iv).CryptBlocks(pt, ct)

	pad := int(pt[len(pt)-1])
	if pad < 1 || pad > padBlock || pad > len(pt) {
		return nil, fmt.Errorf("wechat: decrypting: padding: %w", ErrCiphertext)
	}
	for _, b := range pt[len(pt)-pad:] {
		if int(b) != pad {
			return nil, fmt.Errorf("wechat: decrypting: padding: %w", ErrCiphertext)
		}
	}
	pt = pt[:len(pt)-pad]
	if len(pt) < headerLen {
		return nil, fmt.Errorf("wechat: decrypting: plaintext shorter than its header: %w", ErrCiphertext)
	}
	// Compare in uint64 so that a huge length cannot wrap around.
	n := uint64(binary.BigEndian.Uint32(pt[randLen:headerLen]))
	if n > uint64(len(pt)-headerLen) {
		return nil, fmt.Errorf("wechat: decrypting: length field exceeds plaintext: %w", ErrCiphertext)
	}
	msg, appID := pt[headerLen:headerLen+int(n)], pt[headerLen+int(n):]
	if subtle.ConstantTimeCompare(appID, c.appID) != 1 {
		return nil, fmt.Errorf("wechat: decrypting: %w", ErrAppID)
	}
	return msg, nil
}

// Encrypt seals msg for WeChat and returns the base64 text for an Encrypt
// element. The 16-byte prefix is read from random, which should be
// crypto/rand.Reader except in tests that need fixed output.
func (c *Crypter) Encrypt(random io.Reader, msg []byte) (string, error) {
	if uint64(len(msg)) > math.MaxUint32-uint64(headerLen+len(c.appID)+padBlock) {
		return "", fmt.Errorf("wechat: encrypting: message of %d bytes is too long", len(msg))
	}
	n := headerLen + len(msg) + len(c.appID)
	pad := padBlock - n%padBlock
	pt := make([]byte, n+pad)
	if _, err := io.ReadFull(random, pt[:randLen]); err != nil {
		return "", fmt.Errorf("wechat: encrypting: reading random prefix: %w", err)
	}
	binary.BigEndian.PutUint32(pt[randLen:headerLen], uint32(len(msg)))
	copy(pt[headerLen:], msg)
	copy(pt[headerLen+len(msg):], c.appID)
	for i := n; i < len(pt); i++ {
		pt[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(c.block, c.iv).CryptBlocks(pt, pt)
	return base64.StdEncoding.EncodeToString(pt), nil
}
