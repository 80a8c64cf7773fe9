package cases_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/cases"
	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// fixture is a database with a coordinator, a candidate with an account,
// another candidate, two companies with a member and an open role each.
type fixture struct {
	db       *postgres.DB
	svc      *cases.Service
	clock    *clock
	coord    *tsunagu.User
	cand     *tsunagu.User
	other    *tsunagu.User // a second candidate account
	comp     *tsunagu.User // member of company A
	compB    *tsunagu.User // member of company B
	candID   int64
	otherID  int64
	companyA int64
	companyB int64
	roleA    int64
	roleB    int64
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	db := dbtest.NewDB(tb)
	return fixtureOn(tb, db)
}

func fixtureOn(tb testing.TB, db *postgres.DB) *fixture {
	tb.Helper()
	f := &fixture{db: db, clock: &clock{t: time.Now().UTC().Truncate(time.Second)}}
	f.svc = cases.New(db)
	f.svc.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	f.svc.Now = f.clock.Now
	f.coord = mustUser(tb, db, "coord", tsunagu.RoleCoordinator)
	f.cand = mustUser(tb, db, "cand", tsunagu.RoleCandidate)
	f.other = mustUser(tb, db, "other", tsunagu.RoleCandidate)
	f.comp = mustUser(tb, db, "comp", tsunagu.RoleCompany)
	f.compB = mustUser(tb, db, "compb", tsunagu.RoleCompany)
	f.candID = mustCandidate(tb, db, "Amina K.", &f.cand.ID, nil)
	f.otherID = mustCandidate(tb, db, "Omar B.", &f.other.ID, nil)
	f.companyA, f.roleA = mustCompanyRole(tb, db, "Sakura Logistics", f.comp.ID)
	f.companyB, f.roleB = mustCompanyRole(tb, db, "Fuji Foods", f.compB.ID)
	return f
}

func as(u *tsunagu.User) context.Context {
	return tsunagu.NewContextWithUser(context.Background(), u)
}

func mustUser(tb testing.TB, db *postgres.DB, name string, role tsunagu.Role) *tsunagu.User {
	tb.Helper()
	u := &tsunagu.User{Email: name + "@test.example", DisplayName: name, PasswordHash: "x", Role: role, Locale: "en"}
	if err := db.CreateUser(context.Background(), u); err != nil {
		tb.Fatalf("create user: %v", err)
	}
	return u
}

func mustCandidate(tb testing.TB, db *postgres.DB, name string, userID *int64, expiry *time.Time) int64 {
	tb.Helper()
	var id int64
	err := db.GetContext(context.Background(), &id,
		`INSERT INTO candidates (name, user_id, headline, residence_expiry, locale) VALUES ($1, $2, 'Bookkeeper', $3, 'fr') RETURNING id`, name, userID, expiry)
	if err != nil {
		tb.Fatalf("create candidate: %v", err)
	}
	return id
}

func mustCompanyRole(tb testing.TB, db *postgres.DB, name string, member int64) (int64, int64) {
	tb.Helper()
	ctx := context.Background()
	var cid, rid int64
	if err := db.GetContext(ctx, &cid, `INSERT INTO companies (name) VALUES ($1) RETURNING id`, name); err != nil {
		tb.Fatalf("create company: %v", err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO company_members (company_id, user_id) VALUES ($1, $2)`, cid, member); err != nil {
		tb.Fatalf("add member: %v", err)
	}
	if err := db.GetContext(ctx, &rid, `INSERT INTO roles (company_id, title, workplace, status) VALUES ($1, $2, 'onsite', 'open') RETURNING id`, cid, "Accounting staff at "+name); err != nil {
		tb.Fatalf("create role: %v", err)
	}
	return cid, rid
}

func mustOpen(tb testing.TB, f *fixture, candidateID int64) int64 {
	tb.Helper()
	id, err := f.svc.OpenCase(as(f.coord), candidateID)
	if err != nil {
		tb.Fatalf("open case: %v", err)
	}
	return id
}

func mustMove(tb testing.TB, f *fixture, caseID int64, stages ...tsunagu.CaseStage) {
	tb.Helper()
	for _, s := range stages {
		if err := f.svc.MoveCase(as(f.coord), caseID, tsunagu.CaseMove{Stage: s}); err != nil {
			tb.Fatalf("move case to %s: %v", s, err)
		}
	}
}

func mustIntroMove(tb testing.TB, f *fixture, u *tsunagu.User, id int64, stage tsunagu.IntroStage) {
	tb.Helper()
	if err := f.svc.MoveIntroduction(as(u), id, tsunagu.IntroMove{Stage: stage}); err != nil {
		tb.Fatalf("move introduction to %s as %s: %v", stage, u.Role, err)
	}
}

// mustHire takes the fixture's candidate from intake to hired at role A and
// returns the case and introduction ids.
func mustHire(tb testing.TB, f *fixture) (int64, int64) {
	tb.Helper()
	caseID := mustOpen(tb, f, f.candID)
	mustMove(tb, f, caseID, tsunagu.StageTraining, tsunagu.StageJobReady, tsunagu.StageJobSearch)
	in, err := f.svc.Suggest(as(f.coord), caseID, f.roleA, "")
	if err != nil {
		tb.Fatalf("suggest: %v", err)
	}
	if err := f.svc.Consent(as(f.cand), in, true, ""); err != nil {
		tb.Fatalf("consent: %v", err)
	}
	mustIntroMove(tb, f, f.coord, in, tsunagu.IntroIntroduced)
	for _, v := range []string{"yes", "yes", "yes"} {
		if err := f.svc.Feedback(as(f.comp), in, v, "good interview"); err != nil {
			tb.Fatalf("feedback: %v", err)
		}
	}
	return caseID, in
}

func count(tb testing.TB, db *postgres.DB, q string, args ...any) int {
	tb.Helper()
	var n int
	if err := db.GetContext(context.Background(), &n, q, args...); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	return n
}

func codeOf(err error) string { return tsunagu.ErrorCode(err) }
