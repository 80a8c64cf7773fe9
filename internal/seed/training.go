package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
	"github.com/tsunagu-org/tsunagu/internal/training"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// demoProgrammes are the demo training programmes; skills are ESCO skills
// picked from the taxonomy by position, so every database gets the same.
var demoProgrammes = []struct {
	ext, ja, en, descJA, descEN, kind, format string
	capacity, attendance                      int
	assessment                                bool
	skills                                    []int
}{
	{"demo-prog-1", "ビジネス日本語（N3→N2）", "Business Japanese (N3 to N2)", "職場で使う敬語、メール、会議の日本語。", "Keigo, e-mail and meetings in Japanese at work.", tsunagu.SkillSoft, tsunagu.FormatHybrid, 12, 80, true, []int{0, 1}},
	{"demo-prog-2", "日本の会計実務", "Japanese accounting practice", "日本の会計基準と会計ソフトの実務。", "Japanese accounting standards and accounting software in practice.", tsunagu.SkillHard, tsunagu.FormatInPerson, 3, 75, false, []int{2, 3}},
	{"demo-prog-3", "日本の職場文化", "Japanese workplace culture", "報連相、チームワーク、職場のルール。", "Hou-ren-sou, teamwork and the unwritten rules of Japanese workplaces.", tsunagu.SkillSoft, tsunagu.FormatOnline, 20, 70, false, []int{4}},
}

// Training creates the demo programmes with a cohort each, enrolments
// (one cohort full with a waiting list, one enrolment completed, its
// skills verified on the profile), a workshop request and two delivered
// workshops given by the first demo speaker (one with feedback, one at
// a second company). Programmes and workshops are found by their
// fixed external ids: a second run changes nothing. It uses the first
// demo candidates and companies (run Profiles first); with none, it
// creates the programmes only.
func Training(ctx context.Context, db *postgres.DB) error {
	if _, err := db.ProgrammeByExternalID(ctx, demoProgrammes[0].ext); err == nil {
		return nil
	} else if tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
		return err
	}
	tax, err := taxonomy.Load()
	if err != nil {
		return fmt.Errorf("seed training: %w", err)
	}
	skills := tax.Skills()
	admin := &tsunagu.User{Role: tsunagu.RoleAdmin, DisplayName: "seed"}
	if coord, err := db.UserByEmail(ctx, DemoUsers[2].Email); err == nil {
		admin = coord
	}
	ctx = tsunagu.NewContextWithUser(ctx, admin)
	svc := training.New(db)
	svc.Now = func() time.Time { return time.Date(2026, 4, 20, 9, 0, 0, 0, time.UTC) }

	cands, _, err := db.ListCandidates(ctx, tsunagu.CandidateFilter{Limit: 500})
	if err != nil {
		return err
	}
	// ListCandidates is newest first; take the oldest (the first demo ones).
	for i, j := 0, len(cands)-1; i < j; i, j = i+1, j-1 {
		cands[i], cands[j] = cands[j], cands[i]
	}
	start := time.Date(2026, 4, 6, 0, 0, 0, 0, time.UTC)
	for pi, dp := range demoProgrammes {
		p := &tsunagu.Programme{ExternalID: dp.ext, TitleJA: dp.ja, TitleEN: dp.en, DescriptionJA: dp.descJA, DescriptionEN: dp.descEN,
			Kind: dp.kind, Format: dp.format, Capacity: dp.capacity, MinAttendance: dp.attendance, Assessment: dp.assessment, Active: true}
		for _, si := range dp.skills {
			if si < len(skills) {
				p.Skills = append(p.Skills, tsunagu.ProgrammeSkill{URI: skills[si].URI, Label: tax.Label(skills[si], "en")})
			}
		}
		if err := svc.SaveProgramme(ctx, p); err != nil {
			return fmt.Errorf("seed programme %s: %w", dp.ext, err)
		}
		c := &tsunagu.Cohort{ProgrammeID: p.ID, Name: "2026 Spring", StartsOn: start.AddDate(0, 0, 7*pi), EndsOn: start.AddDate(0, 2, 7*pi),
			Trainer: "佐々木 先生", Place: "Shinjuku, Tokyo"}
		if dp.format != tsunagu.FormatInPerson {
			c.OnlineURL = "https://meet.example.org/tsunagu-" + dp.ext
		}
		if dp.format == tsunagu.FormatOnline {
			c.Place = ""
		}
		for s := range 4 {
			c.Sessions = append(c.Sessions, &tsunagu.CohortSession{StartsAt: c.StartsOn.AddDate(0, 0, 7*s).Add(time.Hour), Topic: fmt.Sprintf("Session %d", s+1)})
		}
		if err := svc.CreateCohort(ctx, c); err != nil {
			return fmt.Errorf("seed cohort %s: %w", dp.ext, err)
		}
		// Programme 2 (capacity 3) gets five: two wait.
		n := []int{2, 5, 1}[pi]
		for i := 0; i < n && i+pi < len(cands); i++ {
			e, err := svc.Enrol(ctx, c.ID, cands[i+pi].ID, true)
			if err != nil {
				return fmt.Errorf("seed enrolment: %w", err)
			}
			if pi == 0 && i == 1 { // the second candidate of programme 1 completed it
				cv, err := svc.FindCohort(ctx, c.ID)
				if err != nil {
					return err
				}
				for _, s := range cv.Cohort.Sessions {
					if err := svc.MarkAttendance(ctx, c.ID, s.ID, []int64{e.ID}); err != nil {
						return err
					}
				}
				yes := true
				if _, err := svc.Complete(ctx, e.ID, &yes); err != nil {
					return fmt.Errorf("seed completion: %w", err)
				}
			}
		}
	}
	return seedWorkshops(ctx, db, cands)
}

func seedWorkshops(ctx context.Context, db *postgres.DB, cands []*tsunagu.Candidate) error {
	companies, _, err := db.ListCompanies(ctx, tsunagu.CompanyFilter{Limit: 2})
	if err != nil || len(companies) == 0 {
		return err
	}
	var speakers []*tsunagu.Candidate
	for _, c := range cands {
		if len(speakers) < 2 && c.Visibility != tsunagu.VisibilityHidden {
			if !c.SpeakerOptIn {
				c.SpeakerOptIn = true
				c.Version = 0 // read before the enrolments above touched it: save unconditionally
				if err := db.SaveCandidate(ctx, c); err != nil {
					return err
				}
			}
			speakers = append(speakers, c)
		}
	}
	co := companies[0]
	day := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	req := &tsunagu.Workshop{CompanyID: co.ID, Topic: "多文化チームで働く / Working in multicultural teams", Audience: 40,
		PreferredDates: []time.Time{day("2026-09-10"), day("2026-09-17")}, Language: "ja", Notes: "新入社員研修の一コマとして"}
	if err := db.CreateWorkshop(ctx, req, "demo-ws-1"); err != nil {
		return err
	}
	done := &tsunagu.Workshop{CompanyID: co.ID, Topic: "シリアのIT業界から学ぶ / Lessons from Syria's IT sector", Audience: 25,
		PreferredDates: []time.Time{day("2026-03-05")}, Language: "en"}
	if err := db.CreateWorkshop(ctx, done, "demo-ws-2"); err != nil {
		return err
	}
	// A second delivered workshop, at another company, so that the first
	// company's card of the lecturer shows the summary of workshops given
	// elsewhere (its own is left out of it).
	var elsewhere *tsunagu.Workshop
	if len(companies) > 1 {
		elsewhere = &tsunagu.Workshop{CompanyID: companies[1].ID, Topic: "異文化のお客様を迎える / Welcoming guests from other cultures",
			Audience: 20, PreferredDates: []time.Time{day("2026-06-18")}, Language: "ja"}
		if err := db.CreateWorkshop(ctx, elsewhere, "demo-ws-3"); err != nil {
			return err
		}
	}
	if len(speakers) == 0 {
		return nil
	}
	at := time.Date(2026, 3, 5, 5, 0, 0, 0, time.UTC)
	return db.InTx(ctx, func(tx *postgres.Tx) error {
		if elsewhere != nil {
			at2 := time.Date(2026, 6, 18, 4, 0, 0, 0, time.UTC)
			if err := postgres.ProposeLecturer(ctx, tx, elsewhere.ID, speakers[0].ID, nil, at2.AddDate(0, 0, -21)); err != nil {
				return err
			}
			if err := postgres.SetLecturerStatus(ctx, tx, elsewhere.ID, speakers[0].ID, tsunagu.LecturerAccepted, at2.AddDate(0, 0, -20)); err != nil {
				return err
			}
			if err := postgres.ScheduleWorkshop(ctx, tx, elsewhere.ID, at2, companies[1].Name, at2.AddDate(0, 0, -14)); err != nil {
				return err
			}
			if err := postgres.SetWorkshopDelivered(ctx, tx, elsewhere.ID, 18, at2.Add(2*time.Hour)); err != nil {
				return err
			}
		}
		if err := postgres.ProposeLecturer(ctx, tx, done.ID, speakers[0].ID, nil, at.AddDate(0, 0, -20)); err != nil {
			return err
		}
		if err := postgres.SetLecturerStatus(ctx, tx, done.ID, speakers[0].ID, tsunagu.LecturerAccepted, at.AddDate(0, 0, -18)); err != nil {
			return err
		}
		if err := postgres.ScheduleWorkshop(ctx, tx, done.ID, at, "Sakura Logistics HQ, Tokyo", at.AddDate(0, 0, -15)); err != nil {
			return err
		}
		if err := postgres.SetWorkshopDelivered(ctx, tx, done.ID, 23, at.Add(3*time.Hour)); err != nil {
			return err
		}
		fb := &tsunagu.WorkshopFeedback{WorkshopID: done.ID, Party: "company", Rating: 5,
			Comment: "社員の視野が広がりました。/ It opened our staff's eyes.", CreatedAt: at.AddDate(0, 0, 2)}
		if err := postgres.AddWorkshopFeedback(ctx, tx, fb); err != nil {
			return err
		}
		if len(speakers) > 1 {
			return postgres.ProposeLecturer(ctx, tx, req.ID, speakers[1].ID, nil, at)
		}
		return nil
	})
}
