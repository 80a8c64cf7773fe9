package postgres

import (
	"context"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// invitationColumns are the invitations columns tsunagu.Invitation holds
// (never the token hash).
const invitationColumns = `id, kind, email, locale, candidate_id, company_id, invited_by, created_at, expires_at, used_at, used_by`

// CreateInvitation stores an invitation (the hash of its token only) and
// sets its ID and CreatedAt.
func (db *DB) CreateInvitation(ctx context.Context, inv *tsunagu.Invitation, hash []byte) error {
	const q = `
		INSERT INTO invitations (kind, token_hash, email, locale, candidate_id, company_id, invited_by, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, created_at`
	err := db.QueryRowxContext(ctx, q, inv.Kind, hash, inv.Email, inv.Locale, inv.CandidateID, inv.CompanyID,
		inv.InvitedBy, inv.ExpiresAt).Scan(&inv.ID, &inv.CreatedAt)
	return mapError(err, "create invitation")
}

// InvitationByHash returns the unused, unexpired invitation with the token
// hash, or ENOTFOUND.
func (db *DB) InvitationByHash(ctx context.Context, hash []byte, now time.Time) (*tsunagu.Invitation, error) {
	const q = `SELECT ` + invitationColumns + ` FROM invitations WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2`
	var inv tsunagu.Invitation
	if err := db.GetContext(ctx, &inv, q, hash, now); err != nil {
		return nil, mapError(err, "invitation")
	}
	return &inv, nil
}

// CountInvitations counts the invitations of a kind issued for a candidate
// since a time (a limit on mail sent to one address).
func (db *DB) CountInvitations(ctx context.Context, kind tsunagu.InvitationKind, candidateID int64, since time.Time) (int, error) {
	const q = `SELECT count(*) FROM invitations WHERE kind = $1 AND candidate_id = $2 AND created_at >= $3`
	var n int
	err := db.GetContext(ctx, &n, q, kind, candidateID, since)
	return n, mapError(err, "count invitations")
}

// AccountlessCandidateID returns the id of the profile with email that no
// account has claimed yet, or ENOTFOUND.
func (db *DB) AccountlessCandidateID(ctx context.Context, email string) (int64, error) {
	const q = `SELECT id FROM candidates WHERE email <> '' AND lower(email) = lower($1) AND user_id IS NULL ORDER BY id LIMIT 1`
	var id int64
	if err := db.GetContext(ctx, &id, q, email); err != nil {
		return 0, mapError(err, "accountless candidate")
	}
	return id, nil
}

// AcceptInvitation uses the invitation with the token hash once: in one
// transaction it marks it used, creates u (setting its ID), and then
// claims the invitation's candidate profile for u (every other invitation
// to that profile ends) or makes u a member of its company. Returns
// ENOTFOUND for an unknown, used or expired token, ECONFLICT when the
// e-mail is taken (users_email_key) or the profile was claimed meanwhile
// (error.profile_claimed).
func (db *DB) AcceptInvitation(ctx context.Context, hash []byte, u *tsunagu.User, now time.Time) (*tsunagu.Invitation, error) {
	const qUse = `
		UPDATE invitations SET used_at = $2
		WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
		RETURNING ` + invitationColumns
	var inv tsunagu.Invitation
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := tx.GetContext(ctx, &inv, qUse, hash, now); err != nil {
			return mapError(err, "use invitation")
		}
		if err := createUser(ctx, tx.Tx, u); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE invitations SET used_by = $2 WHERE id = $1`, inv.ID, u.ID); err != nil {
			return mapError(err, "use invitation")
		}
		switch {
		case inv.CandidateID != nil:
			res, err := tx.ExecContext(ctx, `UPDATE candidates SET user_id = $2, updated_at = $3 WHERE id = $1 AND user_id IS NULL`, *inv.CandidateID, u.ID, now)
			if err != nil {
				return mapError(err, "claim profile")
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return tsunagu.Errorf(tsunagu.ECONFLICT, "error.profile_claimed")
			}
			if _, err := tx.ExecContext(ctx, `UPDATE invitations SET used_at = $2 WHERE candidate_id = $1 AND used_at IS NULL`, *inv.CandidateID, now); err != nil {
				return mapError(err, "end other invitations")
			}
			// The profile changed owner: the index follows the change log.
			if err := logChange(ctx, tx, "candidate", *inv.CandidateID, "upsert"); err != nil {
				return err
			}
		case inv.CompanyID != nil:
			if _, err := tx.ExecContext(ctx, `INSERT INTO company_members (company_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, *inv.CompanyID, u.ID); err != nil {
				return mapError(err, "join company")
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &inv, nil
}

// IsCompanyAdmin reports whether userID is an admin member of companyID.
func (db *DB) IsCompanyAdmin(ctx context.Context, companyID, userID int64) (bool, error) {
	const q = `SELECT EXISTS (SELECT 1 FROM company_members WHERE company_id = $1 AND user_id = $2 AND is_admin)`
	var ok bool
	err := db.GetContext(ctx, &ok, q, companyID, userID)
	return ok, mapError(err, "is company admin")
}
