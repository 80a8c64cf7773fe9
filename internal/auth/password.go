// Package auth holds accounts, sessions, passwords and tokens: sign-up,
// sign-in with rate limiting, sign-out, password reset and personal access
// tokens. Permission decisions are not here: they live in tsunagu.Can.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters (RFC 9106 second recommended option, lighter memory).
const (
	argonTime    = 2
	argonMemory  = 32 * 1024
	argonThreads = 2
	argonKeyLen  = 32
	argonSaltLen = 16
)

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches the PHC-encoded hash.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// common lists passwords refused however long they are.
var common = map[string]bool{
	"password123": true, "password1234": true, "1234567890": true, "12345678910": true,
	"qwertyuiop": true, "qwerty12345": true, "iloveyou123": true, "letmein123": true,
	"passw0rd123": true, "administrator": true, "welcome123": true, "abcdefghij": true,
	"0123456789": true, "1111111111": true, "tsunagu123": true, "tsunagu2026": true,
}

// PasswordProblem returns the catalogue ID of what is wrong with password
// for an account with email, or "" when it is acceptable.
func PasswordProblem(password, email string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLength:
		return "error.password_too_short"
	case n > 200:
		return "error.password_too_long"
	case common[strings.ToLower(password)]:
		return "error.password_common"
	case email != "" && strings.Contains(strings.ToLower(password), strings.ToLower(strings.SplitN(email, "@", 2)[0])) && len(strings.SplitN(email, "@", 2)[0]) >= 4:
		return "error.password_contains_email"
	}
	distinct := map[rune]bool{}
	classes := 0
	var lower, upper, digit, other bool
	for _, r := range password {
		distinct[r] = true
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			classes++
		}
	}
	if len(distinct) < 5 || (classes < 2 && n < 16) {
		return "error.password_weak"
	}
	return ""
}

// NewToken returns a random URL-safe token and the SHA-256 hash to store.
func NewToken() (token string, hash []byte) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken returns the SHA-256 of a token as stored.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// randomHex returns n random bytes as hex.
func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	return hex.EncodeToString(b)
}
