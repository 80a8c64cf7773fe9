// Package profile implements the candidate, company and role services:
// validation per field, normalisation to ESCO, and the privacy rules —
// who sees what of a candidate, anonymisation for companies, and the audit
// of every full-profile view. Every permission decision goes through
// tsunagu.Can; nothing above this package needs to re-check.
package profile

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Vocabulary says which ESCO concepts exist. The taxonomy satisfies it
// (see TaxonomyVocabulary).
type Vocabulary interface {
	OccupationExists(uri string) bool
	SkillExists(uri string) bool
}

// Labeler names ESCO concepts; a Vocabulary that also implements it lets
// anonymised cards show normalised job titles.
type Labeler interface {
	OccupationLabel(uri, lang string) string
}

// Resolver normalises free text to ESCO: a skill mention to a skill, a job
// title to an occupation. ok is false when nothing fits well enough.
type Resolver interface {
	ResolveSkill(ctx context.Context, label, lang string) (uri string, ok bool)
	ResolveOccupation(ctx context.Context, title, lang string) (uri string, ok bool)
}

// Consents says whether a candidate consented to an introduction to one of
// the given companies (the introductions feature provides it).
type Consents interface {
	Consented(ctx context.Context, candidateID int64, companyIDs []int64) (bool, error)
}

// CandidateStore keeps candidates (postgres.DB implements it).
type CandidateStore interface {
	CandidateByID(ctx context.Context, id int64) (*tsunagu.Candidate, error)
	CandidateByExternalID(ctx context.Context, externalID string) (*tsunagu.Candidate, error)
	CandidateByUserID(ctx context.Context, userID int64) (*tsunagu.Candidate, error)
	ListCandidates(ctx context.Context, f tsunagu.CandidateFilter) ([]*tsunagu.Candidate, int, error)
	SaveCandidate(ctx context.Context, c *tsunagu.Candidate) error
	// EraseCandidate erases a candidate, their account and everything that
	// identifies them, in one transaction (postgres: erase.go).
	EraseCandidate(ctx context.Context, candidateID, actorID int64) error
}

// CompanyStore keeps companies and memberships (postgres.DB implements it).
type CompanyStore interface {
	CompanyByID(ctx context.Context, id int64) (*tsunagu.Company, error)
	EnsureCompany(ctx context.Context, name string) (*tsunagu.Company, error)
	ListCompanies(ctx context.Context, f tsunagu.CompanyFilter) ([]*tsunagu.Company, int, error)
	SaveCompany(ctx context.Context, c *tsunagu.Company) error
	DeleteCompany(ctx context.Context, id int64) error
	AddCompanyMember(ctx context.Context, companyID, userID int64) error
	RemoveCompanyMember(ctx context.Context, companyID, userID int64) error
	CompanyMembers(ctx context.Context, companyID int64) ([]*tsunagu.User, error)
	IsCompanyAdmin(ctx context.Context, companyID, userID int64) (bool, error)
	CompanyIDsForUser(ctx context.Context, userID int64) ([]int64, error)
	CompaniesForUser(ctx context.Context, userID int64) ([]*tsunagu.Company, error)
	VerifyCompany(ctx context.Context, id, by int64, note string) (*tsunagu.Company, error)
	UserByID(ctx context.Context, id int64) (*tsunagu.User, error)
}

// RoleStore keeps roles (postgres.DB implements it).
type RoleStore interface {
	RoleByID(ctx context.Context, id int64) (*tsunagu.JobRole, error)
	RoleByExternalID(ctx context.Context, externalID string) (*tsunagu.JobRole, error)
	ListRoles(ctx context.Context, f tsunagu.RoleFilter, orCompanies []int64) ([]*tsunagu.JobRole, int, error)
	SaveRole(ctx context.Context, r *tsunagu.JobRole) error
	DeleteRole(ctx context.Context, id int64) error
}

// Auditor writes the audit log (postgres.DB implements it).
type Auditor interface {
	Audit(ctx context.Context, actorID int64, action, subjectType, subjectID string, detail []byte) error
}

// Store is everything the services keep; postgres.DB is one.
type Store interface {
	CandidateStore
	CompanyStore
	RoleStore
	Auditor
}

// Audit actions written by this package.
const (
	AuditViewFull        = "candidate.view_full"
	AuditListFull        = "candidate.list"       // detail "ids": the candidates a list of full profiles returned
	AuditListDuplicates  = "candidate.duplicates" // detail "ids": both people of every likely pair listed
	AuditDeleteCandidate = "candidate.erased"     // written by the store, in the erasure's transaction
)

// Service implements tsunagu.CandidateService, CompanyService and
// RoleService.
type Service struct {
	store    Store
	vocab    Vocabulary        // nil: ESCO URIs are checked for shape only
	resolver Resolver          // nil: free text is kept without an ESCO URI
	consents Consents          // nil: nobody has consented yet
	guesser  OccupationGuesser // nil: roles keep no occupation guesses
}

var (
	_ tsunagu.CandidateService = (*Service)(nil)
	_ tsunagu.CompanyService   = (*Service)(nil)
	_ tsunagu.RoleService      = (*Service)(nil)
)

// Option configures a Service.
type Option func(*Service)

// WithVocabulary checks ESCO URIs against v.
func WithVocabulary(v Vocabulary) Option { return func(s *Service) { s.vocab = v } }

// WithResolver normalises free-text skills and titles with r.
func WithResolver(r Resolver) Option { return func(s *Service) { s.resolver = r } }

// WithOccupationGuesser works out, when a role is saved, the occupations
// it most likely is (shown as "probably X (or Y)" for the author to confirm).
func WithOccupationGuesser(g OccupationGuesser) Option { return func(s *Service) { s.guesser = g } }

// WithConsents lets companies see candidates who consented to them.
func WithConsents(c Consents) Option { return func(s *Service) { s.consents = c } }

// New returns the profile services over store.
func New(store Store, opts ...Option) *Service {
	s := &Service{store: store}
	for _, o := range opts {
		o(s)
	}
	return s
}

func unauthorized() error { return tsunagu.Errorf(tsunagu.EUNAUTHORIZED, "error.unauthorized") }

// viewer returns the signed-in user and, for company users, the companies
// they belong to.
func (s *Service) viewer(ctx context.Context) (*tsunagu.User, []int64, error) {
	u := tsunagu.UserFromContext(ctx)
	if u == nil {
		return nil, nil, unauthorized()
	}
	if u.Role != tsunagu.RoleCompany {
		return u, nil, nil
	}
	ids, err := s.store.CompanyIDsForUser(ctx, u.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("viewer companies: %w", err)
	}
	return u, ids, nil
}

func (s *Service) audit(ctx context.Context, u *tsunagu.User, action, subjectType string, id int64, detail map[string]any) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	var actor int64
	if u != nil {
		actor = u.ID
	}
	subject := ""
	if id != 0 {
		subject = strconv.FormatInt(id, 10)
	}
	if err := s.store.Audit(ctx, actor, action, subjectType, subject, b); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// checkVocabulary adds an error for every ESCO URI in skills that does not
// exist.
func (s *Service) checkSkillURIs(v *tsunagu.Validation, field string, skills []tsunagu.SkillRef) {
	if s.vocab == nil {
		return
	}
	for i, sk := range skills {
		f := fmt.Sprintf("%s[%d].esco_uri", field, i)
		if sk.ESCOURI != "" && !v.Has(f) && !s.vocab.SkillExists(sk.ESCOURI) {
			v.Add(f, tsunagu.MsgUnknownSkill, map[string]any{"Value": sk.ESCOURI})
		}
	}
}

func (s *Service) checkOccupationURI(v *tsunagu.Validation, field, uri string) {
	if s.vocab != nil && uri != "" && !v.Has(field) && !s.vocab.OccupationExists(uri) {
		v.Add(field, tsunagu.MsgUnknownOccupation, map[string]any{"Value": uri})
	}
}

// ResolveSkill returns the ESCO skill whose label (in any language the
// taxonomy has, alternative labels included) is label; false when none
// is, or the service has no resolver.
func (s *Service) ResolveSkill(ctx context.Context, label, lang string) (string, bool) {
	if s.resolver == nil {
		return "", false
	}
	return s.resolver.ResolveSkill(ctx, label, lang)
}

// resolveSkills fills the ESCO URI of skills typed as free text.
func (s *Service) resolveSkills(ctx context.Context, skills []tsunagu.SkillRef, lang string) {
	if s.resolver == nil {
		return
	}
	for i := range skills {
		if skills[i].ESCOURI == "" && skills[i].Label != "" {
			if uri, ok := s.resolver.ResolveSkill(ctx, skills[i].Label, lang); ok {
				skills[i].ESCOURI = uri
			}
		}
	}
}

func (s *Service) resolveOccupation(ctx context.Context, uri *string, title, lang string) {
	if s.resolver == nil || *uri != "" || title == "" {
		return
	}
	if u, ok := s.resolver.ResolveOccupation(ctx, title, lang); ok {
		*uri = u
	}
}

// validation returns the per-field errors of err (from Validate) to add to.
func validation(err error) (*tsunagu.Validation, error) {
	var v tsunagu.Validation
	if err == nil {
		return &v, nil
	}
	e := tsunagu.AsError(err)
	if e == nil || e.Code != tsunagu.EINVALID {
		return nil, err
	}
	for k, f := range e.Fields {
		v.Add(k, f.ID, f.Data)
	}
	return &v, nil
}

func langOr(lang, def string) string {
	if lang == "" {
		return def
	}
	return lang
}
