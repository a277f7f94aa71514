package store

import (
	"context"
	"fmt"
	"time"

	"github.com/ajans/ajans"
)

const dayMillis = 24 * 60 * 60 * 1000

// DayCredits is what one app spent on metered calls in one UTC day.
type DayCredits struct {
	Day     time.Time // midnight UTC
	AppID   int64
	Credits int64
}

// DailyCredits returns the credits the user's apps spent per UTC day since
// the given time, oldest day first.
func (db *DB) DailyCredits(ctx context.Context, userID int64, since time.Time) ([]DayCredits,
	error) {
	rows, err := db.query(ctx, `
		SELECT calls.created_at / `+fmt.Sprint(dayMillis)+` AS day, calls.app_id,
			SUM(calls.credits)
		FROM calls JOIN apps ON apps.id = calls.app_id
		WHERE apps.user_id = ? AND calls.created_at >= ?
		GROUP BY calls.created_at / `+fmt.Sprint(dayMillis)+`, calls.app_id
		ORDER BY day, calls.app_id`, userID, since.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("sum credits per day: %w", err)
	}
	defer rows.Close()
	var days []DayCredits
	for rows.Next() {
		var d DayCredits
		var day int64
		if err := rows.Scan(&day, &d.AppID, &d.Credits); err != nil {
			return nil, fmt.Errorf("sum credits per day: %w", err)
		}
		d.Day = time.UnixMilli(day * dayMillis).UTC()
		days = append(days, d)
	}
	return days, rows.Err()
}

// CreditsSpent returns the credits the user's apps spent on metered calls
// since the given time.
func (db *DB) CreditsSpent(ctx context.Context, userID int64, since time.Time) (int64, error) {
	var sum int64
	err := db.queryRow(ctx, `
		SELECT COALESCE(SUM(calls.credits), 0)
		FROM calls JOIN apps ON apps.id = calls.app_id
		WHERE apps.user_id = ? AND calls.created_at >= ?`, userID, since.UnixMilli()).Scan(&sum)
	if err != nil {
		return 0, fmt.Errorf("sum credits: %w", err)
	}
	return sum, nil
}

// UserCalls returns the user's metered calls newest first, limit of them
// after skipping offset, and reports whether more follow. With appID > 0
// only that app's calls are listed.
func (db *DB) UserCalls(ctx context.Context, userID, appID int64, offset,
	limit int) ([]ajans.Call, bool, error) {
	rows, err := db.query(ctx, `
		SELECT calls.id, calls.app_id, calls.chat_id, calls.assistant_id, calls.model,
			calls.message_tokens, calls.response_tokens, calls.credits, calls.created_at
		FROM calls JOIN apps ON apps.id = calls.app_id
		WHERE apps.user_id = ? AND (? = 0 OR calls.app_id = ?)
		ORDER BY calls.id DESC LIMIT ? OFFSET ?`, userID, appID, appID, limit+1, offset)
	if err != nil {
		return nil, false, fmt.Errorf("list calls: %w", err)
	}
	defer rows.Close()
	calls := []ajans.Call{}
	for rows.Next() {
		var c ajans.Call
		var created int64
		err := rows.Scan(&c.ID, &c.AppID, &c.ChatID, &c.AssistantID, &c.Model, &c.MessageTokens,
			&c.ResponseTokens, &c.Credits, &created)
		if err != nil {
			return nil, false, fmt.Errorf("list calls: %w", err)
		}
		c.CreatedAt = fromMillis(created)
		calls = append(calls, c)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("list calls: %w", err)
	}
	more := len(calls) > limit
	if more {
		calls = calls[:limit]
	}
	return calls, more, nil
}

// AppChats returns the app's newest limit chats with any assistant, newest
// first.
func (db *DB) AppChats(ctx context.Context, appID int64, limit int) ([]*ajans.Chat, error) {
	return queryAll(ctx, db, "list chats", scanChat, `
		SELECT `+chatColumns+` FROM chats
		WHERE app_id = ?
		ORDER BY updated_at DESC, id DESC LIMIT ?`, appID, limit)
}
