// Package profilehttp serves the pages and JSON API of candidate
// profiles, anonymised cards, companies, roles, a candidate's own data
// (export and erasure), coordinator uploads and the taxonomy suggestions.
// It follows the conventions of internal/http (see server.go) and
// registers through thttp.Router: parse → validate → call the service →
// respond, every failure through Server.Fail or RenderForm. Every
// permission decision is the services' (tsunagu.Can).
package profilehttp

import (
	"context"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/importer"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Handlers holds what the pages call: the services behind the candidate,
// company and role pages and API.
type Handlers struct {
	Candidates tsunagu.CandidateService
	Companies  tsunagu.CompanyService
	Roles      tsunagu.RoleService
	// Checker previews an upload without saving (profile.Service).
	Checker importer.Checker
	Imports ImportJobs
	// ImportTask is the task type that runs a queued upload (importer.TaskImport).
	ImportTask string
	// OccupationLabel names ESCO occupations in a language (nil: the URI
	// is shown).
	OccupationLabel func(uri, lang string) string
	// Workshops gives the "Workshops given" section of a profile and a
	// card as the viewer may see it (workshop.Service; nil: no section).
	Workshops LecturerWorkshops
	// Duplicates finds, lists, merges and dismisses likely duplicate
	// candidates (profile.Service; nil: no checks, no review pages).
	Duplicates Duplicates
	// ResolveSkill links a skill typed on the role form to its ESCO skill
	// (profile.Service; nil: skills are saved as typed).
	ResolveSkill func(ctx context.Context, label, lang string) (uri string, ok bool)
	// DB exports and erases a candidate's own data and finds the account
	// added to a company.
	DB *postgres.DB

	s *thttp.Server
}

// Register adds every route (an app.Routes entry).
func (h *Handlers) Register(r *thttp.Router) {
	h.s = r.Server
	h.registerCandidate(r.Engine, r.API)
	h.registerCompany(r.Engine, r.API)
	h.registerRole(r.Engine, r.API)
	h.registerMyData(r.Engine, r.API)
	h.registerDuplicates(r.Engine, r.API)
	r.HomeWidget(tsunagu.RoleCompany, h.pendingCompanies)
}

// LecturerWorkshops is a lecturer's workshop history as the caller may
// see it (workshop.Service.LecturerHistory).
type LecturerWorkshops interface {
	LecturerHistory(ctx context.Context, candidateID int64) (*tsunagu.LecturerHistory, error)
}

// workshops returns the workshop history of a candidate for the page (nil
// when the feature is not wired).
func (h *Handlers) workshops(c *gin.Context, candidateID int64) (*tsunagu.LecturerHistory, error) {
	if h.Workshops == nil {
		return nil, nil
	}
	return h.Workshops.LecturerHistory(c.Request.Context(), candidateID)
}

// labels names the ESCO occupations of uris in the reader's language.
func (h *Handlers) labels(c *gin.Context, uris ...[]string) map[string]string {
	m := map[string]string{}
	if h.OccupationLabel == nil {
		return m
	}
	lang := h.s.Printer(c).Lang
	for _, list := range uris {
		for _, u := range list {
			if u != "" {
				m[u] = h.OccupationLabel(u, lang)
			}
		}
	}
	return m
}

// vocabularies are the allowed values of the profile forms.
type vocabularies struct {
	Prefectures       []tsunagu.Prefecture `json:"prefectures"`
	SkillLevels       []string             `json:"skill_levels"`
	JLPT              []string             `json:"jlpt"`
	CEFR              []string             `json:"cefr"`
	Workplaces        []string             `json:"workplaces"`
	EmploymentTypes   []string             `json:"employment_types"`
	Visibilities      []string             `json:"visibilities"`
	EducationLevels   []string             `json:"education_levels"`
	ResidenceStatuses []string             `json:"residence_statuses"`
	RoleStatuses      []string             `json:"role_statuses"`
	CompanySizes      []string             `json:"company_sizes"`
}

func vocab() vocabularies {
	return vocabularies{
		Prefectures: tsunagu.Prefectures, SkillLevels: tsunagu.SkillLevels, JLPT: tsunagu.JLPTLevels,
		CEFR: tsunagu.CEFRLevels, Workplaces: tsunagu.Workplaces, EmploymentTypes: tsunagu.EmploymentTypes,
		Visibilities: tsunagu.Visibilities, EducationLevels: tsunagu.EducationLevels,
		ResidenceStatuses: tsunagu.ResidenceStatuses, RoleStatuses: tsunagu.RoleStatuses,
		CompanySizes: tsunagu.CompanySizes,
	}
}
