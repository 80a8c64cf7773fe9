// Package mail sends email through SMTP with go-mail.
package mail

import (
	"context"
	"fmt"

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
		return fmt.Errorf("mail to: %w", err)
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
		return fmt.Errorf("send mail: %w", err)
	}
	return nil
}
