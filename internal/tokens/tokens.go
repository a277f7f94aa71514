// Package tokens counts and cuts text in model tokens.
//
// It uses the o200k_base byte-pair encoding, the vocabulary of current OpenAI
// models, embedded in the binary by github.com/tiktoken-go/tokenizer, so
// nothing is downloaded at run time. Counts for other model families are close
// but not exact; billing uses them only for the user's own message, where the
// same count is shown to the user and charged.
//
// The codec is loaded once, on first use, and is safe for concurrent use.
package tokens

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/tiktoken-go/tokenizer"
)

// Encoding is the name of the byte-pair encoding this package counts in.
const Encoding = string(tokenizer.O200kBase)

// bytesPerToken is the rough size of a token, used only if the codec ever
// fails, so that a count is never zero for non-empty text.
const bytesPerToken = 4

// codec loads the encoding once. Its vocabulary is embedded, so Get fails
// only if the library itself is broken; that shows up in the first test.
var codec = sync.OnceValue(func() tokenizer.Codec {
	c, err := tokenizer.Get(tokenizer.O200kBase)
	if err != nil {
		panic("tokens: load " + Encoding + ": " + err.Error())
	}
	return c
})

// Count returns the number of tokens in s.
func Count(s string) int {
	if s == "" {
		return 0
	}
	n, err := codec().Count(clean(s))
	if err != nil {
		return estimate(s)
	}
	return n
}

// Truncate returns the longest prefix of s that has at most max tokens: s
// itself when it is short enough, "" when max is zero or less. The cut never
// splits a character, so the result is valid UTF-8; invalid bytes in s come
// back as U+FFFD.
func Truncate(s string, max int) string {
	if max <= 0 || s == "" {
		return ""
	}
	if !utf8.ValidString(s) {
		// The tokenizer reads runes, one U+FFFD per bad byte; do the same so
		// that token lengths line up with byte offsets in s.
		s = string([]rune(s))
	}
	t := clean(s)
	_, pieces, err := codec().Encode(t)
	if err != nil {
		return cutBytes(s, max*bytesPerToken)
	}
	if len(pieces) <= max {
		return s
	}
	return cutTokens(s, tokenEnds(t, pieces[:max]), max)
}

// clean returns s with each DEL (U+007F) replaced by U+001F, another control
// character of one byte and one token.
//
// TODO(ajans): the tokenizer's split pattern (regexp2) never matches DEL, so
// DEL would count as no token at all; drop this when tiktoken-go/tokenizer
// counts it.
func clean(s string) string {
	if strings.IndexByte(s, 0x7f) < 0 {
		return s
	}
	return strings.ReplaceAll(s, "\x7f", "\x1f")
}

// tokenEnds returns the byte offset in t just past each of pieces, which are
// the first tokens of t in order. It searches forward rather than adding up
// lengths, so a character the tokenizer skipped cannot shift the offsets.
func tokenEnds(t string, pieces []string) []int {
	ends := make([]int, len(pieces))
	off := 0
	for i, p := range pieces {
		if j := strings.Index(t[off:], p); j >= 0 {
			off += j + len(p)
		}
		ends[i] = off
	}
	return ends
}

// cutTokens returns the prefix of s that holds the first max tokens, whose
// ends are given, cut back to a character boundary. Byte-pair encoding does
// not promise that a prefix re-encodes into the same tokens, so the cut is
// checked by counting again and moved back a token at a time until it fits.
func cutTokens(s string, ends []int, max int) string {
	for k := len(ends); k > 0; k-- {
		prefix := cutBytes(s, ends[k-1])
		if Count(prefix) <= max {
			return prefix
		}
	}
	return ""
}

// cutBytes returns the longest prefix of s of at most n bytes that ends on a
// character boundary.
func cutBytes(s string, n int) string {
	if n >= len(s) {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// estimate guesses a token count from the length of s.
func estimate(s string) int {
	return (len(s) + bytesPerToken - 1) / bytesPerToken
}
