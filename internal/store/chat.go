package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/ajans/ajans"
)

// SaveTurn settles the turn's hold (charging Usage.Credits, giving the rest
// back), saves both messages with their files, and starts the chat when
// ChatID is 0, all in one transaction. It sets ChatID, the IDs of the
// messages and files, and RemainingCredit. If the chat is gone meanwhile it
// is ENOTFOUND and nothing changes.
func (db *DB) SaveTurn(ctx context.Context, turn *ajans.Turn) error {
	return db.inTx(ctx, func(t tx) error {
		if err := t.settle(ctx, turn); err != nil {
			return err
		}
		if err := t.touchChat(ctx, turn); err != nil {
			return err
		}
		for _, m := range []*ajans.Message{&turn.User, &turn.Reply} {
			if err := t.insertMessage(ctx, turn.ChatID, m); err != nil {
				return err
			}
			if err := t.insertFiles(ctx, turn.Hold.AppID, m); err != nil {
				return err
			}
		}
		_, err := t.exec(ctx, `
			INSERT INTO calls (app_id, chat_id, assistant_id, model, message_tokens,
				response_tokens, credits, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			turn.Hold.AppID, turn.ChatID, turn.AssistantID, turn.Model, turn.Usage.MessageTokens,
			turn.Usage.ResponseTokens, turn.Usage.Credits, t.db.nowMillis())
		if err != nil {
			return fmt.Errorf("record call: %w", err)
		}
		return nil
	})
}

// settle closes the turn's hold and returns what the call did not use.
func (t tx) settle(ctx context.Context, turn *ajans.Turn) error {
	h, cost := turn.Hold, turn.Usage.Credits
	amount, err := t.closeHold(ctx, h.ID, h.AppID)
	if err != nil {
		return err
	}
	if amount == 0 {
		// The hold expired and was released before the call ended: charge
		// what the balance can pay now, never below zero.
		return t.lateCharge(ctx, turn)
	}
	// One statement gives back what the reply did not use and marks the app used.
	unused := amount - cost
	err = t.row(ctx, `UPDATE apps SET balance = balance + ?, last_used_at = ? WHERE id = ?
		RETURNING balance`, unused, t.db.nowMillis(), h.AppID).Scan(&turn.RemainingCredit)
	if err != nil {
		return fmt.Errorf("settle hold: %w", err)
	}
	if unused == 0 {
		return nil
	}
	return t.writeLedger(ctx, entry{appID: h.AppID, delta: unused,
		balanceAfter: turn.RemainingCredit, kind: KindRelease, ref: holdRef(h.ID)})
}

func (t tx) lateCharge(ctx context.Context, turn *ajans.Turn) error {
	h := turn.Hold
	var balance int64
	err := t.row(ctx, `SELECT balance FROM apps WHERE id = ?`+t.db.forUpdate(), h.AppID).Scan(&balance)
	if err != nil {
		return fmt.Errorf("read balance: %w", err)
	}
	charge := min(balance, turn.Usage.Credits)
	turn.Usage.Credits = charge
	turn.RemainingCredit = balance - charge
	_, err = t.exec(ctx, `UPDATE apps SET balance = ?, last_used_at = ? WHERE id = ?`,
		turn.RemainingCredit, t.db.nowMillis(), h.AppID)
	if err != nil {
		return fmt.Errorf("charge credits: %w", err)
	}
	if charge == 0 {
		return nil
	}
	return t.writeLedger(ctx, entry{appID: h.AppID, delta: -charge,
		balanceAfter: turn.RemainingCredit, kind: KindLateCharge, ref: holdRef(h.ID)})
}

// touchChat starts the chat or counts two more messages in it.
func (t tx) touchChat(ctx context.Context, turn *ajans.Turn) error {
	now := t.db.nowMillis()
	if turn.ChatID == 0 {
		err := t.row(ctx, `
			INSERT INTO chats (app_id, assistant_id, title, message_count, created_at, updated_at)
			VALUES (?, ?, ?, 2, ?, ?)
			RETURNING id`, turn.Hold.AppID, turn.AssistantID, turn.Title, now, now).Scan(&turn.ChatID)
		if err != nil {
			return fmt.Errorf("start chat: %w", err)
		}
		return nil
	}
	res, err := t.exec(ctx, `
		UPDATE chats SET message_count = message_count + 2, updated_at = ?
		WHERE id = ? AND app_id = ?`, now, turn.ChatID, turn.Hold.AppID)
	if err != nil {
		return fmt.Errorf("update chat: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return errChatNotFound
	}
	return nil
}

var errChatNotFound = ajans.Errorf(ajans.ENOTFOUND,
	"This app has no chat with that chat_id. List chats with view-chats.")

func (t tx) insertMessage(ctx context.Context, chatID int64, m *ajans.Message) error {
	m.ChatID = chatID
	m.CreatedAt = t.db.Now().UTC()
	err := t.row(ctx, `
		INSERT INTO messages (chat_id, role, content, tokens, created_at)
		VALUES (?, ?, ?, ?, ?)
		RETURNING id`, chatID, m.Role, m.Content, m.Tokens, m.CreatedAt.UnixMilli()).Scan(&m.ID)
	if err != nil {
		return fmt.Errorf("save message: %w", err)
	}
	return nil
}

const chatColumns = `id, app_id, assistant_id, title, message_count, created_at, updated_at`

func scanChat(s scanner) (*ajans.Chat, error) {
	var c ajans.Chat
	var created, updated int64
	err := s.Scan(&c.ID, &c.AppID, &c.AssistantID, &c.Title, &c.MessageCount, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errChatNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read chat: %w", err)
	}
	c.CreatedAt, c.UpdatedAt = fromMillis(created), fromMillis(updated)
	return &c, nil
}

// Chat returns the app's chat with the given id. Another app's chat is
// ENOTFOUND, the same answer as a chat that does not exist.
func (db *DB) Chat(ctx context.Context, appID, chatID int64) (*ajans.Chat, error) {
	return scanChat(db.queryRow(ctx,
		`SELECT `+chatColumns+` FROM chats WHERE id = ? AND app_id = ?`, chatID, appID))
}

// ChatsWith returns the app's chats with an assistant, newest first.
func (db *DB) ChatsWith(ctx context.Context, appID, assistantID int64) ([]*ajans.Chat, error) {
	return queryAll(ctx, db, "list chats", scanChat, `
		SELECT `+chatColumns+` FROM chats
		WHERE app_id = ? AND assistant_id = ?
		ORDER BY updated_at DESC, id DESC`, appID, assistantID)
}

// Messages returns a chat's messages oldest first. With limit > 0 it
// returns the newest limit messages older than the message before (all
// when before is 0), and reports whether older ones remain.
func (db *DB) Messages(ctx context.Context, chatID, before int64, limit int) ([]ajans.Message, bool, error) {
	var rows *sql.Rows
	var err error
	if limit <= 0 {
		rows, err = db.query(ctx, `
			SELECT id, role, content, tokens, created_at FROM messages
			WHERE chat_id = ? ORDER BY id`, chatID)
	} else {
		if before <= 0 {
			before = 1<<63 - 1
		}
		rows, err = db.query(ctx, `
			SELECT id, role, content, tokens, created_at FROM messages
			WHERE chat_id = ? AND id < ? ORDER BY id DESC LIMIT ?`, chatID, before, limit+1)
	}
	if err != nil {
		return nil, false, fmt.Errorf("read messages: %w", err)
	}
	defer rows.Close()
	msgs := []ajans.Message{}
	for rows.Next() {
		m := ajans.Message{ChatID: chatID}
		var created int64
		if err := rows.Scan(&m.ID, &m.Role, &m.Content, &m.Tokens, &created); err != nil {
			return nil, false, fmt.Errorf("read messages: %w", err)
		}
		m.CreatedAt = fromMillis(created)
		msgs = append(msgs, m)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("read messages: %w", err)
	}
	if limit <= 0 {
		return msgs, false, nil
	}
	more := len(msgs) > limit
	if more {
		msgs = msgs[:limit]
	}
	for i, j := 0, len(msgs)-1; i < j; i, j = i+1, j-1 {
		msgs[i], msgs[j] = msgs[j], msgs[i]
	}
	return msgs, more, nil
}

// DeleteChat deletes the app's chat and its messages, or is ENOTFOUND. Its
// files are marked deleted in the same transaction and no longer found;
// their blobs are removed afterwards (see DeletedFiles).
func (db *DB) DeleteChat(ctx context.Context, appID, chatID int64) error {
	return db.inTx(ctx, func(t tx) error {
		if err := t.markChatFiles(ctx, appID, chatID); err != nil {
			return err
		}
		res, err := t.exec(ctx, `DELETE FROM chats WHERE id = ? AND app_id = ?`, chatID, appID)
		if err != nil {
			return fmt.Errorf("delete chat: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errChatNotFound
		}
		return nil
	})
}
