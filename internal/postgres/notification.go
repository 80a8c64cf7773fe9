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

// digestDefault says whose notifications are mailed as a daily
// digest unless they chose a mail each (notification_digests).
const digestDefault = `u.role IN ('coordinator', 'admin')`

// MailsDigest reports whether userID's notifications are mailed in the
// daily digest rather than one by one: their choice, else staff do.
func (db *DB) MailsDigest(ctx context.Context, userID int64) (bool, error) {
	const q = `SELECT COALESCE(d.daily, ` + digestDefault + `) FROM users u
		LEFT JOIN notification_digests d ON d.user_id = u.id WHERE u.id = $1`
	var daily bool
	err := db.GetContext(ctx, &daily, q, userID)
	return daily, mapError(err, "mails digest")
}

// SetMailDigest records userID's choice: a daily digest, or a mail each.
func (db *DB) SetMailDigest(ctx context.Context, userID int64, daily bool) error {
	const q = `INSERT INTO notification_digests (user_id, daily) VALUES ($1, $2)
		ON CONFLICT (user_id) DO UPDATE SET daily = EXCLUDED.daily`
	_, err := db.ExecContext(ctx, q, userID, daily)
	return mapError(err, "set mail digest")
}

// DigestRecipient is a user owed a digest: notifications newer than
// Through, created after the cut-off asked for.
type DigestRecipient struct {
	UserID  int64  `db:"user_id"`
	Email   string `db:"email"`
	Locale  string `db:"locale"`
	Through int64  `db:"through_id"`
}

// DigestRecipients lists the enabled users who read a digest and have
// notifications newer than their last digest and than since.
func (db *DB) DigestRecipients(ctx context.Context, since time.Time) ([]DigestRecipient, error) {
	const q = `
		SELECT u.id AS user_id, u.email, u.locale, COALESCE(d.through_id, 0) AS through_id
		FROM users u LEFT JOIN notification_digests d ON d.user_id = u.id
		WHERE NOT u.disabled AND COALESCE(d.daily, ` + digestDefault + `)
		  AND EXISTS (SELECT 1 FROM notifications n
		              WHERE n.user_id = u.id AND n.id > COALESCE(d.through_id, 0) AND n.created_at > $1)
		ORDER BY u.id`
	var out []DigestRecipient
	err := db.SelectContext(ctx, &out, q, since)
	return out, mapError(err, "digest recipients")
}

// NotificationsForDigest returns userID's notifications newer than afterID
// and since, oldest first, at most limit, and how many there are in all.
func (db *DB) NotificationsForDigest(ctx context.Context, userID, afterID int64, since time.Time, limit int) ([]*tsunagu.Notification, int, error) {
	var total int
	if err := db.GetContext(ctx, &total, `SELECT count(*) FROM notifications WHERE user_id = $1 AND id > $2 AND created_at > $3`, userID, afterID, since); err != nil {
		return nil, 0, mapError(err, "count digest notifications")
	}
	var rows []notificationRow
	if err := db.SelectContext(ctx, &rows, notificationSelect+` WHERE user_id = $1 AND id > $2 AND created_at > $3 ORDER BY id DESC LIMIT $4`, userID, afterID, since, limit); err != nil {
		return nil, 0, mapError(err, "digest notifications")
	}
	out := make([]*tsunagu.Notification, len(rows))
	for i := range rows {
		out[i] = rows[i].notification()
	}
	return out, total, nil
}

// MarkDigestSent records that userID's digest carried every notification
// up to throughID.
func (db *DB) MarkDigestSent(ctx context.Context, userID, throughID int64, at time.Time) error {
	const q = `INSERT INTO notification_digests (user_id, daily, through_id, sent_at)
		SELECT u.id, ` + digestDefault + `, $2, $3 FROM users u WHERE u.id = $1
		ON CONFLICT (user_id) DO UPDATE SET through_id = GREATEST(notification_digests.through_id, EXCLUDED.through_id), sent_at = EXCLUDED.sent_at`
	_, err := db.ExecContext(ctx, q, userID, throughID, at)
	return mapError(err, "mark digest sent")
}
