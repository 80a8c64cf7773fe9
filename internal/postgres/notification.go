package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

type notificationRow struct {
	tsunagu.Notification
	RawData []byte `db:"data"`
}

// AddNotification writes an in-app notification inside tx and sets n.ID.
func AddNotification(ctx context.Context, tx *Tx, n *tsunagu.Notification) error {
	const q = `
		INSERT INTO notifications (user_id, kind, message_id, data, link)
		VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at`
	data, err := json.Marshal(n.Data)
	if err != nil {
		return err
	}
	if n.Data == nil {
		data = []byte("{}")
	}
	row := tx.QueryRowxContext(ctx, q, n.UserID, n.Kind, n.MessageID, data, n.Link)
	return mapError(row.Scan(&n.ID, &n.CreatedAt), "add notification")
}

const notificationSelect = `SELECT id, user_id, kind, message_id, data, link, created_at, read_at FROM notifications`

func (r *notificationRow) notification() *tsunagu.Notification {
	n := r.Notification
	n.Data = map[string]any{}
	json.Unmarshal(r.RawData, &n.Data)
	return &n
}

// NotificationByID returns a notification. ENOTFOUND when there is none.
func (db *DB) NotificationByID(ctx context.Context, id int64) (*tsunagu.Notification, error) {
	var r notificationRow
	if err := db.GetContext(ctx, &r, notificationSelect+` WHERE id = $1`, id); err != nil {
		return nil, mapError(err, "notification by id")
	}
	return r.notification(), nil
}

// Notifications lists a user's notifications, newest first.
func (db *DB) Notifications(ctx context.Context, userID int64, limit int) ([]*tsunagu.Notification, error) {
	var rows []notificationRow
	if err := db.SelectContext(ctx, &rows, notificationSelect+` WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, userID, limit); err != nil {
		return nil, mapError(err, "notifications")
	}
	out := make([]*tsunagu.Notification, len(rows))
	for i := range rows {
		out[i] = rows[i].notification()
	}
	return out, nil
}

// UnreadNotifications counts a user's unread notifications.
func (db *DB) UnreadNotifications(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.GetContext(ctx, &n, `SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL`, userID)
	return n, mapError(err, "unread notifications")
}

// MarkNotificationsRead marks all of a user's notifications read.
func (db *DB) MarkNotificationsRead(ctx context.Context, userID int64, at time.Time) error {
	_, err := db.ExecContext(ctx, `UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL`, userID, at)
	return mapError(err, "mark notifications read")
}

// NotificationsOfKind counts notifications of kind, for tests and checks.
func (db *DB) NotificationsOfKind(ctx context.Context, kind string) (int, error) {
	var n int
	err := db.GetContext(ctx, &n, `SELECT count(*) FROM notifications WHERE kind = $1`, kind)
	return n, mapError(err, "count notifications")
}

// OutboxDone reports whether an outbox row is done (ENOTFOUND when it is
// gone).
func (db *DB) OutboxDone(ctx context.Context, id int64) (bool, error) {
	var done bool
	err := db.GetContext(ctx, &done, `SELECT done_at IS NOT NULL FROM job_outbox WHERE id = $1`, id)
	return done, mapError(err, "outbox done")
}
