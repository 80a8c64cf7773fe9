package tsunagu

import "time"

// Session is a signed-in browser. The cookie carries a random token; only
// its hash is stored.
type Session struct {
	TokenHash []byte    `db:"token_hash"`
	UserID    int64     `db:"user_id"`
	CSRFToken string    `db:"csrf_token"`
	CreatedAt time.Time `db:"created_at"`
	LastSeen  time.Time `db:"last_seen"`
	ExpiresAt time.Time `db:"expires_at"`
	UserAgent string    `db:"user_agent"`
	IP        string    `db:"ip"`
}

// Mail is a message to send, kept in the mail outbox.
type Mail struct {
	ID        int64      `db:"id"`
	To        string     `db:"to_addr"`
	Subject   string     `db:"subject"`
	Body      string     `db:"body"`
	CreatedAt time.Time  `db:"created_at"`
	SentAt    *time.Time `db:"sent_at"`
	Error     string     `db:"error"`
}

// AuditEntry is one row of the audit log.
type AuditEntry struct {
	ID          int64     `db:"id" json:"id"`
	ActorID     *int64    `db:"actor_id" json:"actor_id"`
	Action      string    `db:"action" json:"action"`
	SubjectType string    `db:"subject_type" json:"subject_type"`
	SubjectID   string    `db:"subject_id" json:"subject_id"`
	Detail      []byte    `db:"detail" json:"-"`
	At          time.Time `db:"at" json:"at"`
}
