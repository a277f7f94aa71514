package chat

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/blob"
)

// newName returns an unguessable file name: 128 random bits in hex and
// the extension.
func (e *Engine) newName(ext string) string {
	b := make([]byte, 16)
	if _, err := io.ReadFull(e.cfg.Rand, b); err != nil {
		panic("chat: no randomness for a file name: " + err.Error())
	}
	return hex.EncodeToString(b) + "." + ext
}

// fileNames are the names newName makes: of the images and documents the
// platform serves, and of attachments.
var (
	imageName    = regexp.MustCompile(`^[0-9a-f]{32}\.(png|jpeg|gif|webp)$`)
	documentName = regexp.MustCompile(`^[0-9a-f]{32}\.(docx|pdf|xlsx|md)$`)
)

// artifact returns a stored file the platform made from data.
func artifact(name, kind, title, mime string, data []byte) stored {
	sum := sha256.Sum256(data)
	return stored{
		file: ajans.File{Name: name, Kind: kind, Title: title, MIME: mime,
			Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])},
		data: bytes.NewReader(data),
	}
}

// putBlobs stores the files' bytes. When one fails, those stored before
// are deleted again and the error returned.
func (e *Engine) putBlobs(ctx context.Context, files []stored) error {
	for i, f := range files {
		if _, err := e.cfg.Blobs.Put(ctx, f.file.Name, f.data); err != nil {
			e.deleteBlobs(files[:i])
			return fmt.Errorf("store file: %w", err)
		}
	}
	return nil
}

// deleteBlobs removes stored files' bytes, logging what cannot be removed.
func (e *Engine) deleteBlobs(files []stored) {
	for _, f := range files {
		if err := e.cfg.Blobs.Delete(context.Background(), f.file.Name); err != nil {
			e.cfg.Log.Error("delete file", "file", f.file.Name, "err", err)
		}
	}
}

// OpenFile returns a file the platform made, of kind ajans.FileImage or
// ajans.FileDocument, and its bytes, to be closed. A name that is not
// exactly of the form ajans gives such files is EINVALID; an unknown one,
// or one of another kind, is ENOTFOUND.
func (e *Engine) OpenFile(ctx context.Context, name, kind string) (*ajans.File,
	io.ReadSeekCloser, blob.Info, error) {
	pattern, what := documentName, "document"
	if kind == ajans.FileImage {
		pattern, what = imageName, "image"
	}
	if !pattern.MatchString(name) {
		return nil, nil, blob.Info{}, ajans.Errorf(ajans.EINVALID, "%q is not the name of "+
			"a generated %s. Use a name exactly as a reply gave it.", printable(name), what)
	}
	if e.cfg.Blobs == nil {
		return nil, nil, blob.Info{}, errNoStorage
	}
	f, err := e.cfg.Store.FileByName(ctx, name)
	if err != nil {
		return nil, nil, blob.Info{}, err
	}
	if f.Kind != kind {
		return nil, nil, blob.Info{}, ajans.Errorf(ajans.ENOTFOUND,
			"There is no %s called %s.", what, name)
	}
	rc, info, err := e.cfg.Blobs.Open(ctx, name)
	if errors.Is(err, blob.ErrNotFound) {
		return nil, nil, blob.Info{}, ajans.WrapError(ajans.ENOTFOUND,
			"The file "+name+" is gone from storage.", err)
	}
	if err != nil {
		return nil, nil, blob.Info{}, fmt.Errorf("open file: %w", err)
	}
	return f, rc, info, nil
}

// ChatFiles returns the files of a chat's messages by message id.
func (e *Engine) ChatFiles(ctx context.Context, chatID int64) (map[int64][]ajans.File, error) {
	files, err := e.cfg.Store.ChatFiles(ctx, chatID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]ajans.File)
	for _, f := range files {
		out[f.MessageID] = append(out[f.MessageID], f)
	}
	return out, nil
}

// DeleteChat deletes the app's chat, its messages and its files. The
// files' bytes go after the chat is gone; what cannot be removed then is
// left for PurgeFiles.
func (e *Engine) DeleteChat(ctx context.Context, appID, chatID int64) error {
	if err := e.cfg.Store.DeleteChat(ctx, appID, chatID); err != nil {
		return err
	}
	if e.cfg.Blobs != nil {
		if err := e.PurgeFiles(context.WithoutCancel(ctx)); err != nil {
			e.cfg.Log.Error("purge files", "err", err)
		}
	}
	return nil
}

// purgeBatch is how many deleted files PurgeFiles handles at a time.
const purgeBatch = 100

// PurgeFiles removes the bytes of files whose chats were deleted, then
// their records. A process that runs it now and then (or DeleteChat, which
// calls it) finishes what a crash interrupted.
func (e *Engine) PurgeFiles(ctx context.Context) error {
	for {
		files, err := e.cfg.Store.DeletedFiles(ctx, purgeBatch)
		if err != nil || len(files) == 0 {
			return err
		}
		var gone []int64
		for _, f := range files {
			if err := e.cfg.Blobs.Delete(ctx, f.Name); err != nil {
				e.cfg.Log.Error("delete file", "file", f.Name, "err", err)
				continue
			}
			gone = append(gone, f.ID)
		}
		if err := e.cfg.Store.ForgetFiles(ctx, gone); err != nil {
			return err
		}
		if len(gone) < len(files) || len(files) < purgeBatch {
			return nil
		}
	}
}
