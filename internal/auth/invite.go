package auth

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// MailText gives the subject and body of a message in a language; the body
// has the link as its one %s.
type MailText func(lang string) (subject, body string)

// MaxClaimsPerDay is how many verification links sign-up mails to one
// profile's address a day.
const MaxClaimsPerDay = 3

// ErrClaimMailed is Register's answer when the e-mail belongs to a profile
// without an account: no account is created; a link to verify the address
// and claim that profile was mailed to it.
var ErrClaimMailed = errors.New("claim link mailed")

// inviteLink is the address an invitation token opens.
func (s *Service) inviteLink(token string) string {
	return strings.TrimRight(s.BaseURL, "/") + "/invitations/" + token
}

// issue stores an invitation and, when text is set, mails its link to
// inv.Email in inv.Locale. The stored copy of the mail holds no usable
// link (as for password resets). It returns the link.
func (s *Service) issue(ctx context.Context, inv *tsunagu.Invitation, text MailText) (string, error) {
	token, hash := NewToken()
	inv.ExpiresAt = s.Now().Add(tsunagu.InvitationTTL)
	if err := s.Store.CreateInvitation(ctx, inv, hash); err != nil {
		return "", err
	}
	link := s.inviteLink(token)
	if text == nil {
		return link, nil
	}
	subject, bodyFormat := text(inv.Locale)
	body := fmt.Sprintf(bodyFormat, link)
	id, err := s.Store.QueueMail(ctx, inv.Email, subject, fmt.Sprintf(bodyFormat, s.inviteLink(withheldToken)))
	if err != nil {
		return "", err
	}
	if s.Mailer == nil && s.DevOutbox != nil {
		s.DevOutbox.add(id, body)
	}
	return link, s.send(ctx, id, inv.Email, subject, body)
}

// InviteCandidate invites the person behind candidateID's profile, which
// no account has claimed, to set a password and claim it, in the
// candidate's language. With text set the link is mailed to the profile's
// e-mail; without, the link is returned for the coordinator to hand over
// (shown once, never stored). Returns EFORBIDDEN (not staff), ENOTFOUND,
// ECONFLICT (the profile has an account), EINVALID ("email": none to mail to).
func (s *Service) InviteCandidate(ctx context.Context, by *tsunagu.User, candidateID int64, text MailText) (string, *tsunagu.Invitation, error) {
	if by == nil || !tsunagu.Can(by, tsunagu.ActCandidateList, tsunagu.Subject{}) {
		return "", nil, tsunagu.Errorf(tsunagu.EFORBIDDEN, "error.forbidden")
	}
	c, err := s.Store.CandidateByID(ctx, candidateID)
	if err != nil {
		return "", nil, err
	}
	if c.UserID != nil {
		return "", nil, tsunagu.Errorf(tsunagu.ECONFLICT, "error.profile_claimed")
	}
	if text != nil && c.Email == "" {
		var v tsunagu.Validation
		v.Add("email", "error.candidate_no_email", nil)
		return "", nil, v.Err()
	}
	locale := c.Locale
	if locale == "" {
		locale = "ja"
	}
	inv := &tsunagu.Invitation{Kind: tsunagu.InviteCandidate, Email: c.Email, Locale: locale, CandidateID: &c.ID, InvitedBy: &by.ID}
	link, err := s.issue(ctx, inv, text)
	if err != nil {
		return "", nil, err
	}
	how := "link"
	if text != nil {
		how = "email"
	}
	s.Store.Audit(ctx, by.ID, "candidate.invite", "candidate", fmt.Sprint(c.ID), []byte(fmt.Sprintf(`{"by":%q}`, how)))
	return link, inv, nil
}

// checkNewAccountEmail adds to v the error of email as the address of an
// account to be opened by invitation: empty, malformed, or it has an
// account already. Other errors are returned.
func (s *Service) checkNewAccountEmail(ctx context.Context, v *tsunagu.Validation, email string) error {
	if email == "" {
		v.Add("email", "error.required", nil)
	} else if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
		v.Add("email", "error.email", nil)
	} else if _, err := s.Store.UserByEmail(ctx, email); err == nil {
		v.Add("email", "error.member_has_account", nil)
	} else if tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
		return err
	}
	return nil
}

// InviteMember mails a colleague at email a link to join companyID, in
// locale. Staff and the company's admins may. Returns EFORBIDDEN,
// ENOTFOUND, EINVALID ("email": empty, malformed, or it has an account).
func (s *Service) InviteMember(ctx context.Context, by *tsunagu.User, companyID int64, email, locale string, text MailText) (*tsunagu.Invitation, error) {
	if err := s.CanManageMembers(ctx, by, companyID); err != nil {
		return nil, err
	}
	email = strings.TrimSpace(email)
	var v tsunagu.Validation
	if err := s.checkNewAccountEmail(ctx, &v, email); err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	inv := &tsunagu.Invitation{Kind: tsunagu.InviteMember, Email: email, Locale: locale, CompanyID: &companyID, InvitedBy: &by.ID}
	if _, err := s.issue(ctx, inv, text); err != nil {
		return nil, err
	}
	s.Store.Audit(ctx, by.ID, "company.member_invite", "company", fmt.Sprint(companyID), nil)
	return inv, nil
}

// InviteStaff mails email a link to open a staff account with role
// (coordinator or admin), in locale. Only admins may. Returns EFORBIDDEN,
// EINVALID ("email": empty, malformed, or it has an account; "role").
func (s *Service) InviteStaff(ctx context.Context, by *tsunagu.User, email string, role tsunagu.Role, locale string, text MailText) (*tsunagu.Invitation, error) {
	if by == nil || !tsunagu.Can(by, tsunagu.ActAdminArea, tsunagu.Subject{}) {
		return nil, tsunagu.Errorf(tsunagu.EFORBIDDEN, "error.forbidden")
	}
	email = strings.TrimSpace(email)
	var v tsunagu.Validation
	kind := map[tsunagu.Role]tsunagu.InvitationKind{tsunagu.RoleCoordinator: tsunagu.InviteCoordinator, tsunagu.RoleAdmin: tsunagu.InviteAdmin}[role]
	if kind == "" {
		v.Add("role", tsunagu.MsgInvalidChoice, map[string]any{"Value": string(role)})
	}
	if err := s.checkNewAccountEmail(ctx, &v, email); err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	inv := &tsunagu.Invitation{Kind: kind, Email: email, Locale: locale, InvitedBy: &by.ID}
	if _, err := s.issue(ctx, inv, text); err != nil {
		return nil, err
	}
	s.Store.Audit(ctx, by.ID, "user.staff_invite", "user", "", []byte(fmt.Sprintf(`{"role":%q}`, role)))
	return inv, nil
}

// CanManageMembers: staff, or an admin of the company. Returns
// EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
func (s *Service) CanManageMembers(ctx context.Context, by *tsunagu.User, companyID int64) error {
	if by == nil {
		return tsunagu.Errorf(tsunagu.EUNAUTHORIZED, "error.sign_in_required")
	}
	if _, err := s.Store.CompanyByID(ctx, companyID); err != nil {
		return err
	}
	if tsunagu.Can(by, tsunagu.ActCompanyManage, tsunagu.Subject{}) {
		return nil
	}
	if by.Role == tsunagu.RoleCompany {
		if ok, err := s.Store.IsCompanyAdmin(ctx, companyID, by.ID); err != nil || ok {
			return err
		}
	}
	return tsunagu.Errorf(tsunagu.EFORBIDDEN, "error.forbidden")
}

// Invitation returns the open invitation of token. Returns ENOTFOUND for
// an unknown, used or expired one.
func (s *Service) Invitation(ctx context.Context, token string) (*tsunagu.Invitation, error) {
	return s.Store.InvitationByHash(ctx, HashToken(token), s.Now())
}

// Accept is what the invitee fills in.
type Accept struct {
	DisplayName string
	Email       string // used when the invitation names none
	Password    string
	Locale      string
}

// AcceptInvitation creates the invitee's account from token, once: a
// candidate's claims the profile, a member's joins the company. Returns
// EINVALID per field ("token" when it is unknown, used or expired; "email"
// when taken), ECONFLICT (the profile was claimed meanwhile).
func (s *Service) AcceptInvitation(ctx context.Context, token string, in Accept) (*tsunagu.User, error) {
	inv, err := s.Invitation(ctx, token)
	var v tsunagu.Validation
	if err != nil {
		if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
			v.Add("token", "error.invitation_invalid", nil)
			return nil, v.Err()
		}
		return nil, err
	}
	email := inv.Email
	if email == "" {
		email = strings.TrimSpace(in.Email)
		if email == "" {
			v.Add("email", "error.required", nil)
		} else if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
			v.Add("email", "error.email", nil)
		}
	}
	name := strings.TrimSpace(in.DisplayName)
	if name == "" {
		v.Add("display_name", "error.required", nil)
	} else if utf8.RuneCountInString(name) > 100 {
		v.Add("display_name", "error.too_long", map[string]any{"Max": 100})
	}
	if in.Password == "" {
		v.Add("password", "error.required", nil)
	} else if p := PasswordProblem(in.Password, email); p != "" {
		v.Add("password", p, map[string]any{"Min": MinPasswordLength})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	locale := in.Locale
	if locale == "" {
		locale = inv.Locale
	}
	u := &tsunagu.User{Email: email, DisplayName: name, PasswordHash: hash, Role: inv.Role(), Locale: locale}
	used, err := s.Store.AcceptInvitation(ctx, HashToken(token), u, s.Now())
	if err != nil {
		switch {
		case tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND:
			v.Add("token", "error.invitation_invalid", nil)
			return nil, v.Err()
		case tsunagu.ErrorCode(err) == tsunagu.ECONFLICT && tsunagu.ErrorMessage(err) != "error.profile_claimed":
			v.Add("email", "error.email_taken", nil)
			return nil, v.Err()
		}
		return nil, err
	}
	action, subject, id := "user.staff_join", "user", &u.ID
	switch {
	case used.CandidateID != nil:
		action, subject, id = "candidate.claim", "candidate", used.CandidateID
	case used.CompanyID != nil:
		action, subject, id = "company.member_join", "company", used.CompanyID
	}
	s.Store.Audit(ctx, u.ID, action, subject, fmt.Sprint(*id), []byte(fmt.Sprintf(`{"invitation":%d}`, used.ID)))
	return u, nil
}

// claim answers a candidate sign-up whose e-mail belongs to candidateID's
// profile, which no account has claimed: it mails a link that verifies the
// address and claims that profile (never a second profile). At most
// MaxClaimsPerDay links a day go to one profile, with the same answer.
func (s *Service) claim(ctx context.Context, candidateID int64, email, locale string, text MailText) error {
	n, err := s.Store.CountInvitations(ctx, tsunagu.InviteClaim, candidateID, s.Now().Add(-24*time.Hour))
	if err != nil {
		return err
	}
	if n >= MaxClaimsPerDay || text == nil {
		return ErrClaimMailed
	}
	inv := &tsunagu.Invitation{Kind: tsunagu.InviteClaim, Email: email, Locale: locale, CandidateID: &candidateID}
	if _, err := s.issue(ctx, inv, text); err != nil {
		return err
	}
	return ErrClaimMailed
}
