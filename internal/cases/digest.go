package cases

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// TaskDigest is the periodic task that mails each staff member (and anyone
// who chose it) one digest of their new notifications, grouped by kind,
// instead of a message each (HandleNotifyMail leaves theirs to it).
const TaskDigest = "notify:digest"

// DigestEvery is how often the digest goes: daily. The one scheduler
// enqueues it once a UTC day (09:00 in Japan), and at a worker's start.
const DigestEvery = 24 * time.Hour

// Digest limits: notifications older than DigestWindow are not mailed (a
// new account's backlog, a digest missed for a week: the page has them),
// and a digest lists at most DigestLines, then says how many more.
const (
	DigestWindow = 7 * 24 * time.Hour
	DigestLines  = 100
)

// SendDigests mails every digest reader their notifications since their
// last digest, in their language, grouped by kind, and records how far each
// went. A digest is stored and sent once under a key naming its reader and
// newest notification, so a task run again (a crash before the record, two
// workers) sends nothing twice; one that fails leaves the others sent and
// is tried at the next run. It returns how many digests it sent.
func (s *Service) SendDigests(ctx context.Context) (int, error) {
	if s.Mail == nil {
		return 0, nil
	}
	now := s.now()
	since := now.Add(-DigestWindow)
	rs, err := s.DB.DigestRecipients(ctx, since)
	if err != nil {
		return 0, err
	}
	sent := 0
	var errs []error
	for _, r := range rs {
		if err := ctx.Err(); err != nil {
			return sent, err
		}
		list, total, err := s.DB.NotificationsForDigest(ctx, r.UserID, r.Through, since, DigestLines)
		if err != nil || len(list) == 0 {
			if err != nil {
				errs = append(errs, err)
			}
			continue
		}
		through := list[0].ID // newest first
		subject, body := s.digestText(r.Locale, list, total)
		if err := s.Mail.SendMailOnce(ctx, fmt.Sprintf("digest:%d:%d", r.UserID, through), r.Email, subject, body); err != nil {
			errs = append(errs, fmt.Errorf("digest for user %d: %w", r.UserID, err))
			continue
		}
		if err := s.DB.MarkDigestSent(ctx, r.UserID, through, now); err != nil {
			errs = append(errs, err)
			continue
		}
		sent++
	}
	if len(errs) > 0 {
		return sent, fmt.Errorf("send digests: %w (and %d more)", errs[0], len(errs)-1)
	}
	return sent, nil
}

// digestText words a digest in lang: list (newest first) grouped by kind,
// the kinds in the order of their newest notice, each line with its link;
// total beyond the list is "and N more" with the notifications page.
func (s *Service) digestText(lang string, list []*tsunagu.Notification, total int) (subject, body string) {
	t := s.Translate
	if t == nil {
		t = func(_, id string, _ map[string]any) string { return id }
	}
	tr := func(id string, data map[string]any) string { return t(lang, id, data) }
	base := strings.TrimRight(s.BaseURL, "/")
	var kinds []string
	byKind := map[string][]*tsunagu.Notification{}
	for _, n := range list {
		if byKind[n.Kind] == nil {
			kinds = append(kinds, n.Kind)
		}
		byKind[n.Kind] = append(byKind[n.Kind], n)
	}
	var b strings.Builder
	b.WriteString(tr("digest.mail.intro", map[string]any{"Count": total}))
	b.WriteString("\n")
	for _, k := range kinds {
		fmt.Fprintf(&b, "\n%s (%d)\n", tr("cases.notifications.kind."+k, nil), len(byKind[k]))
		for _, n := range byKind[k] {
			fmt.Fprintf(&b, "- %s\n  %s%s\n", NotificationText(tr, n), base, n.Link)
		}
	}
	if more := total - len(list); more > 0 {
		fmt.Fprintf(&b, "\n%s\n", tr("digest.mail.more", map[string]any{"Count": more}))
	}
	fmt.Fprintf(&b, "\n%s\n%s/notifications\n", tr("digest.mail.footer", nil), base)
	return tr("digest.mail.subject", map[string]any{"Count": total}), b.String()
}
