package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Store is the storage the auth service needs; postgres.DB implements it.
type Store interface {
	CreateUser(ctx context.Context, u *tsunagu.User) error
	// CreateCompanyAccount creates u and a pending company it belongs to,
	// in one transaction (ECONFLICT when the e-mail or name is taken).
	CreateCompanyAccount(ctx context.Context, u *tsunagu.User, companyName string) (*tsunagu.Company, error)
	UserByID(ctx context.Context, id int64) (*tsunagu.User, error)
	UserByEmail(ctx context.Context, email string) (*tsunagu.User, error)
	SetUserLocale(ctx context.Context, id int64, locale string) error

	CreateSession(ctx context.Context, s *tsunagu.Session) error
	SessionByHash(ctx context.Context, hash []byte, now time.Time) (*tsunagu.Session, error)
	// SessionWithUser reads an unexpired session and its user in one round
	// trip (ENOTFOUND when there is none).
	SessionWithUser(ctx context.Context, hash []byte, now time.Time) (*tsunagu.Session, *tsunagu.User, error)
	TouchSession(ctx context.Context, hash []byte, now, expires time.Time) error
	DeleteSession(ctx context.Context, hash []byte) error

	RecordFailedLogin(ctx context.Context, email, ip string) error
	CountFailedLogins(ctx context.Context, email, ip string, since time.Time) (byEmail, byIP int, err error)
	ClearFailedLogins(ctx context.Context, email, ip string) error

	CreatePasswordReset(ctx context.Context, userID int64, hash []byte, expires time.Time) error
	CountPasswordResets(ctx context.Context, userID int64, since time.Time) (int, error)
	UsePasswordReset(ctx context.Context, hash []byte, passwordHash string, now time.Time) (int64, error)

	CreateAPIToken(ctx context.Context, t *tsunagu.APIToken, hash []byte) error
	// APITokenWithUser reads an active token and its owner (ENOTFOUND
	// when there is none).
	APITokenWithUser(ctx context.Context, hash []byte, now time.Time) (*tsunagu.APIToken, *tsunagu.User, error)
	ListAPITokens(ctx context.Context, userID int64) ([]tsunagu.APIToken, error)
	RevokeAPIToken(ctx context.Context, userID, id int64, now time.Time) error
	// SetUserDisabled disables or enables an account; disabling ends its
	// sessions and tokens in the same transaction.
	SetUserDisabled(ctx context.Context, id int64, disabled bool) error
	ListUsers(ctx context.Context, limit, offset int) ([]tsunagu.User, error)
	// CandidateIDsOfUsers returns the candidate profiles of the accounts.
	CandidateIDsOfUsers(ctx context.Context, userIDs []int64) ([]int64, error)

	CreateInvitation(ctx context.Context, inv *tsunagu.Invitation, hash []byte) error
	InvitationByHash(ctx context.Context, hash []byte, now time.Time) (*tsunagu.Invitation, error)
	CountInvitations(ctx context.Context, kind tsunagu.InvitationKind, candidateID int64, since time.Time) (int, error)
	AccountlessCandidateID(ctx context.Context, email string) (int64, error)
	AcceptInvitation(ctx context.Context, hash []byte, u *tsunagu.User, now time.Time) (*tsunagu.Invitation, error)
	IsCompanyAdmin(ctx context.Context, companyID, userID int64) (bool, error)
	CandidateByID(ctx context.Context, id int64) (*tsunagu.Candidate, error)
	CompanyByID(ctx context.Context, id int64) (*tsunagu.Company, error)

	QueueMail(ctx context.Context, to, subject, body string) (int64, error)
	// QueueMailOnce is QueueMail unless a message with key is stored
	// already (queued false).
	QueueMailOnce(ctx context.Context, key, to, subject, body string) (id int64, queued bool, err error)
	MarkMailSent(ctx context.Context, id int64, sendErr error) error
	// ListMail returns the newest messages of the mail outbox.
	ListMail(ctx context.Context, limit int) ([]tsunagu.Mail, error)
	// PeopleByEmails returns the accounts and the candidate profiles the
	// addresses belong to.
	PeopleByEmails(ctx context.Context, emails []string) (users, candidates []int64, err error)
	Audit(ctx context.Context, actorID int64, action, subjectType, subjectID string, detail []byte) error
}

// Mailer sends one message. Without SMTP, a nil Mailer leaves messages in
// the mail outbox (shown on the admin outbox page) and in the log.
type Mailer interface {
	Send(ctx context.Context, to, subject, body string) error
}

// Rate limits within LoginWindow: sign-in failures for one account from
// one address (the account stays open to its owner elsewhere), and
// failures and reset requests from one address. At most MaxResetsAccount
// reset links are mailed to an account per ResetTTL.
const (
	LoginWindow        = 15 * time.Minute
	MaxFailuresAccount = 5
	MaxFailuresAddress = 20
	ResetTTL           = time.Hour
	MaxResetsAccount   = 3
)

// Service implements accounts and sessions.
type Service struct {
	Store      Store
	Mailer     Mailer
	SessionTTL time.Duration
	BaseURL    string
	Now        func() time.Time
	Log        *slog.Logger
	// DevOutbox, set in development without SMTP, keeps in memory the
	// real text of mail whose stored copy holds no secret, for the
	// outbox page; nil elsewhere.
	DevOutbox *DevOutbox
}

// DevOutbox holds the last messages' real text in process memory, never
// in the database or the log.
type DevOutbox struct {
	mu   sync.Mutex
	mail map[int64]string
	ids  []int64
}

// NewDevOutbox returns an empty DevOutbox.
func NewDevOutbox() *DevOutbox { return &DevOutbox{mail: map[int64]string{}} }

func (o *DevOutbox) add(id int64, body string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.mail[id] = body
	o.ids = append(o.ids, id)
	if len(o.ids) > 100 {
		delete(o.mail, o.ids[0])
		o.ids = o.ids[1:]
	}
}

// Reveal puts the real text of the messages it holds into ms.
func (o *DevOutbox) Reveal(ms []tsunagu.Mail) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for i := range ms {
		if b, ok := o.mail[ms[i].ID]; ok {
			ms[i].Body = b
		}
	}
}

// withheldToken stands for a reset token in the stored copy of its mail.
const withheldToken = "(link-withheld:only-the-recipient-has-it)"

// NewService returns a Service with defaults.
func NewService(store Store, mailer Mailer, baseURL string, ttl time.Duration) *Service {
	return &Service{Store: store, Mailer: mailer, SessionTTL: ttl, BaseURL: baseURL, Now: time.Now, Log: slog.Default()}
}

// SignUp is what a visitor submits to create an account.
type SignUp struct {
	Email       string
	DisplayName string
	Password    string
	Role        tsunagu.Role
	Locale      string
	// CompanyName names the company a company user signs up for; it is
	// created pending, and its members see no candidate until staff
	// verify it.
	CompanyName string
	// ClaimMail is the message that verifies the e-mail of a candidate
	// profile without an account, in a language (see ErrClaimMailed).
	ClaimMail MailText
}

// Register creates an account. Visitors may only sign up as candidates or
// company users; staff accounts come from `tsunagu user create`.
// Returns EINVALID with per-field errors, or ECONFLICT for a taken email
// (as a field error, so the form can show it). A candidate signing up with
// the e-mail of a profile no account has claimed gets no new account (and
// never a second profile): a link that verifies the address and claims
// that profile is mailed, and Register returns ErrClaimMailed.
func (s *Service) Register(ctx context.Context, in SignUp, allowStaff bool) (*tsunagu.User, error) {
	var v tsunagu.Validation
	in.Email = strings.TrimSpace(in.Email)
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	if in.Email == "" {
		v.Add("email", "error.required", nil)
	} else if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || len(in.Email) > 254 {
		v.Add("email", "error.email", nil)
	}
	if in.DisplayName == "" {
		v.Add("display_name", "error.required", nil)
	} else if utf8.RuneCountInString(in.DisplayName) > 100 {
		v.Add("display_name", "error.too_long", map[string]any{"Max": 100})
	}
	if in.Password == "" {
		v.Add("password", "error.required", nil)
	} else if p := PasswordProblem(in.Password, in.Email); p != "" {
		v.Add("password", p, map[string]any{"Min": MinPasswordLength})
	}
	switch in.Role {
	case tsunagu.RoleCandidate, tsunagu.RoleCompany:
	case tsunagu.RoleCoordinator, tsunagu.RoleAdmin:
		if !allowStaff {
			v.Add("role", "error.choice", nil)
		}
	default:
		v.Add("role", "error.choice", nil)
	}
	in.CompanyName = strings.TrimSpace(in.CompanyName)
	if in.Role == tsunagu.RoleCompany {
		if in.CompanyName == "" {
			v.Add("company_name", "error.required", nil)
		} else if utf8.RuneCountInString(in.CompanyName) > 200 {
			v.Add("company_name", "error.too_long", map[string]any{"Max": 200})
		}
	}
	if in.Locale == "" {
		in.Locale = "ja"
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if in.Role == tsunagu.RoleCandidate {
		if _, err := s.Store.UserByEmail(ctx, in.Email); tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
			id, err := s.Store.AccountlessCandidateID(ctx, in.Email)
			if err == nil {
				return nil, s.claim(ctx, id, in.Email, in.Locale, in.ClaimMail)
			}
			if tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
				return nil, err
			}
		}
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	u := &tsunagu.User{Email: in.Email, DisplayName: in.DisplayName, PasswordHash: hash, Role: in.Role, Locale: in.Locale}
	var err2 error
	if in.Role == tsunagu.RoleCompany {
		_, err2 = s.Store.CreateCompanyAccount(ctx, u, in.CompanyName)
	} else {
		err2 = s.Store.CreateUser(ctx, u)
	}
	if err2 != nil {
		if tsunagu.ErrorCode(err2) == tsunagu.ECONFLICT {
			if e := (*tsunagu.Error)(nil); errors.As(err2, &e) && e.Data["Constraint"] == "companies_name_key" {
				v.Add("company_name", "error.taken", nil)
			} else {
				v.Add("email", "error.email_taken", nil)
			}
			return nil, v.Err()
		}
		return nil, fmt.Errorf("register: %w", err2)
	}
	s.Store.Audit(ctx, u.ID, "user.sign_up", "user", fmt.Sprint(u.ID), nil)
	return u, nil
}

// SignIn checks the credentials and opens a new session (a fresh token: the
// session rotates at every sign-in). Returns EUNAUTHORIZED for wrong
// credentials (the same answer whether or not the account exists) and
// ETOOMANY when the account or the address failed too often recently.
func (s *Service) SignIn(ctx context.Context, email, password, ip, userAgent string) (*tsunagu.User, string, *tsunagu.Session, error) {
	now := s.Now()
	email = strings.TrimSpace(email)
	byEmail, byIP, err := s.Store.CountFailedLogins(ctx, email, ip, now.Add(-LoginWindow))
	if err != nil {
		return nil, "", nil, err
	}
	if byEmail >= MaxFailuresAccount || byIP >= MaxFailuresAddress {
		return nil, "", nil, tsunagu.Errorf(tsunagu.ETOOMANY, "error.too_many_attempts")
	}
	u, err := s.Store.UserByEmail(ctx, email)
	if err != nil && tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
		return nil, "", nil, err
	}
	if u == nil || u.Disabled || !CheckPassword(u.PasswordHash, password) {
		if u == nil {
			// Spend the same time as a real check, so timing does not tell
			// whether the account exists.
			CheckPassword(dummyHash, password)
		}
		if err := s.Store.RecordFailedLogin(ctx, email, ip); err != nil {
			return nil, "", nil, err
		}
		return nil, "", nil, tsunagu.Errorf(tsunagu.EUNAUTHORIZED, "error.bad_credentials")
	}
	if err := s.Store.ClearFailedLogins(ctx, email, ip); err != nil {
		return nil, "", nil, err
	}
	token, sess, err := s.NewSession(ctx, u.ID, ip, userAgent)
	if err != nil {
		return nil, "", nil, err
	}
	s.Store.Audit(ctx, u.ID, "user.sign_in", "user", fmt.Sprint(u.ID), nil)
	return u, token, sess, nil
}

var dummyHash, _ = HashPassword("not-a-real-password-at-all")

// NewSession opens a session for userID and returns the cookie token.
func (s *Service) NewSession(ctx context.Context, userID int64, ip, userAgent string) (string, *tsunagu.Session, error) {
	now := s.Now()
	token, hash := NewToken()
	sess := &tsunagu.Session{
		TokenHash: hash, UserID: userID, CSRFToken: randomHex(32),
		CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(s.SessionTTL),
		UserAgent: truncate(userAgent, 300), IP: ip,
	}
	if err := s.Store.CreateSession(ctx, sess); err != nil {
		return "", nil, err
	}
	return token, sess, nil
}

// Authenticate returns the session and user of a cookie token. Returns
// EUNAUTHORIZED for an unknown or expired token or a disabled user.
func (s *Service) Authenticate(ctx context.Context, token string) (*tsunagu.User, *tsunagu.Session, error) {
	if token == "" {
		return nil, nil, tsunagu.Errorf(tsunagu.EUNAUTHORIZED, "error.sign_in_required")
	}
	now := s.Now()
	hash := HashToken(token)
	sess, u, err := s.Store.SessionWithUser(ctx, hash, now)
	if err != nil {
		if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
			return nil, nil, tsunagu.Errorf(tsunagu.EUNAUTHORIZED, "error.sign_in_required")
		}
		return nil, nil, err
	}
	if u.Disabled {
		return nil, nil, tsunagu.Errorf(tsunagu.EUNAUTHORIZED, "error.sign_in_required")
	}
	// Slide the expiry, at most once a minute.
	if now.Sub(sess.LastSeen) > time.Minute {
		if err := s.Store.TouchSession(ctx, hash, now, now.Add(s.SessionTTL)); err != nil {
			return nil, nil, err
		}
	}
	return u, sess, nil
}

// AuthenticateToken returns the owner of a personal access token and the
// token. Returns EUNAUTHORIZED for an unknown, revoked or expired token or
// a disabled owner.
func (s *Service) AuthenticateToken(ctx context.Context, token string) (*tsunagu.User, *tsunagu.APIToken, error) {
	t, u, err := s.Store.APITokenWithUser(ctx, HashToken(token), s.Now())
	if err != nil {
		if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
			return nil, nil, tsunagu.Errorf(tsunagu.EUNAUTHORIZED, "error.bad_token")
		}
		return nil, nil, err
	}
	if u.Disabled {
		return nil, nil, tsunagu.Errorf(tsunagu.EUNAUTHORIZED, "error.bad_token")
	}
	return u, t, nil
}

// TokenRequest is what a user fills in to create a personal access token.
// Scope is "read" or "read_write"; ExpiresInDays one of
// tsunagu.TokenLifetimes (30 when empty).
type TokenRequest struct {
	Name          string `json:"name"`
	Scope         string `json:"scope"`
	ExpiresInDays string `json:"expires_in_days"`
}

// errTokenViaToken refuses managing tokens with a token: a leaked token
// cannot mint itself successors or revoke its owner's others.
var errTokenViaToken = tsunagu.Errorf(tsunagu.EFORBIDDEN, "error.token_cannot_manage_tokens")

// CreateAPIToken issues a personal access token for u; the secret is
// returned once and only its hash is stored. via is the token the request
// came with (nil for a browser session). Returns EINVALID with per-field
// errors, EFORBIDDEN when via is set.
func (s *Service) CreateAPIToken(ctx context.Context, u *tsunagu.User, via *tsunagu.APIToken, in TokenRequest) (string, *tsunagu.APIToken, error) {
	if via != nil {
		return "", nil, errTokenViaToken
	}
	var v tsunagu.Validation
	name := strings.TrimSpace(in.Name)
	if name == "" {
		v.Add("name", "error.required", nil)
	} else if utf8.RuneCountInString(name) > 100 {
		v.Add("name", "error.too_long", map[string]any{"Max": 100})
	}
	scope := tsunagu.TokenScope(in.Scope)
	if in.Scope == "" {
		scope = tsunagu.ScopeRead
	}
	if scope != tsunagu.ScopeRead && scope != tsunagu.ScopeReadWrite {
		v.Add("scope", "error.choice", nil)
	}
	days := 0
	if in.ExpiresInDays == "" {
		days = 30
	}
	for _, d := range tsunagu.TokenLifetimes {
		if in.ExpiresInDays == fmt.Sprint(d) {
			days = d
		}
	}
	if days == 0 {
		v.Add("expires_in_days", "error.choice", nil)
	}
	if err := v.Err(); err != nil {
		return "", nil, err
	}
	token, hash := NewToken()
	t := &tsunagu.APIToken{UserID: u.ID, Name: name, Scope: scope, ExpiresAt: s.Now().Add(time.Duration(days) * 24 * time.Hour)}
	if err := s.Store.CreateAPIToken(ctx, t, hash); err != nil {
		return "", nil, err
	}
	s.Store.Audit(ctx, u.ID, "token.create", "api_token", fmt.Sprint(t.ID), nil)
	return "tsu_" + token, t, nil
}

// ListAPITokens lists u's personal access tokens (never their secrets).
func (s *Service) ListAPITokens(ctx context.Context, u *tsunagu.User) ([]tsunagu.APIToken, error) {
	return s.Store.ListAPITokens(ctx, u.ID)
}

// RevokeAPIToken revokes u's token id at once. Returns ENOTFOUND (not u's
// token), EFORBIDDEN when the request came with a token (via).
func (s *Service) RevokeAPIToken(ctx context.Context, u *tsunagu.User, via *tsunagu.APIToken, id int64) error {
	if via != nil {
		return errTokenViaToken
	}
	if err := s.Store.RevokeAPIToken(ctx, u.ID, id, s.Now()); err != nil {
		return err
	}
	s.Store.Audit(ctx, u.ID, "token.revoke", "api_token", fmt.Sprint(id), nil)
	return nil
}

// SetUserDisabled disables (or enables) the account id for admin: a
// disabled account's sessions and tokens end at once and it cannot sign
// in. Returns EFORBIDDEN (not an admin, or an admin disabling themself),
// ENOTFOUND.
func (s *Service) SetUserDisabled(ctx context.Context, admin *tsunagu.User, id int64, disabled bool) error {
	if admin == nil || !tsunagu.Can(admin, tsunagu.ActAdminArea, tsunagu.Subject{}) {
		return tsunagu.Errorf(tsunagu.EFORBIDDEN, "error.forbidden")
	}
	if admin.ID == id && disabled {
		return tsunagu.Errorf(tsunagu.EFORBIDDEN, "error.cannot_disable_self")
	}
	if err := s.Store.SetUserDisabled(ctx, id, disabled); err != nil {
		return err
	}
	action := "user.enable"
	if disabled {
		action = "user.disable"
	}
	s.Store.Audit(ctx, admin.ID, action, "user", fmt.Sprint(id), nil)
	return nil
}

// AuditUserList is the audit action of an admin reading the account
// list (names and e-mail addresses): detail "users" holds the accounts
// listed, "ids" the candidate profiles among them (so the audit log found
// by person holds it).
const AuditUserList = "user.list"

// ListUsers returns the newest accounts for the admin user list (admins
// only; EFORBIDDEN otherwise). The list names people: one audit row names
// every account it returned.
func (s *Service) ListUsers(ctx context.Context, admin *tsunagu.User) ([]tsunagu.User, error) {
	if admin == nil || !tsunagu.Can(admin, tsunagu.ActAdminArea, tsunagu.Subject{}) {
		return nil, tsunagu.Errorf(tsunagu.EFORBIDDEN, "error.forbidden")
	}
	us, err := s.Store.ListUsers(ctx, 200, 0)
	if err != nil {
		return nil, err
	}
	if len(us) == 0 {
		return us, nil
	}
	users := make([]int64, len(us))
	for i, u := range us {
		users[i] = u.ID
	}
	cands, err := s.Store.CandidateIDsOfUsers(ctx, users)
	if err != nil {
		return nil, err
	}
	detail, err := json.Marshal(map[string]any{"users": users, "ids": cands, "role": string(admin.Role)})
	if err != nil {
		return nil, fmt.Errorf("audit user list: %w", err)
	}
	if err := s.Store.Audit(ctx, admin.ID, AuditUserList, "user", "", detail); err != nil {
		return nil, fmt.Errorf("audit user list: %w", err)
	}
	return us, nil
}

// AuditMailList is the audit action of an admin reading the mail outbox
// (recipients' addresses, and bodies that name people): detail "mail"
// holds the messages listed, "users" the accounts they went to and "ids"
// the candidate profiles among them (so the audit log found by person
// holds it).
const AuditMailList = "mail.list"

// ListMail returns the newest limit messages of the mail outbox for the
// admin outbox page (admins only; EFORBIDDEN otherwise). The list names
// people: one audit row names every recipient it showed.
func (s *Service) ListMail(ctx context.Context, admin *tsunagu.User, limit int) ([]tsunagu.Mail, error) {
	if admin == nil || !tsunagu.Can(admin, tsunagu.ActAdminArea, tsunagu.Subject{}) {
		return nil, tsunagu.Errorf(tsunagu.EFORBIDDEN, "error.forbidden")
	}
	ms, err := s.Store.ListMail(ctx, limit)
	if err != nil || len(ms) == 0 {
		return ms, err
	}
	mail := make([]int64, len(ms))
	to := make([]string, len(ms))
	for i, m := range ms {
		mail[i], to[i] = m.ID, m.To
	}
	users, cands, err := s.Store.PeopleByEmails(ctx, to)
	if err != nil {
		return nil, err
	}
	detail, err := json.Marshal(map[string]any{"mail": mail, "users": users, "ids": cands, "role": string(admin.Role)})
	if err != nil {
		return nil, fmt.Errorf("audit mail list: %w", err)
	}
	if err := s.Store.Audit(ctx, admin.ID, AuditMailList, "mail", "", detail); err != nil {
		return nil, fmt.Errorf("audit mail list: %w", err)
	}
	return ms, nil
}

// SignOut ends the session of token.
func (s *Service) SignOut(ctx context.Context, token string) error {
	return s.Store.DeleteSession(ctx, HashToken(token))
}

// SetLocale remembers the user's language.
func (s *Service) SetLocale(ctx context.Context, u *tsunagu.User, locale string) error {
	return s.Store.SetUserLocale(ctx, u.ID, locale)
}

// RequestPasswordReset mails a reset link when the account exists. It says
// nothing either way, so the answer cannot reveal which emails have
// accounts. subject and body format the message (translated by the caller);
// body gets the link as its one %s.
//
// Each request counts against the address's limit of attempts (ETOOMANY
// past it, whether or not the account exists); past MaxResetsAccount links
// in ResetTTL no more mail is sent to the account, with the same answer.
func (s *Service) RequestPasswordReset(ctx context.Context, email, ip, subject, bodyFormat string) error {
	now := s.Now()
	if _, byIP, err := s.Store.CountFailedLogins(ctx, "", ip, now.Add(-LoginWindow)); err != nil {
		return err
	} else if byIP >= MaxFailuresAddress {
		return tsunagu.Errorf(tsunagu.ETOOMANY, "error.too_many_attempts")
	}
	// Recorded with no email: it counts for the address only.
	if err := s.Store.RecordFailedLogin(ctx, "", ip); err != nil {
		return err
	}
	u, err := s.Store.UserByEmail(ctx, strings.TrimSpace(email))
	if err != nil {
		if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
			return nil
		}
		return err
	}
	if u.Disabled {
		return nil
	}
	if n, err := s.Store.CountPasswordResets(ctx, u.ID, now.Add(-ResetTTL)); err != nil {
		return err
	} else if n >= MaxResetsAccount {
		return nil
	}
	token, hash := NewToken()
	if err := s.Store.CreatePasswordReset(ctx, u.ID, hash, s.Now().Add(ResetTTL)); err != nil {
		return err
	}
	// The outbox keeps a copy without the token: an admin reading it, or
	// anyone reading the database, cannot use the link. Such a message is
	// sent now or never (a failed send is marked failed, not retried from
	// the copy).
	base := strings.TrimRight(s.BaseURL, "/") + "/password/reset/"
	body := fmt.Sprintf(bodyFormat, base+token)
	id, err := s.Store.QueueMail(ctx, u.Email, subject, fmt.Sprintf(bodyFormat, base+withheldToken))
	if err != nil {
		return err
	}
	if s.Mailer == nil && s.DevOutbox != nil {
		s.DevOutbox.add(id, body)
	}
	return s.send(ctx, id, u.Email, subject, body)
}

// SendMail stores a message in the outbox and sends it when SMTP is set up;
// otherwise it is logged, and admins read it on the outbox page.
func (s *Service) SendMail(ctx context.Context, to, subject, body string) error {
	id, err := s.Store.QueueMail(ctx, to, subject, body)
	if err != nil {
		return err
	}
	return s.send(ctx, id, to, subject, body)
}

// SendMailOnce is SendMail for a message sent on behalf of something that
// may be handled more than once (a task delivered again): the first call
// with key stores and sends it, later ones do nothing. A message stored and
// not sent (a crash in between) goes with the next mail flush.
func (s *Service) SendMailOnce(ctx context.Context, key, to, subject, body string) error {
	id, queued, err := s.Store.QueueMailOnce(ctx, key, to, subject, body)
	if err != nil || !queued {
		return err
	}
	return s.send(ctx, id, to, subject, body)
}

// send sends the stored message id through SMTP when it is set up. The
// log names the message by id, never its address or body.
func (s *Service) send(ctx context.Context, id int64, to, subject, body string) error {
	if s.Mailer == nil {
		s.Log.Info("mail queued (no SMTP configured; see the admin outbox)", "mail_id", id)
		return nil
	}
	sendErr := s.Mailer.Send(ctx, to, subject, body)
	if sendErr != nil {
		s.Log.Error("send mail", "mail_id", id, "err", sendErr)
	}
	return s.Store.MarkMailSent(ctx, id, sendErr)
}

// ResetPassword sets a new password with a reset token and ends every
// session of the account. Returns EINVALID with a field error for a weak
// password or a bad, used or expired token.
func (s *Service) ResetPassword(ctx context.Context, token, password string) error {
	var v tsunagu.Validation
	if password == "" {
		v.Add("password", "error.required", nil)
	} else if p := PasswordProblem(password, ""); p != "" {
		v.Add("password", p, map[string]any{"Min": MinPasswordLength})
	}
	if err := v.Err(); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	userID, err := s.Store.UsePasswordReset(ctx, HashToken(token), hash, s.Now())
	if err != nil {
		if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
			v.Add("token", "error.reset_token_invalid", nil)
			return v.Err()
		}
		return err
	}
	s.Store.Audit(ctx, userID, "user.password_reset", "user", fmt.Sprint(userID), nil)
	return nil
}

// truncate cuts s to at most n bytes at a character boundary, as valid
// UTF-8 without NUL (a User-Agent is whatever the client sends).
func truncate(s string, n int) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, ""), "\x00", "")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
