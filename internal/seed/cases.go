package seed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/cases"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// DemoCases is how many demo candidates get a case (the rest have none, so
// a coordinator can open one).
const DemoCases = 120

// caseBuckets says how many demo cases end in each stage, in order after
// the first (Amina K., in intake for the demo walk-through). Every stage,
// close reason, introduction ending and residence outcome has some.
var caseBuckets = []struct {
	Stage tsunagu.CaseStage
	N     int
}{
	{tsunagu.StageIntake, 11}, {tsunagu.StageTraining, 14}, {tsunagu.StageJobReady, 12},
	{tsunagu.StageJobSearch, 22}, {tsunagu.StageHired, 8}, {tsunagu.StageRetention, 22},
	{tsunagu.StageSettled, 16}, {tsunagu.StageClosed, 14},
}

// introEndings are the stages of job-search introductions, in turn.
var introEndings = []tsunagu.IntroStage{
	tsunagu.IntroSuggested, tsunagu.IntroConsented, tsunagu.IntroIntroduced, tsunagu.IntroInterviewing,
	tsunagu.IntroOffered, tsunagu.IntroDeclinedByCompany, tsunagu.IntroDeclinedByCand, tsunagu.IntroWithdrawn,
}

// Cases gives the first DemoCases demo candidates ("demo-cand-001" ...) a
// case with a history: the stage moves, introductions, retention check-ins
// (answered when past, planned in the outbox when not) and residence-status
// changes, spread over the last two years so the board, the case pages and
// the outcomes page show something on first run. The first candidate (the
// demo candidate account's) is left in intake with one suggestion waiting
// for consent, for the walk-through. Deterministic (a fixed random source
// per candidate); a candidate who has a case is skipped, so a second run
// changes nothing. Needs Users and Profiles first; without demo candidates
// it does nothing.
func Cases(ctx context.Context, db *postgres.DB) error {
	var coord *int64
	if u, err := db.UserByEmail(ctx, DemoUsers[2].Email); err == nil {
		coord = &u.ID
	}
	var demoCompanyUser *int64
	if u, err := db.UserByEmail(ctx, DemoUsers[1].Email); err == nil {
		demoCompanyUser = &u.ID
	}
	roles, err := caseRoles(ctx, db, demoCompanyUser)
	if err != nil || len(roles) == 0 {
		return err
	}
	now := time.Now().UTC().Truncate(time.Second)
	i := 0
	for b, bucket := range caseBuckets {
		n := bucket.N
		if b == 0 {
			n++ // Amina K.
		}
		for k := 0; k < n; k++ {
			i++
			ext := fmt.Sprintf("demo-cand-%03d", i)
			cand, err := db.CandidateByExternalID(ctx, ext)
			if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
				continue
			} else if err != nil {
				return err
			}
			if _, err := db.CaseByCandidate(ctx, cand.ID); err == nil {
				continue
			} else if tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
				return err
			}
			g := &caseGen{db: db, r: rand.New(rand.NewPCG(2026, uint64(i))), now: now, i: i, k: k,
				cand: cand, coord: coord, companyUser: demoCompanyUser, roles: roles}
			if coord != nil {
				g.recorder = *coord
			}
			if i%5 == 0 {
				g.coord = nil // some cases wait for a coordinator
			}
			if err := db.InTx(ctx, func(tx *postgres.Tx) error { return g.run(ctx, tx, bucket.Stage) }); err != nil {
				return fmt.Errorf("seed case %s: %w", ext, err)
			}
		}
	}
	return nil
}

type caseRole struct {
	ID   int64 `db:"id"`
	Demo bool  `db:"demo"` // of the company the demo company account belongs to
}

func caseRoles(ctx context.Context, db *postgres.DB, companyUser *int64) ([]caseRole, error) {
	const q = `
		SELECT r.id, EXISTS (SELECT 1 FROM company_members m WHERE m.company_id = r.company_id AND m.user_id = $1) AS demo
		FROM roles r WHERE r.external_id LIKE 'demo-role-%' ORDER BY r.external_id`
	var out []caseRole
	var uid int64
	if companyUser != nil {
		uid = *companyUser
	}
	if err := db.SelectContext(ctx, &out, q, uid); err != nil {
		return nil, postgres.MapError(err, "demo roles")
	}
	return out, nil
}

// caseGen writes one demo case's history.
type caseGen struct {
	db          *postgres.DB
	r           *rand.Rand
	now         time.Time
	i, k        int
	cand        *tsunagu.Candidate
	coord       *int64
	recorder    int64 // who recorded past check-ins (the demo coordinator)
	companyUser *int64
	roles       []caseRole

	used   map[int64]bool
	caseID int64
	stage  tsunagu.CaseStage
	at     time.Time
}

func (g *caseGen) days(lo, hi int) time.Duration {
	return time.Duration(lo+g.r.IntN(hi-lo+1)) * 24 * time.Hour
}

// move records a stage move at g.at; reason is the close reason, or the
// rule of an automatic move.
func (g *caseGen) move(ctx context.Context, tx *postgres.Tx, to tsunagu.CaseStage, reason string, intro *int64) error {
	closeReason := ""
	if to == tsunagu.StageClosed {
		closeReason = reason
	}
	if err := postgres.SetCaseStage(ctx, tx, g.caseID, to, closeReason, g.at); err != nil {
		return err
	}
	ev := &tsunagu.CaseEvent{CaseID: g.caseID, Kind: tsunagu.EventStage, From: string(g.stage), To: string(to), Reason: reason, ActorID: g.coord, IntroductionID: intro, At: g.at}
	if intro != nil {
		ev.Reason = "case.auto.hired"
	}
	g.stage = to
	return postgres.AddCaseEvent(ctx, tx, ev)
}

// role picks a role not yet used in this case: the demo company's for
// some, so its pipeline shows them.
func (g *caseGen) role(offset int) caseRole {
	if g.used == nil {
		g.used = map[int64]bool{}
	}
	pick := func(r caseRole) caseRole { g.used[r.ID] = true; return r }
	if g.i%3 == 0 {
		for j := range g.roles {
			if r := g.roles[(g.i+offset+j)%len(g.roles)]; r.Demo && !g.used[r.ID] {
				return pick(r)
			}
		}
	}
	for j := range g.roles {
		if r := g.roles[(g.i*7+offset+j)%len(g.roles)]; !g.used[r.ID] {
			return pick(r)
		}
	}
	return g.roles[0]
}

// intro writes an introduction moved along path, one step every few days
// from start; it returns its id and the time of its last move.
func (g *caseGen) intro(ctx context.Context, tx *postgres.Tx, role caseRole, start time.Time, path []tsunagu.IntroStage, uses bool) (int64, time.Time, error) {
	id, err := postgres.CreateIntroduction(ctx, tx, g.caseID, g.cand.ID, role.ID, g.coord, start)
	if err != nil {
		return 0, start, err
	}
	at := start
	if err := postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: g.caseID, Kind: tsunagu.EventIntroduction,
		To: string(tsunagu.IntroSuggested), ActorID: g.coord, IntroductionID: &id, At: at}); err != nil {
		return 0, at, err
	}
	from := tsunagu.IntroSuggested
	for _, to := range path {
		at = at.Add(g.days(2, 8))
		if at.After(g.now) {
			at = g.now
		}
		actor := g.coord
		switch to {
		case tsunagu.IntroConsented, tsunagu.IntroDeclinedByCand:
			actor = g.cand.UserID
		case tsunagu.IntroInterviewing, tsunagu.IntroOffered, tsunagu.IntroDeclinedByCompany:
			if role.Demo {
				actor = g.companyUser
			} else {
				actor = nil
			}
		}
		var usesP *bool
		if to == tsunagu.IntroHired {
			usesP = &uses
		}
		if err := postgres.SetIntroductionStage(ctx, tx, id, to, usesP, at); err != nil {
			return 0, at, err
		}
		if err := postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: g.caseID, Kind: tsunagu.EventIntroduction,
			From: string(from), To: string(to), ActorID: actor, IntroductionID: &id, At: at}); err != nil {
			return 0, at, err
		}
		from = to
	}
	return id, at, nil
}

// pathTo returns the introduction stages from suggested to end.
func pathTo(end tsunagu.IntroStage) []tsunagu.IntroStage {
	main := []tsunagu.IntroStage{tsunagu.IntroConsented, tsunagu.IntroIntroduced, tsunagu.IntroInterviewing, tsunagu.IntroOffered, tsunagu.IntroHired}
	switch end {
	case tsunagu.IntroSuggested:
		return nil
	case tsunagu.IntroDeclinedByCompany:
		return []tsunagu.IntroStage{tsunagu.IntroConsented, tsunagu.IntroIntroduced, tsunagu.IntroInterviewing, end}
	case tsunagu.IntroDeclinedByCand:
		return []tsunagu.IntroStage{end}
	case tsunagu.IntroWithdrawn:
		return []tsunagu.IntroStage{tsunagu.IntroConsented, end}
	}
	for n, s := range main {
		if s == end {
			return main[:n+1]
		}
	}
	return nil
}

func (g *caseGen) run(ctx context.Context, tx *postgres.Tx, final tsunagu.CaseStage) error {
	hired := final == tsunagu.StageHired || final == tsunagu.StageRetention || final == tsunagu.StageSettled
	// Leavers: a few retention cases left their job at six months and are
	// looking again.
	leaver := final == tsunagu.StageRetention && g.k%6 == 5
	// The hire date, and from it (or from now) the case's start.
	var hireAt time.Time
	switch {
	case final == tsunagu.StageHired:
		hireAt = g.now.Add(-g.days(1, 25))
	case leaver:
		hireAt = g.now.Add(-g.days(200, 260))
	case final == tsunagu.StageRetention:
		hireAt = g.now.Add(-g.days(35, 330))
	case final == tsunagu.StageSettled:
		hireAt = g.now.Add(-g.days(380, 600))
	}
	pre := []tsunagu.CaseStage{tsunagu.StageIntake}
	if g.i%4 != 1 || final == tsunagu.StageTraining { // a few come job-ready, without training
		pre = append(pre, tsunagu.StageTraining)
	}
	pre = append(pre, tsunagu.StageJobReady, tsunagu.StageJobSearch)
	idx := func(s tsunagu.CaseStage) int { return slices.Index(pre, s) }
	stays := map[tsunagu.CaseStage][2]int{
		tsunagu.StageIntake: {5, 30}, tsunagu.StageTraining: {30, 120}, tsunagu.StageJobReady: {7, 40}, tsunagu.StageJobSearch: {20, 90},
	}
	// The stages this case moves through after intake.
	var path []tsunagu.CaseStage
	closeAt := tsunagu.StageIntake
	switch final {
	case tsunagu.StageIntake:
	case tsunagu.StageTraining, tsunagu.StageJobReady, tsunagu.StageJobSearch:
		path = slices.Clone(pre[1 : idx(final)+1])
	case tsunagu.StageClosed:
		closeAt = pre[g.k%len(pre)]
		path = append(slices.Clone(pre[1:idx(closeAt)+1]), tsunagu.StageClosed)
	default:
		path = slices.Clone(pre[1:])
	}
	// Work out the start so the history ends now (or at the hire).
	end := g.now.Add(-g.days(0, 50))
	if hired {
		end = hireAt
	}
	durs := make([]time.Duration, 0, len(path)+1)
	total := time.Duration(0)
	prev := tsunagu.StageIntake
	for _, s := range append([]tsunagu.CaseStage{}, path...) {
		st := stays[prev]
		if st == [2]int{} {
			st = [2]int{5, 20}
		}
		d := g.days(st[0], st[1])
		durs = append(durs, d)
		total += d
		prev = s
	}
	if hired {
		// The job-search stay ends at the hire.
		st := stays[tsunagu.StageJobSearch]
		d := g.days(st[0], st[1])
		durs = append(durs, d)
		total += d
	}
	g.at = end.Add(-total)
	id, err := postgres.CreateCase(ctx, tx, g.cand.ID, g.coord, g.at)
	if err != nil {
		return err
	}
	g.caseID, g.stage = id, ""
	if err := g.move(ctx, tx, tsunagu.StageIntake, "", nil); err != nil {
		return err
	}
	for n, s := range path {
		g.at = g.at.Add(durs[n])
		reason := ""
		if s == tsunagu.StageClosed {
			reason = tsunagu.CloseReasons[g.k%len(tsunagu.CloseReasons)]
		}
		if err := g.move(ctx, tx, s, reason, nil); err != nil {
			return err
		}
		if s == tsunagu.StageTraining && g.k%2 == 0 {
			note := "日本語 N3 対策コース / Japanese for work (N3)"
			if err := postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: id, Kind: tsunagu.EventNote, Note: note, ActorID: g.coord, At: g.at.Add(24 * time.Hour)}); err != nil {
				return err
			}
		}
	}
	switch {
	case g.i == 1:
		// The demo candidate: one suggestion waiting for their answer.
		if _, _, err := g.intro(ctx, tx, g.roles[len(g.roles)-1], g.now.Add(-24*time.Hour), nil, false); err != nil {
			return err
		}
	case final == tsunagu.StageJobSearch:
		endStage := introEndings[g.k%len(introEndings)]
		start := g.at.Add(g.days(1, 10))
		if start.After(g.now) {
			start = g.now
		}
		if _, _, err := g.intro(ctx, tx, g.role(0), start, pathTo(endStage), false); err != nil {
			return err
		}
		if g.k%3 == 0 { // an earlier one that did not work out
			if _, _, err := g.intro(ctx, tx, g.role(11), start.Add(-g.days(10, 20)), pathTo(tsunagu.IntroDeclinedByCompany), false); err != nil {
				return err
			}
		}
	case final == tsunagu.StageClosed && closeAt == tsunagu.StageJobSearch:
		if _, _, err := g.intro(ctx, tx, g.role(5), g.at.Add(-g.days(10, 20)), pathTo(tsunagu.IntroWithdrawn), false); err != nil {
			return err
		}
	case hired:
		if err := g.hire(ctx, tx, final, hireAt, leaver); err != nil {
			return err
		}
	}
	return postgres.RecomputeCaseTimes(ctx, tx, g.caseID)
}

// hire writes the hiring introduction, the check-ins (answered when past),
// the moves into retention and settled, and the residence-status track.
func (g *caseGen) hire(ctx context.Context, tx *postgres.Tx, final tsunagu.CaseStage, hireAt time.Time, leaver bool) error {
	if g.k%3 == 1 { // an earlier introduction that ended with the company's no
		if _, _, err := g.intro(ctx, tx, g.role(13), hireAt.Add(-g.days(50, 70)), pathTo(tsunagu.IntroDeclinedByCompany), false); err != nil {
			return err
		}
	}
	uses := g.k%4 != 3
	// The introduction's last move (hired) falls on hireAt.
	start := hireAt.Add(-5 * 8 * 24 * time.Hour)
	in, _, err := g.introAt(ctx, tx, g.role(0), start, hireAt, uses)
	if err != nil {
		return err
	}
	g.at = hireAt
	if err := g.move(ctx, tx, tsunagu.StageHired, "", &in); err != nil {
		return err
	}
	g.stage = tsunagu.StageHired
	yes, no := true, false
	for _, f := range tsunagu.RetentionSchedule(hireAt) {
		f.CaseID, f.IntroductionID = g.caseID, in
		if err := postgres.CreateFollowup(ctx, tx, &f); err != nil {
			return err
		}
		if f.Month == 1 && f.Party == tsunagu.PartyCandidate && !f.DueAt.After(g.now) {
			g.at = f.DueAt
			if err := g.move(ctx, tx, tsunagu.StageRetention, "case.auto.retention", nil); err != nil {
				return err
			}
		}
		answeredAt := f.DueAt.Add(g.days(0, 10))
		// Past check-ins are answered, but a few recent ones are left
		// overdue for the coordinator to chase.
		overdue := final == tsunagu.StageRetention && g.k%5 == 2 && f.DueAt.After(g.now.Add(-60*24*time.Hour))
		if answeredAt.After(g.now) || overdue {
			ids := map[string]int64{"followup_id": f.ID}
			if err := postgres.AddOutbox(ctx, tx, cases.TaskFollowupDue, fmt.Sprintf("followup:%d:due", f.ID), f.DueAt, ids); err != nil {
				return err
			}
			if err := postgres.AddOutbox(ctx, tx, cases.TaskFollowupOverdue, fmt.Sprintf("followup:%d:overdue", f.ID), f.DueAt.Add(tsunagu.FollowupGrace), ids); err != nil {
				return err
			}
			continue
		}
		employed := &yes
		if leaver && f.Month >= 6 {
			employed = &no
		}
		sat := 3 + g.r.IntN(3)
		issues := ""
		if sat == 3 {
			issues = "通勤が長い / long commute"
		}
		by := g.recorder
		if by == 0 {
			continue
		}
		a := tsunagu.FollowupAnswer{StillEmployed: employed, Satisfaction: sat, Issues: issues}
		if err := postgres.CompleteFollowup(ctx, tx, f.ID, a, by, answeredAt); err != nil {
			return err
		}
		if err := postgres.MarkFollowupReminded(ctx, tx, f.ID, f.DueAt); err != nil {
			return err
		}
		to := "answered"
		if !*employed {
			to = "left"
		}
		if err := postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: g.caseID, Kind: tsunagu.EventFollowup,
			From: fmt.Sprintf("%d:%s", f.Month, f.Party), To: to, Note: fmt.Sprintf("%d/5", sat), ActorID: &by, FollowupID: &f.ID, At: answeredAt}); err != nil {
			return err
		}
		if leaver && f.Month == 6 && f.Party == tsunagu.PartyEmployer && g.stage == tsunagu.StageRetention {
			g.at = answeredAt
			if err := g.move(ctx, tx, tsunagu.StageJobSearch, "", nil); err != nil {
				return err
			}
		}
		if f.Month == 12 && f.Party == tsunagu.PartyEmployer && final == tsunagu.StageSettled {
			g.at = answeredAt
			if err := g.move(ctx, tx, tsunagu.StageSettled, "case.auto.settled", nil); err != nil {
				return err
			}
		}
	}
	// Residence status: many apply after the hire; most changes go through.
	applyAt := hireAt.Add(g.days(10, 30))
	if applyAt.Before(g.now) && g.k%4 != 0 {
		if err := g.residence(ctx, tx, tsunagu.ResidenceNotStarted, tsunagu.ResidenceApplied, applyAt); err != nil {
			return err
		}
		decideAt := applyAt.Add(g.days(40, 90))
		if decideAt.Before(g.now) {
			to := tsunagu.ResidenceChanged
			if g.k%7 == 3 {
				to = tsunagu.ResidenceRefused
			}
			if err := g.residence(ctx, tx, tsunagu.ResidenceApplied, to, decideAt); err != nil {
				return err
			}
		}
	}
	return nil
}

// introAt writes the hiring introduction so its hire falls on hireAt.
func (g *caseGen) introAt(ctx context.Context, tx *postgres.Tx, role caseRole, start, hireAt time.Time, uses bool) (int64, time.Time, error) {
	id, err := postgres.CreateIntroduction(ctx, tx, g.caseID, g.cand.ID, role.ID, g.coord, start)
	if err != nil {
		return 0, start, err
	}
	if err := postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: g.caseID, Kind: tsunagu.EventIntroduction,
		To: string(tsunagu.IntroSuggested), ActorID: g.coord, IntroductionID: &id, At: start}); err != nil {
		return 0, start, err
	}
	path := pathTo(tsunagu.IntroHired)
	step := hireAt.Sub(start) / time.Duration(len(path))
	from, at := tsunagu.IntroSuggested, start
	for n, to := range path {
		at = start.Add(step * time.Duration(n+1))
		var usesP *bool
		if to == tsunagu.IntroHired {
			at, usesP = hireAt, &uses
		}
		if err := postgres.SetIntroductionStage(ctx, tx, id, to, usesP, at); err != nil {
			return 0, at, err
		}
		actor := g.coord
		if to == tsunagu.IntroConsented {
			actor = g.cand.UserID
		}
		if err := postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: g.caseID, Kind: tsunagu.EventIntroduction,
			From: string(from), To: string(to), ActorID: actor, IntroductionID: &id, At: at}); err != nil {
			return 0, at, err
		}
		from = to
	}
	return id, at, nil
}

func (g *caseGen) residence(ctx context.Context, tx *postgres.Tx, from, to tsunagu.ResidenceTrack, at time.Time) error {
	if err := postgres.SetCaseResidence(ctx, tx, g.caseID, to, at); err != nil {
		return err
	}
	return postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: g.caseID, Kind: tsunagu.EventResidence, From: string(from), To: string(to), ActorID: g.coord, At: at})
}
