package tsunagu

import "context"

// CompanyFilter narrows a company listing.
type CompanyFilter struct {
	Query string
	// Status, when set, keeps only companies in that vetting status.
	Status CompanyStatus
	Offset int
	Limit  int
}

// CompanyService manages companies and their members. Every method checks
// the caller (from ctx) through tsunagu.Can.
type CompanyService interface {
	// FindCompanyByID returns a company. Contact details are blanked unless
	// the caller is staff or a member. Returns ENOTFOUND, EUNAUTHORIZED.
	FindCompanyByID(ctx context.Context, id int64) (*Company, error)
	// ListCompanies lists companies (staff). Returns EFORBIDDEN otherwise.
	ListCompanies(ctx context.Context, f CompanyFilter) ([]*Company, int, error)
	// OwnCompanies lists the companies the caller is a member of.
	OwnCompanies(ctx context.Context) ([]*Company, error)
	// SaveCompany validates and saves c (ID 0 creates: staff only).
	// Returns EINVALID, EFORBIDDEN, ENOTFOUND, ECONFLICT (name taken).
	SaveCompany(ctx context.Context, c *Company) error
	// DeleteCompany removes a company and its roles (staff).
	DeleteCompany(ctx context.Context, id int64) error
	// AddCompanyMember makes a company-role user a member (staff).
	// Returns EINVALID when the user is not a company user, ENOTFOUND.
	AddCompanyMember(ctx context.Context, companyID, userID int64) error
	// RemoveCompanyMember ends a membership (staff or the company's
	// admins); the member's access ends at once.
	RemoveCompanyMember(ctx context.Context, companyID, userID int64) error
	// ManagesMembers reports whether the caller may invite and remove the
	// company's members (staff or the company's admins).
	ManagesMembers(ctx context.Context, companyID int64) (bool, error)
	// CompanyMembers lists a company's members (staff or members).
	CompanyMembers(ctx context.Context, companyID int64) ([]*User, error)
	// VerifyCompany records that staff checked a pending company (note says
	// what was checked); its members then see candidates. Returns
	// EFORBIDDEN (not staff), ENOTFOUND, EINVALID (note required).
	VerifyCompany(ctx context.Context, id int64, note string) (*Company, error)
}
