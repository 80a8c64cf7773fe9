package profile

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func roleSubject(r *tsunagu.JobRole, companies []int64) tsunagu.Subject {
	return tsunagu.Subject{CompanyID: r.CompanyID, ViewerCompanyIDs: companies, Published: r.Status == tsunagu.RoleOpen}
}

// FindRoleByID returns a role: open roles to any signed-in user, others to
// staff and the company's members. Returns EUNAUTHORIZED, ENOTFOUND.
func (s *Service) FindRoleByID(ctx context.Context, id int64) (*tsunagu.JobRole, error) {
	u, companies, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.store.RoleByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !tsunagu.Can(u, tsunagu.ActRoleView, roleSubject(r, companies)) {
		return nil, tsunagu.NotFound()
	}
	return r, nil
}

// ListRoles lists the roles the caller may see: staff all; others open
// roles, and company members also their own companies' drafts and closed
// roles. Returns EUNAUTHORIZED.
func (s *Service) ListRoles(ctx context.Context, f tsunagu.RoleFilter) ([]*tsunagu.JobRole, int, error) {
	u, companies, err := s.viewer(ctx)
	if err != nil {
		return nil, 0, err
	}
	var own []int64
	if !u.Role.Staff() {
		want := f.Status
		switch {
		case want == "" || want == tsunagu.RoleOpen:
			f.Status, own = tsunagu.RoleOpen, companies
		case f.CompanyID != 0 && member(companies, f.CompanyID):
			// Their own company's drafts or closed roles.
		default:
			return []*tsunagu.JobRole{}, 0, nil
		}
	}
	list, total, err := s.store.ListRoles(ctx, f, own)
	if err != nil {
		return nil, 0, err
	}
	out := list[:0]
	for _, r := range list {
		if tsunagu.Can(u, tsunagu.ActRoleView, roleSubject(r, companies)) {
			out = append(out, r)
		} else {
			total--
		}
	}
	return out, total, nil
}

// prepareRole normalises r, resolves its title and skills to ESCO, works
// out its likeliest occupations and validates every field.
func (s *Service) prepareRole(ctx context.Context, r *tsunagu.JobRole) error {
	if r.Status == "" {
		r.Status = tsunagu.RoleDraft
	}
	if r.EmploymentType == "" {
		r.EmploymentType = "full_time"
	}
	if r.RequiredSkills == nil {
		r.RequiredSkills = []tsunagu.SkillRef{}
	}
	if r.PreferredSkills == nil {
		r.PreferredSkills = []tsunagu.SkillRef{}
	}
	if r.Languages == nil {
		r.Languages = []tsunagu.LanguageSkill{}
	}
	r.Normalize()
	s.resolveOccupation(ctx, &r.OccupationURI, r.Title, "en")
	s.resolveSkills(ctx, r.RequiredSkills, "en")
	s.resolveSkills(ctx, r.PreferredSkills, "en")
	r.OccupationGuesses = nil // never read from the caller
	if s.guesser != nil {
		r.OccupationGuesses = s.guesser.RoleOccupations(r, roleGuesses)
	}
	v, err := validation(r.Validate())
	if err != nil {
		return err
	}
	s.checkOccupationURI(v, "occupation_uri", r.OccupationURI)
	s.checkSkillURIs(v, "required_skills", r.RequiredSkills)
	s.checkSkillURIs(v, "preferred_skills", r.PreferredSkills)
	return v.Err()
}

// SaveRole creates or updates a role of r.CompanyID (staff or the
// company's members; a role never moves to a company the caller is not a
// member of). An update with a Version saves only if the role is still at
// that version. Returns EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID,
// ECONFLICT (tsunagu.Stale).
func (s *Service) SaveRole(ctx context.Context, r *tsunagu.JobRole) error {
	u, companies, err := s.viewer(ctx)
	if err != nil {
		return err
	}
	if r.ID != 0 {
		stored, err := s.store.RoleByID(ctx, r.ID)
		if err != nil {
			return err
		}
		sub := roleSubject(stored, companies)
		if !tsunagu.Can(u, tsunagu.ActRoleEdit, sub) {
			if tsunagu.Can(u, tsunagu.ActRoleView, sub) {
				return tsunagu.Forbidden()
			}
			return tsunagu.NotFound()
		}
		if r.CompanyID == 0 {
			r.CompanyID = stored.CompanyID
		}
		if !u.Role.Staff() {
			r.ExternalID = stored.ExternalID
		}
	}
	if r.CompanyID == 0 {
		var v tsunagu.Validation
		v.Add("company_id", tsunagu.MsgRequired, nil)
		return v.Err()
	}
	if !tsunagu.Can(u, tsunagu.ActRoleEdit, tsunagu.Subject{CompanyID: r.CompanyID, ViewerCompanyIDs: companies}) {
		return tsunagu.Forbidden()
	}
	company, err := s.store.CompanyByID(ctx, r.CompanyID)
	if err != nil {
		return err
	}
	r.CompanyName = company.Name
	if err := s.prepareRole(ctx, r); err != nil {
		return err
	}
	if err := s.store.SaveRole(ctx, r); err != nil {
		if tsunagu.ErrorCode(err) == tsunagu.ECONFLICT {
			return conflictField(err, map[string]string{"roles_external_id_key": "external_id"})
		}
		return fmt.Errorf("save role: %w", err)
	}
	return nil
}

// DeleteRole removes a role (staff or the company's members). Returns
// EUNAUTHORIZED, ENOTFOUND, EFORBIDDEN.
func (s *Service) DeleteRole(ctx context.Context, id int64) error {
	u, companies, err := s.viewer(ctx)
	if err != nil {
		return err
	}
	r, err := s.store.RoleByID(ctx, id)
	if err != nil {
		return err
	}
	sub := roleSubject(r, companies)
	if !tsunagu.Can(u, tsunagu.ActRoleEdit, sub) {
		if tsunagu.Can(u, tsunagu.ActRoleView, sub) {
			return tsunagu.Forbidden()
		}
		return tsunagu.NotFound()
	}
	return s.store.DeleteRole(ctx, id)
}

// ImportRole creates or updates the role with r.ExternalID (staff:
// tsunagu.ActRoleImport), creating its company by r.CompanyName when there
// is none. A role equal to the stored one is not saved (ImportUnchanged).
// Returns EUNAUTHORIZED, EFORBIDDEN, EINVALID.
func (s *Service) ImportRole(ctx context.Context, r *tsunagu.JobRole) (tsunagu.ImportOutcome, error) {
	u := tsunagu.UserFromContext(ctx)
	if u == nil {
		return "", unauthorized()
	}
	if !tsunagu.Can(u, tsunagu.ActRoleImport, tsunagu.Subject{}) {
		return "", tsunagu.Forbidden()
	}
	var v tsunagu.Validation
	if r.ExternalID == "" {
		v.Add("id", tsunagu.MsgRequired, nil)
	}
	if r.CompanyName == "" {
		v.Add("company", tsunagu.MsgRequired, nil)
	}
	if err := v.Err(); err != nil {
		return "", err
	}
	// Validate before creating the company, so a bad line creates nothing.
	if err := s.prepareRole(ctx, r); err != nil {
		return "", err
	}
	company, err := s.store.EnsureCompany(ctx, r.CompanyName)
	if err != nil {
		return "", fmt.Errorf("import role: %w", err)
	}
	r.CompanyID, r.CompanyName = company.ID, company.Name
	r.Version = 0 // an import updates whatever the version
	stored, err := s.store.RoleByExternalID(ctx, r.ExternalID)
	switch tsunagu.ErrorCode(err) {
	case "":
		r.ID = stored.ID
		if sameRole(stored, r) {
			r.Version, r.CreatedAt, r.UpdatedAt = stored.Version, stored.CreatedAt, stored.UpdatedAt
			return tsunagu.ImportUnchanged, nil
		}
	case tsunagu.ENOTFOUND:
		r.ID = 0
	default:
		return "", err
	}
	if err := s.store.SaveRole(ctx, r); err != nil {
		return "", fmt.Errorf("import role: %w", err)
	}
	if stored != nil {
		return tsunagu.ImportUpdated, nil
	}
	return tsunagu.ImportCreated, nil
}

func sameRole(a, b *tsunagu.JobRole) bool {
	x, y := *a, *b
	x.CreatedAt, x.UpdatedAt, y.CreatedAt, y.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	x.Version, y.Version = 0, 0
	return reflect.DeepEqual(x, y)
}
