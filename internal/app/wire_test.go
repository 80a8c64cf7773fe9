package app_test

import (
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/cases"
	"github.com/tsunagu-org/tsunagu/internal/importer"
	"github.com/tsunagu-org/tsunagu/internal/matching"
	"github.com/tsunagu-org/tsunagu/internal/profile"
	"github.com/tsunagu-org/tsunagu/internal/workshop"
)

// TestTasksWired: every feature's tasks reach the worker, each type once,
// with the three periodic ones scheduled at their feature's interval.
func TestTasksWired(t *testing.T) {
	a := newApp(t, t.TempDir())
	want := []string{
		cases.TaskFollowupDue, cases.TaskFollowupOverdue, cases.TaskResidenceReminder, cases.TaskStaleAlert,
		cases.TaskNotifyMail, cases.TaskDigest, cases.TaskScan, importer.TaskImport, workshop.TaskReminder, matching.TaskSavedSearches,
		profile.TaskDuplicates,
	}
	for _, typ := range want {
		if a.Tasks.Handler(typ) == nil {
			t.Errorf("no handler for %s", typ)
		}
	}
	if got := len(a.Tasks.Handlers); got != len(want) {
		t.Errorf("%d handlers registered, want %d", got, len(want))
	}
	if got := len(a.Worker().Handlers); got != len(want) {
		t.Errorf("worker serves %d handlers, want %d", got, len(want))
	}
	if got := a.Tasks.Periodic[cases.TaskScan]; got != cases.ScanEvery {
		t.Errorf("case scan every %v, want %v", got, cases.ScanEvery)
	}
	if got := a.Tasks.Periodic[matching.TaskSavedSearches]; got != matching.SavedSearchesEvery {
		t.Errorf("saved searches every %v, want %v", got, matching.SavedSearchesEvery)
	}
	if got := a.Tasks.Periodic[profile.TaskDuplicates]; got != profile.DuplicatesEvery {
		t.Errorf("duplicate scan every %v, want %v", got, profile.DuplicatesEvery)
	}
	if got := a.Tasks.Periodic[cases.TaskDigest]; got != cases.DigestEvery {
		t.Errorf("staff digest every %v, want %v", got, cases.DigestEvery)
	}
	if len(a.Tasks.Periodic) != 4 {
		t.Errorf("periodic tasks = %v, want the case scan, saved searches, the duplicate scan and the digest", a.Tasks.Periodic)
	}
}
