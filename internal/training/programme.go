package training

import (
	"context"
	"fmt"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Editing a programme never moves anyone. What the fields mean for the
// people already in it:
//   - Capacity is the number of places a new cohort gets; every cohort keeps
//     its own. Lowering it below the places taken in a cohort that has not
//     ended leaves that cohort and everyone in it as they are (nobody loses a
//     place, nobody on its waiting list moves); the coordinator confirms
//     having read this before it is saved.
//   - Skills taught and completion criteria apply to completions recorded
//     from now on. A completion already recorded stays as it was, with the
//     skills it verified on the candidate's profile.
//   - Archiving (Active false) takes the programme out of the catalogue and
//     the "roles for you" suggestions and stops requests to join its
//     cohorts; enrolments under way continue and can still be completed.
//     It needs confirmation; restoring does not.

// Impact is what a change to a programme means for the people in its
// cohorts that have not ended.
type Impact struct {
	Cohorts  int `json:"cohorts"`  // cohorts that have not ended
	Enrolled int `json:"enrolled"` // places taken in them
	Waiting  int `json:"waiting"`  // people on their waiting lists
	// Fuller are the cohorts (not ended) seating more people than the
	// capacity asked about.
	Fuller []*tsunagu.Cohort `json:"fuller,omitempty"`
}

// ProgrammeImpact reports what the programme's cohorts that have not
// ended hold, and which of them seat more than capacity (staff). Returns
// EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
func (s *Service) ProgrammeImpact(ctx context.Context, id int64, capacity int) (*Impact, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	return s.impact(ctx, id, capacity)
}

func (s *Service) impact(ctx context.Context, id int64, capacity int) (*Impact, error) {
	cs, err := s.DB.CohortsOfProgramme(ctx, id)
	if err != nil {
		return nil, err
	}
	today := s.now().Truncate(24 * time.Hour)
	imp := &Impact{}
	for _, c := range cs {
		if c.EndsOn.Before(today) {
			continue
		}
		imp.Cohorts++
		imp.Enrolled += c.Seated
		imp.Waiting += c.Waiting
		if c.Seated > capacity {
			imp.Fuller = append(imp.Fuller, c)
		}
	}
	return imp, nil
}

// validate normalises and checks a programme, filling skill labels from
// the vocabulary.
func (s *Service) validate(p *tsunagu.Programme) error {
	p.Normalize()
	var v tsunagu.Validation
	if err := p.Validate(); err != nil {
		for k, f := range tsunagu.AsError(err).Fields {
			v.Add(k, f.ID, f.Data)
		}
	}
	if s.Vocab != nil {
		for i, sk := range p.Skills {
			if !s.Vocab.SkillExists(sk.URI) {
				v.Add("skills", "training.error.unknown_skill", map[string]any{"Value": sk.URI})
				continue
			}
			if sk.Label == "" {
				p.Skills[i].Label = s.Vocab.SkillLabel(sk.URI, "en")
			}
		}
	}
	return v.Err()
}

// CheckProgramme normalises and checks p as saving it would, and saves
// nothing: a form with a field already at fault still shows the others'
// errors.
func (s *Service) CheckProgramme(p *tsunagu.Programme) error { return s.validate(p) }

// Confirm names the consequences of an edit the caller has confirmed.
type Confirm struct {
	// Capacity: lowering the capacity below the places taken in a cohort
	// that has not ended (the cohort keeps its places).
	Capacity bool `json:"capacity"`
	// Archive: archiving the programme.
	Archive bool `json:"archive"`
}

// UpdateProgramme validates and saves the whole of programme p.ID with the
// same checks as creating one. It saves nothing when it would archive
// the programme or lower its capacity below the places taken in a cohort
// that has not ended and ok does not confirm that: it returns EINVALID on
// "active" (training.error.archive_confirm) or "capacity"
// (training.error.capacity_confirm, naming the cohort) instead. Skills
// verified by completions already recorded are left as they are. Returns
// EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID.
func (s *Service) UpdateProgramme(ctx context.Context, p *tsunagu.Programme, ok Confirm) error {
	if _, err := staff(ctx); err != nil {
		return err
	}
	old, err := s.DB.ProgrammeByID(ctx, p.ID)
	if err != nil {
		return err
	}
	if err := s.validate(p); err != nil {
		return err
	}
	var v tsunagu.Validation
	if old.Active && !p.Active && !ok.Archive {
		v.Add("active", "training.error.archive_confirm", nil)
	}
	if p.Capacity < old.Capacity && !ok.Capacity {
		imp, err := s.impact(ctx, p.ID, p.Capacity)
		if err != nil {
			return err
		}
		if len(imp.Fuller) > 0 {
			c := imp.Fuller[0]
			v.Add("capacity", "training.error.capacity_confirm", map[string]any{"Cohort": c.Name, "Seated": c.Seated, "Capacity": p.Capacity})
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	p.ExternalID = old.ExternalID
	if err := s.DB.SaveProgramme(ctx, p); err != nil {
		return fmt.Errorf("update programme: %w", err)
	}
	return nil
}

// SetProgrammeActive archives (active false, only with confirmed) or
// restores a programme. Returns EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND,
// EINVALID (field "active") when archiving is not confirmed.
func (s *Service) SetProgrammeActive(ctx context.Context, id int64, active, confirmed bool) (*tsunagu.Programme, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	for try := 0; ; try++ {
		p, err := s.DB.ProgrammeByID(ctx, id)
		if err != nil {
			return nil, err
		}
		if p.Active == active {
			return p, nil
		}
		if !active && !confirmed {
			return nil, tsunagu.FieldErr("active", "training.error.archive_confirm", nil)
		}
		p.Active = active
		// Saved only if nobody saved the programme since it was read;
		// otherwise read it again, so as not to undo their edit.
		err = s.DB.SaveProgramme(ctx, p)
		if try < 10 && tsunagu.ErrorCode(err) == tsunagu.ECONFLICT {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("archive programme: %w", err)
		}
		return p, nil
	}
}
