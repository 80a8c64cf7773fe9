package training

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// NotifyPromoted is the kind of the notification a candidate gets when a
// place frees and they move up from the waiting list.
const NotifyPromoted = "training_promoted"

// TaskNotifyMail is the outbox task that mails one in-app notification in
// its user's language. The cases package handles it (cases.TaskNotifyMail;
// a test keeps the two equal), for every area's notifications.
const TaskNotifyMail = "notify:mail"

// notifyPromoted tells the candidate of enrolment id that they took a
// freed place: an in-app notification, and the outbox row that mails it,
// inside tx, beside the promotion. A promotion that rolls back leaves
// neither; one that commits always has both. A candidate without an
// account (entered by a coordinator) has no one to tell.
func (s *Service) notifyPromoted(ctx context.Context, tx *postgres.Tx, enrolmentID int64, now time.Time) error {
	e, err := postgres.EnrolmentInTx(ctx, tx, enrolmentID)
	if err != nil {
		return err
	}
	if e.CandidateUserID == nil {
		return nil
	}
	p, err := postgres.ProgrammeInTx(ctx, tx, e.ProgrammeID)
	if err != nil {
		return err
	}
	c, err := postgres.LockCohort(ctx, tx, e.CohortID)
	if err != nil {
		return err
	}
	link := "/training" // an archived programme is only under "My courses"
	if p.Active {
		link += "#programme-" + strconv.FormatInt(p.ID, 10)
	}
	n := &tsunagu.Notification{UserID: *e.CandidateUserID, Kind: NotifyPromoted, MessageID: "training.notify.promoted",
		Data: map[string]any{"Programme": p.Title("en"), "ProgrammeJA": p.Title("ja"), "Cohort": c.Name,
			"Starts": c.StartsOn.Format("2006-01-02")},
		Link: link}
	if err := postgres.AddNotification(ctx, tx, n); err != nil {
		return err
	}
	key := fmt.Sprintf("mail:%d", n.ID)
	return postgres.AddOutbox(ctx, tx, TaskNotifyMail, key, now, map[string]int64{"notification_id": n.ID})
}
