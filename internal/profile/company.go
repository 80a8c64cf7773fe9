package profile

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// FindCompanyByID returns a company to any signed-in user; its contact
// details only to staff and its members. Returns EUNAUTHORIZED, ENOTFOUND.
func (s *Service) FindCompanyByID(ctx context.Context, id int64) (*tsunagu.Company, error) {
	u, companies, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.store.CompanyByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !tsunagu.Can(u, tsunagu.ActCompanyEdit, tsunagu.Subject{CompanyID: c.ID, ViewerCompanyIDs: companies}) {
		c.ContactName, c.ContactEmail, c.ContactPhone = "", "", ""
	}
	return c, nil
}

// ListCompanies lists companies for staff. Returns EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) ListCompanies(ctx context.Context, f tsunagu.CompanyFilter) ([]*tsunagu.Company, int, error) {
	u := tsunagu.UserFromContext(ctx)
	if u == nil {
		return nil, 0, unauthorized()
	}
	if !tsunagu.Can(u, tsunagu.ActCompanyManage, tsunagu.Subject{}) {
		return nil, 0, tsunagu.Forbidden()
	}
	return s.store.ListCompanies(ctx, f)
}

// OwnCompanies lists the companies the caller is a member of. Returns
// EUNAUTHORIZED.
func (s *Service) OwnCompanies(ctx context.Context) ([]*tsunagu.Company, error) {
	u := tsunagu.UserFromContext(ctx)
	if u == nil {
		return nil, unauthorized()
	}
	return s.store.CompaniesForUser(ctx, u.ID)
}

// SaveCompany creates a company (staff) or updates one (staff or a member).
// An update with a Version saves only if the company is still at that
// version. Returns EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID (per
// field; a taken name is error.taken on "name"), ECONFLICT (tsunagu.Stale).
func (s *Service) SaveCompany(ctx context.Context, c *tsunagu.Company) error {
	u, companies, err := s.viewer(ctx)
	if err != nil {
		return err
	}
	if c.ID == 0 {
		if !tsunagu.Can(u, tsunagu.ActCompanyManage, tsunagu.Subject{}) {
			return tsunagu.Forbidden()
		}
	} else {
		stored, err := s.store.CompanyByID(ctx, c.ID)
		if err != nil {
			return err
		}
		if !tsunagu.Can(u, tsunagu.ActCompanyEdit, tsunagu.Subject{CompanyID: stored.ID, ViewerCompanyIDs: companies}) {
			return tsunagu.Forbidden()
		}
		if !u.Role.Staff() {
			c.ExternalID = stored.ExternalID
		}
	}
	c.Normalize()
	if err := c.Validate(); err != nil {
		return err
	}
	if err := s.store.SaveCompany(ctx, c); err != nil {
		if tsunagu.ErrorCode(err) == tsunagu.ECONFLICT {
			return conflictField(err, map[string]string{"companies_name_key": "name", "companies_external_id_key": "external_id"})
		}
		return fmt.Errorf("save company: %w", err)
	}
	return nil
}

// DeleteCompany removes a company with its roles (staff). Returns
// EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
func (s *Service) DeleteCompany(ctx context.Context, id int64) error {
	u := tsunagu.UserFromContext(ctx)
	if u == nil {
		return unauthorized()
	}
	if !tsunagu.Can(u, tsunagu.ActCompanyManage, tsunagu.Subject{}) {
		return tsunagu.Forbidden()
	}
	return s.store.DeleteCompany(ctx, id)
}

// AddCompanyMember makes a company user a member (staff). Returns
// EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID ("user_id" when the user
// is not a company user).
func (s *Service) AddCompanyMember(ctx context.Context, companyID, userID int64) error {
	u := tsunagu.UserFromContext(ctx)
	if u == nil {
		return unauthorized()
	}
	if !tsunagu.Can(u, tsunagu.ActCompanyManage, tsunagu.Subject{}) {
		return tsunagu.Forbidden()
	}
	member, err := s.store.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	if member.Role != tsunagu.RoleCompany {
		var v tsunagu.Validation
		v.Add("user_id", tsunagu.MsgInvalidChoice, map[string]any{"Value": member.Email})
		return v.Err()
	}
	if _, err := s.store.CompanyByID(ctx, companyID); err != nil {
		return err
	}
	return s.store.AddCompanyMember(ctx, companyID, userID)
}

// RemoveCompanyMember ends a membership: staff, or an admin of the
// company (not their own). The member's access to the company's roles,
// matches and consented identities ends with the request that removes
// them: every request reads the caller's memberships afresh. Returns
// EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
func (s *Service) RemoveCompanyMember(ctx context.Context, companyID, userID int64) error {
	u := tsunagu.UserFromContext(ctx)
	if u == nil {
		return unauthorized()
	}
	ok, err := s.ManagesMembers(ctx, companyID)
	if err != nil {
		return err
	}
	if !ok {
		return tsunagu.Forbidden()
	}
	if !u.Role.Staff() && u.ID == userID {
		return tsunagu.Errorf(tsunagu.EFORBIDDEN, "error.cannot_remove_self")
	}
	if err := s.store.RemoveCompanyMember(ctx, companyID, userID); err != nil {
		return err
	}
	return s.audit(ctx, u, "company.member_remove", "company", companyID, map[string]any{"user_id": userID})
}

// ManagesMembers reports whether the caller may invite and remove the
// company's members: staff, or an admin member of the company (pending or
// verified). Returns EUNAUTHORIZED.
func (s *Service) ManagesMembers(ctx context.Context, companyID int64) (bool, error) {
	u := tsunagu.UserFromContext(ctx)
	if u == nil {
		return false, unauthorized()
	}
	if tsunagu.Can(u, tsunagu.ActCompanyManage, tsunagu.Subject{}) {
		return true, nil
	}
	if u.Role != tsunagu.RoleCompany {
		return false, nil
	}
	return s.store.IsCompanyAdmin(ctx, companyID, u.ID)
}

// VerifyCompany records that staff checked a pending company: note says
// what was checked (registry entry, call to the company, visit), and the
// audit log keeps who and when. From then on its members see candidates.
// Returns EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID (note required).
func (s *Service) VerifyCompany(ctx context.Context, id int64, note string) (*tsunagu.Company, error) {
	u := tsunagu.UserFromContext(ctx)
	if u == nil {
		return nil, unauthorized()
	}
	if !tsunagu.Can(u, tsunagu.ActCompanyManage, tsunagu.Subject{}) {
		return nil, tsunagu.Forbidden()
	}
	note = strings.TrimSpace(note)
	var v tsunagu.Validation
	if note == "" {
		v.Add("verification_note", "error.required", nil)
	} else if utf8.RuneCountInString(note) > 2000 {
		v.Add("verification_note", "error.too_long", map[string]any{"Max": 2000})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	c, err := s.store.VerifyCompany(ctx, id, u.ID, note)
	if err != nil {
		return nil, err
	}
	if err := s.audit(ctx, u, "company.verify", "company", c.ID, map[string]any{"note": note}); err != nil {
		return nil, err
	}
	return c, nil
}

// CompanyMembers lists a company's members to staff and its members.
// Returns EUNAUTHORIZED, ENOTFOUND (also when the caller may not see them).
func (s *Service) CompanyMembers(ctx context.Context, companyID int64) ([]*tsunagu.User, error) {
	u, companies, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	if !tsunagu.Can(u, tsunagu.ActCompanyEdit, tsunagu.Subject{CompanyID: companyID, ViewerCompanyIDs: companies}) {
		return nil, tsunagu.NotFound()
	}
	return s.store.CompanyMembers(ctx, companyID)
}

func member(companies []int64, id int64) bool { return slices.Contains(companies, id) }
