package cases

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hibiken/asynq"

	"github.com/tsunagu-org/tsunagu/internal/jobs"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Task types of this package. The service writes their outbox rows in the
// transaction of the change that causes them; RegisterTasks hands their
// handlers to the worker.
const (
	TaskFollowupDue       = "case:followup_due"       // a check-in falls due: remind the party
	TaskFollowupOverdue   = "case:followup_overdue"   // a check-in still open after the grace period: escalate
	TaskResidenceReminder = "case:residence_reminder" // a residence card expires in 90 or 30 days
	TaskStaleAlert        = "case:stale_alert"        // a case has had no activity for 30 days
	TaskNotifyMail        = "notify:mail"             // mail one in-app notification
	TaskScan              = "case:scan"               // periodic: plan residence reminders and stale alerts
)

// ScanEvery is how often the scheduler plans residence reminders and
// stale-case alerts.
const ScanEvery = time.Hour

// RegisterTasks registers the handlers of the case tasks and schedules the
// scan. Each outbox task carries its outbox row id and the ids it acts on;
// a payload without them cannot succeed by retrying and wraps
// asynq.SkipRetry.
func RegisterTasks(r jobs.Registrar, s *Service) {
	r.Handle(TaskFollowupDue, jobs.OutboxHandler(func(ctx context.Context, p jobs.Payload) error {
		return s.HandleFollowupDue(ctx, p.OutboxID, p.IDs["followup_id"])
	}, "followup_id"))
	r.Handle(TaskFollowupOverdue, jobs.OutboxHandler(func(ctx context.Context, p jobs.Payload) error {
		return s.HandleFollowupOverdue(ctx, p.OutboxID, p.IDs["followup_id"])
	}, "followup_id"))
	r.Handle(TaskResidenceReminder, jobs.OutboxHandler(func(ctx context.Context, p jobs.Payload) error {
		return s.HandleResidenceReminder(ctx, p.OutboxID, p.IDs["case_id"], p.IDs["days"], p.IDs["expiry"])
	}, "case_id", "days", "expiry"))
	r.Handle(TaskStaleAlert, jobs.OutboxHandler(func(ctx context.Context, p jobs.Payload) error {
		return s.HandleStaleAlert(ctx, p.OutboxID, p.IDs["case_id"], p.IDs["since"])
	}, "case_id", "since"))
	r.Handle(TaskNotifyMail, jobs.OutboxHandler(func(ctx context.Context, p jobs.Payload) error {
		return s.HandleNotifyMail(ctx, p.OutboxID, p.IDs["notification_id"])
	}, "notification_id"))
	r.Handle(TaskScan, func(ctx context.Context, _ *asynq.Task) error { return s.Scan(ctx) })
	r.Every(TaskScan, ScanEvery)
	r.Handle(TaskDigest, func(ctx context.Context, _ *asynq.Task) error {
		n, err := s.SendDigests(ctx)
		if n > 0 {
			s.Log.Info("notification digests sent", "count", n)
		}
		return err
	})
	r.Every(TaskDigest, DigestEvery)
}

// task runs a handler's effect in one transaction with the claim of its
// outbox row: a row already done (a duplicate delivery) does nothing, and
// an effect that fails or is cancelled leaves the row to run again. The
// effect reads and writes through tx only: a handler holds one pooled
// connection, so any number of concurrent deliveries cannot starve the
// pool.
func (s *Service) task(ctx context.Context, name string, outboxID int64, effect func(tx *postgres.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		ok, err := postgres.ClaimOutbox(ctx, tx, outboxID)
		if err != nil || !ok {
			return err
		}
		if err := effect(tx); err != nil {
			if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
				// What the task was about is gone (erased): nothing to do.
				s.Log.Info("task subject gone", "task", name, "outbox_id", outboxID)
				return nil
			}
			return err
		}
		if s.Hook != nil {
			return s.Hook(ctx, name)
		}
		return nil
	})
}

func (s *Service) followupRecipients(ctx context.Context, tx *postgres.Tx, f *tsunagu.Followup) ([]int64, error) {
	if f.Party == tsunagu.PartyCandidate {
		if f.CandidateUser != nil {
			return []int64{*f.CandidateUser}, nil
		}
		return nil, nil
	}
	return postgres.CompanyMemberIDs(ctx, tx, f.CompanyID)
}

// HandleFollowupDue reminds the party of a check-in now due (staff, when
// the party has no account) and, at the first check-in, moves a hired case
// into retention. Nothing when the check-in was answered already or the
// case was closed.
func (s *Service) HandleFollowupDue(ctx context.Context, outboxID, followupID int64) error {
	return s.task(ctx, TaskFollowupDue, outboxID, func(tx *postgres.Tx) error {
		caseID, err := postgres.FollowupCaseID(ctx, tx, followupID)
		if err != nil {
			return err
		}
		c, f, err := lockFollowup(ctx, tx, caseID, followupID)
		if err != nil {
			return err
		}
		if c.Stage == tsunagu.StageClosed {
			return nil // nobody to check in with
		}
		now := s.now()
		if f.Month == tsunagu.RetentionMonths[0] && c.Stage == tsunagu.StageHired {
			if err := s.systemMove(ctx, tx, c, tsunagu.StageRetention, "case.auto.retention", now); err != nil {
				return err
			}
		}
		if f.CompletedAt != nil {
			return nil
		}
		if err := postgres.MarkFollowupReminded(ctx, tx, f.ID, now); err != nil {
			return err
		}
		to, err := s.followupRecipients(ctx, tx, f)
		if err != nil {
			return err
		}
		// The person is asked in their own words; the employer is told
		// whom the check-in is about (they hired them); staff, when the
		// party has no account, whom to call and about which side.
		data := map[string]any{"Month": f.Month, "Role": f.RoleTitle, "Company": f.CompanyName, "Name": c.CandidateName}
		msg := "notify.followup_due"
		if f.Party == tsunagu.PartyCandidate {
			msg = "notify.followup_due_candidate"
		}
		if len(to) == 0 {
			if to, err = postgres.StaffIDs(ctx, tx, c.ID); err != nil {
				return err
			}
			msg, data["Party"] = "notify.staff.followup_due", string(f.Party)
		}
		if err := s.notify(ctx, tx, to, tsunagu.NotifyFollowupDue, msg, data, fmt.Sprintf("/followups/%d", f.ID)); err != nil {
			return err
		}
		return postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: c.ID, Kind: tsunagu.EventFollowup,
			From: fmt.Sprintf("%d:%s", f.Month, f.Party), To: "due", FollowupID: &f.ID, At: now})
	})
}

// HandleFollowupOverdue alerts the coordinator to a check-in still open
// after its grace period. Nothing when it was answered or the case closed.
func (s *Service) HandleFollowupOverdue(ctx context.Context, outboxID, followupID int64) error {
	return s.task(ctx, TaskFollowupOverdue, outboxID, func(tx *postgres.Tx) error {
		caseID, err := postgres.FollowupCaseID(ctx, tx, followupID)
		if err != nil {
			return err
		}
		c, f, err := lockFollowup(ctx, tx, caseID, followupID)
		if err != nil || f.CompletedAt != nil || c.Stage == tsunagu.StageClosed {
			return err
		}
		now := s.now()
		if err := postgres.MarkFollowupEscalated(ctx, tx, f.ID, now); err != nil {
			return err
		}
		to, err := postgres.StaffIDs(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		data := map[string]any{"Month": f.Month, "Party": string(f.Party), "Role": f.RoleTitle, "Company": f.CompanyName, "Name": c.CandidateName}
		if err := s.notify(ctx, tx, to, tsunagu.NotifyFollowupOverdue, "notify.staff.followup_overdue", data, fmt.Sprintf("/coordinator/cases/%d", c.ID)); err != nil {
			return err
		}
		return postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: c.ID, Kind: tsunagu.EventAlert,
			From: fmt.Sprintf("%d:%s", f.Month, f.Party), To: "overdue", FollowupID: &f.ID, At: now})
	})
}

// HandleResidenceReminder tells the candidate and the coordinator that the
// residence card expires in days. Nothing when the card's expiry changed
// since the reminder was planned (renewed) or the case was closed.
func (s *Service) HandleResidenceReminder(ctx context.Context, outboxID, caseID, days, expiryUnix int64) error {
	return s.task(ctx, TaskResidenceReminder, outboxID, func(tx *postgres.Tx) error {
		c, err := postgres.LockCase(ctx, tx, caseID)
		if err != nil {
			return err
		}
		_, expiry, err := postgres.CandidateResidence(ctx, tx, caseID)
		if err != nil || expiry == nil || expiry.Unix() != expiryUnix || c.Stage == tsunagu.StageClosed {
			return err
		}
		to, err := postgres.StaffIDs(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		data := map[string]any{"Days": days, "Date": expiry.Format("2006-01-02")}
		staffData := map[string]any{"Days": days, "Date": expiry.Format("2006-01-02"), "Name": c.CandidateName}
		if err := s.notify(ctx, tx, to, tsunagu.NotifyResidenceExpiry, "notify.staff.residence_expiry", staffData, fmt.Sprintf("/coordinator/cases/%d", c.ID)); err != nil {
			return err
		}
		if c.CandidateUser != nil {
			if err := s.notify(ctx, tx, []int64{*c.CandidateUser}, tsunagu.NotifyResidenceExpiry, "notify.residence_expiry", data, "/me/case"); err != nil {
				return err
			}
		}
		return postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: c.ID, Kind: tsunagu.EventAlert,
			To: "residence_expiry", Note: fmt.Sprintf("%d", days), At: s.now()})
	})
}

// HandleStaleAlert alerts the coordinator to a case without activity since
// sinceMicro. Nothing when there was activity since or the case ended.
func (s *Service) HandleStaleAlert(ctx context.Context, outboxID, caseID, sinceMicro int64) error {
	return s.task(ctx, TaskStaleAlert, outboxID, func(tx *postgres.Tx) error {
		c, err := postgres.LockCase(ctx, tx, caseID)
		if err != nil || !c.Stage.Open() || c.LastActivityAt.UnixMicro() != sinceMicro {
			return err
		}
		to, err := postgres.StaffIDs(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		days := int(s.now().Sub(c.LastActivityAt).Hours() / 24)
		if err := s.notify(ctx, tx, to, tsunagu.NotifyStaleCase, "notify.staff.stale_case", map[string]any{"Days": days, "Name": c.CandidateName}, fmt.Sprintf("/coordinator/cases/%d", c.ID)); err != nil {
			return err
		}
		return postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: c.ID, Kind: tsunagu.EventAlert, To: "stale", At: s.now()})
	})
}

// HandleNotifyMail mails one notification in its user's language, unless
// its user reads the daily digest (staff, by default), which carries it. The
// mail goes before the outbox row is claimed, outside any transaction (so
// a handler never holds two connections), stored under the notification's
// key: a crash in between, or two deliveries at once, find the message
// stored and mail it once (never twice, never not at all).
func (s *Service) HandleNotifyMail(ctx context.Context, outboxID, notificationID int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	done, err := s.DB.OutboxDone(ctx, outboxID)
	if err != nil || done {
		if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
			return nil
		}
		return err
	}
	if s.Mail != nil {
		err := s.sendNotification(ctx, notificationID)
		if err != nil && tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
			return err
		}
	}
	return s.task(ctx, TaskNotifyMail, outboxID, func(tx *postgres.Tx) error { return nil })
}

func (s *Service) sendNotification(ctx context.Context, notificationID int64) error {
	n, err := s.DB.NotificationByID(ctx, notificationID)
	if err != nil {
		return err
	}
	u, err := s.DB.UserByID(ctx, n.UserID)
	if err != nil || u.Disabled {
		return err
	}
	if digest, err := s.DB.MailsDigest(ctx, u.ID); err != nil || digest {
		return err // the daily digest carries it (SendDigests)
	}
	t := s.Translate
	if t == nil {
		t = func(_, id string, _ map[string]any) string { return id }
	}
	subject := t(u.Locale, "mail.notification.subject", nil)
	body := NotificationText(func(id string, data map[string]any) string { return t(u.Locale, id, data) }, n) + "\n\n" + strings.TrimRight(s.BaseURL, "/") + n.Link + "\n"
	return s.Mail.SendMailOnce(ctx, fmt.Sprintf("notification:%d", n.ID), u.Email, subject, body)
}

// Scan plans what falls due by date rather than by a change: residence-card
// reminders 90 and 30 days before expiry, and an alert for each case without
// activity for 30 days. It only writes outbox rows with unique keys, so
// running it twice (or on two workers) plans each once.
func (s *Service) Scan(ctx context.Context) error {
	now := s.now()
	exps, err := s.DB.ResidenceExpiries(ctx, now, now.AddDate(0, 0, tsunagu.ResidenceReminderDays[0]))
	if err != nil {
		return err
	}
	stale, err := s.DB.StaleCases(ctx, now.Add(-tsunagu.StaleAfter))
	if err != nil {
		return err
	}
	if len(exps) == 0 && len(stale) == 0 {
		return nil
	}
	return s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		for _, e := range exps {
			for i, d := range tsunagu.ResidenceReminderDays {
				at := e.Expiry.AddDate(0, 0, -d)
				// Skip a reminder a later (closer) one already covers.
				if i+1 < len(tsunagu.ResidenceReminderDays) && !now.Before(e.Expiry.AddDate(0, 0, -tsunagu.ResidenceReminderDays[i+1])) {
					continue
				}
				if at.Before(now) {
					at = now
				}
				key := fmt.Sprintf("residence:%d:%s:%d", e.CaseID, e.Expiry.Format("20060102"), d)
				ids := map[string]int64{"case_id": e.CaseID, "days": int64(d), "expiry": e.Expiry.Unix()}
				if err := postgres.AddOutbox(ctx, tx, TaskResidenceReminder, key, at, ids); err != nil {
					return err
				}
			}
		}
		for _, c := range stale {
			since := c.LastActivityAt.UnixMicro()
			key := fmt.Sprintf("stale:%d:%d", c.ID, since)
			if err := postgres.AddOutbox(ctx, tx, TaskStaleAlert, key, now, map[string]int64{"case_id": c.ID, "since": since}); err != nil {
				return err
			}
		}
		return nil
	})
}
