package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/ajans/ajans"
)

const fileColumns = `id, name, app_id, chat_id, message_id, kind, title, mime, size, sha256,
	text, created_at`

// insertFiles saves the files of a message just saved, setting their ids
// and the ids of their app, chat and message.
func (t tx) insertFiles(ctx context.Context, appID int64, m *ajans.Message) error {
	for i := range m.Files {
		f := &m.Files[i]
		f.AppID, f.ChatID, f.MessageID = appID, m.ChatID, m.ID
		f.CreatedAt = fromMillis(m.CreatedAt.UnixMilli())
		err := t.row(ctx, `
			INSERT INTO files (name, app_id, chat_id, message_id, kind, title, mime, size,
				sha256, text, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			RETURNING id`, f.Name, appID, m.ChatID, m.ID, f.Kind, f.Title, f.MIME, f.Size,
			f.SHA256, f.Text, f.CreatedAt.UnixMilli()).Scan(&f.ID)
		if err != nil {
			return fmt.Errorf("save file: %w", err)
		}
	}
	return nil
}

// markChatFiles marks the files of a chat about to be deleted.
func (t tx) markChatFiles(ctx context.Context, appID, chatID int64) error {
	_, err := t.exec(ctx, `
		UPDATE files SET deleted_at = ?
		WHERE chat_id = ? AND app_id = ? AND deleted_at IS NULL`,
		t.db.nowMillis(), chatID, appID)
	if err != nil {
		return fmt.Errorf("mark files: %w", err)
	}
	return nil
}

func scanFile(s scanner) (ajans.File, error) {
	var f ajans.File
	var created int64
	err := s.Scan(&f.ID, &f.Name, &f.AppID, &f.ChatID, &f.MessageID, &f.Kind, &f.Title,
		&f.MIME, &f.Size, &f.SHA256, &f.Text, &created)
	f.CreatedAt = fromMillis(created)
	return f, err
}

var errFileNotFound = ajans.Errorf(ajans.ENOTFOUND,
	"There is no file by that name. Use a name from the images or files of a reply.")

// FileByName returns the file called name, unless its chat is gone.
func (db *DB) FileByName(ctx context.Context, name string) (*ajans.File, error) {
	// The join also hides the files of chats deleted with their app.
	f, err := scanFile(db.queryRow(ctx, `SELECT `+fileColumns+` FROM files
		WHERE name = ? AND deleted_at IS NULL
			AND EXISTS (SELECT 1 FROM chats WHERE chats.id = files.chat_id)`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errFileNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read file: %w", err)
	}
	return &f, nil
}

// ChatFiles returns the files of a chat's messages, oldest first.
func (db *DB) ChatFiles(ctx context.Context, chatID int64) ([]ajans.File, error) {
	return db.files(ctx, `SELECT `+fileColumns+` FROM files
		WHERE chat_id = ? AND deleted_at IS NULL ORDER BY message_id, id`, chatID)
}

// DeletedFiles returns up to limit files whose chats were deleted, oldest
// first: their blobs are to be removed, then ForgetFiles.
func (db *DB) DeletedFiles(ctx context.Context, limit int) ([]ajans.File, error) {
	return db.files(ctx, `SELECT `+fileColumns+` FROM files
		WHERE deleted_at IS NOT NULL ORDER BY deleted_at, id LIMIT ?`, limit)
}

func (db *DB) files(ctx context.Context, query string, args ...any) ([]ajans.File, error) {
	return queryAll(ctx, db, "read files", scanFile, query, args...)
}

// ForgetFiles deletes the rows of deleted files whose blobs are gone.
// Files that are not marked deleted are left alone.
func (db *DB) ForgetFiles(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
	return db.inTx(ctx, func(t tx) error {
		_, err := t.exec(ctx, `DELETE FROM files WHERE deleted_at IS NOT NULL AND id IN (`+
			marks+`)`, args...)
		if err != nil {
			return fmt.Errorf("forget files: %w", err)
		}
		return nil
	})
}
