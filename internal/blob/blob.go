// Package blob stores the bytes of ajans' files: attachments of messages and
// the images and documents the platform makes. Files are named by keys that
// the caller chooses (unguessable names in ajans); a Store keeps them in a
// folder on disk (Disk) or, later, in S3-compatible object storage.
//
// TODO(ajans): an S3 Store for several nodes sharing files; until then
// every node that serves files needs the same folder (a shared volume).
package blob

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"time"
)

// ErrNotFound is returned for a key that holds nothing. It is
// fs.ErrNotExist, so errors.Is works with either.
var ErrNotFound = fs.ErrNotExist

// ErrBadKey is returned for a key that is not a valid key (see ValidKey).
var ErrBadKey = errors.New("invalid blob key")

// Info describes a stored blob.
type Info struct {
	Size    int64
	ModTime time.Time
}

// Store keeps blobs by key. Implementations are safe for concurrent use.
type Store interface {
	// Put stores what r yields under key, replacing any blob there, and
	// returns the number of bytes stored. A blob is visible whole or not
	// at all: a failed Put leaves nothing behind.
	Put(ctx context.Context, key string, r io.Reader) (int64, error)
	// Open returns the blob under key, to be read and closed.
	Open(ctx context.Context, key string) (io.ReadSeekCloser, Info, error)
	// Delete removes the blob under key; a missing blob is not an error.
	Delete(ctx context.Context, key string) error
}

// ValidKey reports whether key may name a blob: 3 to 200 characters of
// lowercase letters, digits, '.', '_' and '-', starting with a letter or a
// digit, with no "..". Keys so made are safe as file and object names.
func ValidKey(key string) bool {
	if len(key) < 3 || len(key) > 200 || !alnum(key[0]) {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !alnum(c) && c != '.' && c != '_' && c != '-' {
			return false
		}
		if c == '.' && i > 0 && key[i-1] == '.' {
			return false
		}
	}
	return true
}

func alnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
