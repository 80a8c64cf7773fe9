// Package mail sends email through SMTP with go-mail.
package mail

import (
	"context"
	"fmt"
	"strings"

	gomail "github.com/wneessen/go-mail"

	"github.com/tsunagu-org/tsunagu/internal/config"
)

// SMTP sends mail through one SMTP server.
type SMTP struct {
	cfg config.Config
}

// New returns an SMTP mailer, or nil when SMTP_HOST is not set (mail then
// stays in the outbox and the log).
func New(cfg config.Config) *SMTP {
	if cfg.SMTPHost == "" {
		return nil
	}
	return &SMTP{cfg: cfg}
}

// Send sends one plain-text message.
func (s *SMTP) Send(ctx context.Context, to, subject, body string) error {
	m := gomail.NewMsg()
	if err := m.From(s.cfg.SMTPFrom); err != nil {
		return fmt.Errorf("mail from: %w", err)
	}
	if err := m.To(to); err != nil {
		return fmt.Errorf("mail to: %w", withoutAddress(err, to))
	}
	m.Subject(subject)
	m.SetBodyString(gomail.TypeTextPlain, body)
	opts := []gomail.Option{gomail.WithPort(s.cfg.SMTPPort), gomail.WithTLSPolicy(gomail.TLSOpportunistic)}
	if s.cfg.SMTPUsername != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.cfg.SMTPUsername), gomail.WithPassword(s.cfg.SMTPPassword))
	}
	c, err := gomail.NewClient(s.cfg.SMTPHost, opts...)
	if err != nil {
		return fmt.Errorf("mail client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, m); err != nil {
		return fmt.Errorf("send mail: %w", withoutAddress(err, to))
	}
	return nil
}

// withoutAddress keeps the recipient's address out of an error, which ends
// up in logs and in the outbox's error column: an erased person's address
// must not outlive them there (issue 11).
func withoutAddress(err error, to string) error {
	if to == "" || !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(to)) {
		return err
	}
	return addressError{msg: replaceFold(err.Error(), to, "<recipient>"), err: err}
}

// addressError is an error whose message has the address taken out; Unwrap
// keeps the cause for errors.Is.
type addressError struct {
	msg string
	err error
}

func (e addressError) Error() string { return e.msg }
func (e addressError) Unwrap() error { return e.err }

// replaceFold replaces every case-insensitive occurrence of old in s.
func replaceFold(s, old, repl string) string {
	lower, lo := strings.ToLower(s), strings.ToLower(old)
	if len(lower) != len(s) {
		return strings.ReplaceAll(s, old, repl)
	}
	var b strings.Builder
	for {
		i := strings.Index(lower, lo)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(repl)
		s, lower = s[i+len(old):], lower[i+len(lo):]
	}
}
