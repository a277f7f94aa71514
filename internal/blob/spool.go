package blob

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrTooLarge is returned by Spool for data over its limit.
var ErrTooLarge = errors.New("data over the size limit")

// Spooled is data copied to a temporary file, with its size and SHA-256
// taken on the way. The caller reads it through File and must call Remove.
type Spooled struct {
	File   *os.File
	Size   int64
	SHA256 string // hex
}

// Spool copies r to a new temporary file in dir (os.TempDir() when empty)
// in small pieces, never holding it in memory, while counting and hashing
// it. More than limit bytes stop the copy with ErrTooLarge after reading
// limit+1 bytes; then, as on any error, the file is gone.
func Spool(dir string, r io.Reader, limit int64) (*Spooled, error) {
	f, err := os.CreateTemp(dir, "ajans-upload-*")
	if err != nil {
		return nil, fmt.Errorf("create spool file: %w", err)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, limit+1))
	if err == nil && n > limit {
		err = ErrTooLarge
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &Spooled{File: f, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// Reader returns a reader of the whole spooled data, from its start,
// independent of other readers.
func (s *Spooled) Reader() *io.SectionReader { return io.NewSectionReader(s.File, 0, s.Size) }

// Remove closes and deletes the temporary file. It may be called more
// than once.
func (s *Spooled) Remove() error {
	if s == nil || s.File == nil {
		return nil
	}
	s.File.Close()
	err := os.Remove(s.File.Name())
	s.File = nil
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}
