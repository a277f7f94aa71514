package blob_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ajans/ajans/internal/blob"
)

// MustDisk returns a Disk store in a temporary folder.
func MustDisk(tb testing.TB) *blob.Disk {
	tb.Helper()
	d, err := blob.NewDisk(filepath.Join(tb.TempDir(), "files"))
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// testStore is the behaviour every Store must show.
func testStore(t *testing.T, s blob.Store) {
	ctx := context.Background()
	key := "3f9c2a7e1b8d4c6f.png"
	data := []byte("Şişli'de ılık bir gün")
	if n, err := s.Put(ctx, key, bytes.NewReader(data)); err != nil || n != int64(len(data)) {
		t.Fatalf("Put = %d, %v", n, err)
	}
	got, info := mustRead(t, s, key)
	if !bytes.Equal(got, data) || info.Size != int64(len(data)) || info.ModTime.IsZero() {
		t.Fatalf("Open = %q, %+v", got, info)
	}

	t.Run("replace", func(t *testing.T) {
		if _, err := s.Put(ctx, key, strings.NewReader("yeni")); err != nil {
			t.Fatal(err)
		}
		if got, _ := mustRead(t, s, key); string(got) != "yeni" {
			t.Fatalf("after replace: %q", got)
		}
	})
	t.Run("failed put leaves nothing", func(t *testing.T) {
		_, err := s.Put(ctx, "broken.pdf", io.MultiReader(strings.NewReader("half"),
			errReader{}))
		if err == nil {
			t.Fatal("Put of a failing reader succeeded")
		}
		if _, _, err := s.Open(ctx, "broken.pdf"); !errors.Is(err, blob.ErrNotFound) {
			t.Fatalf("Open after a failed Put: %v", err)
		}
	})
	t.Run("delete", func(t *testing.T) {
		if err := s.Delete(ctx, key); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Open(ctx, key); !errors.Is(err, blob.ErrNotFound) {
			t.Fatalf("Open after Delete: %v", err)
		}
		if err := s.Delete(ctx, key); err != nil {
			t.Fatalf("second Delete: %v", err)
		}
	})
	t.Run("bad keys", func(t *testing.T) {
		for _, k := range []string{"", "../../etc/passwd", "a/b.png", ".tmp", "..x",
			"AB.png", "ab..png", "x", strings.Repeat("a", 201), "ab\x00.png"} {
			if _, err := s.Put(ctx, k, strings.NewReader("x")); !errors.Is(err, blob.ErrBadKey) {
				t.Errorf("Put(%q) = %v, want ErrBadKey", k, err)
			}
			if _, _, err := s.Open(ctx, k); !errors.Is(err, blob.ErrBadKey) {
				t.Errorf("Open(%q) = %v, want ErrBadKey", k, err)
			}
		}
	})
}

func mustRead(tb testing.TB, s blob.Store, key string) ([]byte, blob.Info) {
	tb.Helper()
	rc, info, err := s.Open(context.Background(), key)
	if err != nil {
		tb.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		tb.Fatal(err)
	}
	return b, info
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("connection lost") }

func TestDisk(t *testing.T) {
	d := MustDisk(t)
	testStore(t, d)
	// Nothing is left in the folder of unfinished writes.
	left, err := os.ReadDir(filepath.Join(d.Root(), ".tmp"))
	if err != nil || len(left) != 0 {
		t.Fatalf("temporary files left: %v, %v", left, err)
	}
}

func TestSpool(t *testing.T) {
	data := bytes.Repeat([]byte("ğüşıöç"), 1000)
	sum := sha256.Sum256(data)
	tests := []struct {
		name    string
		limit   int64
		wantErr error
	}{
		{"under the limit", int64(len(data)) + 1, nil},
		{"at the limit", int64(len(data)), nil},
		{"one byte over", int64(len(data)) - 1, blob.ErrTooLarge},
		{"far over", 10, blob.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			s, err := blob.Spool(dir, bytes.NewReader(data), tt.limit)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Spool = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				if left, _ := os.ReadDir(dir); len(left) != 0 {
					t.Fatalf("a failed spool left %d files", len(left))
				}
				return
			}
			defer s.Remove()
			if s.Size != int64(len(data)) || s.SHA256 != hex.EncodeToString(sum[:]) {
				t.Fatalf("size %d sha %s", s.Size, s.SHA256)
			}
			got, _ := io.ReadAll(s.Reader())
			if !bytes.Equal(got, data) {
				t.Fatal("spooled bytes differ")
			}
			if err := s.Remove(); err != nil {
				t.Fatal(err)
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Fatalf("Remove left %d files", len(left))
			}
		})
	}
}
