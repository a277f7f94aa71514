package ajans

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
)

// TokenPrefix starts every token ajans makes, so a leaked one is easy to
// recognise in code or logs.
const TokenPrefix = "ajs_"

// NewToken returns a new app token: the prefix and 32 random bytes in
// base64url, 47 characters in all. It reads randomness from r, usually
// crypto/rand.Reader.
func NewToken(r io.Reader) (string, error) {
	b := make([]byte, 32)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", err
	}
	return TokenPrefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// MustNewToken returns NewToken(rand.Reader), which cannot fail.
func MustNewToken() string {
	t, err := NewToken(rand.Reader)
	if err != nil {
		panic(err)
	}
	return t
}

// HashToken returns the hex SHA-256 of a token: the only form it is stored in.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// ShowToken returns the part of a token safe to show in a list or a log.
func ShowToken(token string) string {
	if len(token) <= 12 {
		return "…"
	}
	return token[:8] + "…"
}

// ValidTokenShape reports whether token could be a token at all: 32 to 128
// characters of letters, digits, '-' and '_'. Anything else is refused
// before the database is asked.
func ValidTokenShape(token string) bool {
	if len(token) < 32 || len(token) > 128 {
		return false
	}
	for i := 0; i < len(token); i++ {
		c := token[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
		if !ok {
			return false
		}
	}
	return true
}
