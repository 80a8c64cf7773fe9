package http

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/importer"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// ImportJobs keeps coordinator uploads (postgres.DB implements it).
type ImportJobs interface {
	CreateImportJob(ctx context.Context, j *postgres.ImportJob) error
	ImportJobByID(ctx context.Context, id int64) (*postgres.ImportJob, error)
	QueueImportJob(ctx context.Context, id int64, taskType string) error
}

// Profiles are the services behind the candidate, company and role pages
// and API. Every permission decision is the services' (tsunagu.Can).
type Profiles struct {
	Candidates tsunagu.CandidateService
	Companies  tsunagu.CompanyService
	Roles      tsunagu.RoleService
	// Checker previews an upload without saving (profile.Service).
	Checker importer.Checker
	Imports ImportJobs
	// ImportTask is the task type that runs a queued upload (jobs.TypeImport).
	ImportTask string
	// OccupationLabel and SkillLabel name ESCO concepts in a language
	// (nil: the URI is shown).
	OccupationLabel func(uri, lang string) string
	// Workshops gives the "Workshops given" section of a profile and a
	// card as the viewer may see it (workshop.Service; nil: no section).
	Workshops LecturerWorkshops
}

// LecturerWorkshops is a lecturer's workshop history as the caller may
// see it (workshop.Service.LecturerHistory).
type LecturerWorkshops interface {
	LecturerHistory(ctx context.Context, candidateID int64) (*tsunagu.LecturerHistory, error)
}

// workshops returns the workshop history of a candidate for the page (nil
// when the feature is not wired).
func (h *profileHandlers) workshops(c *gin.Context, candidateID int64) (*tsunagu.LecturerHistory, error) {
	if h.p.Workshops == nil {
		return nil, nil
	}
	return h.p.Workshops.LecturerHistory(c.Request.Context(), candidateID)
}

// profileHandlers serve candidates, companies and roles.
type profileHandlers struct {
	s *Server
	p Profiles
}

// ProfileRoutes registers the candidate, company and role pages and API
// (app.wire adds it to Deps.Routes).
func ProfileRoutes(p Profiles) func(r *Router) {
	return func(rt *Router) {
		h := &profileHandlers{s: rt.Server, p: p}
		h.registerCandidate(rt.Engine, rt.API)
		h.registerCompany(rt.Engine, rt.API)
		h.registerRole(rt.Engine, rt.API)
	}
}

func init() {
	cand := map[string]any{"type": "object", "description": "A candidate profile (see tsunagu.Candidate)"}
	card := map[string]any{"type": "object", "description": "An anonymised candidate card (see tsunagu.CandidateCard)"}
	list := func(item map[string]any) map[string]any {
		return Obj(map[string]any{"items": map[string]any{"type": "array", "items": item}, "total": map[string]any{"type": "integer"}}, "items", "total")
	}
	job := map[string]any{"type": "object", "description": "An upload: status, total, processed, imported, unchanged, rejected, errors"}
	DocumentAPI(
		APIOp{Method: "GET", Path: "/me/candidate", Summary: "The signed-in candidate's own profile, with its completeness", Tag: "candidates", Response: cand},
		APIOp{Method: "PUT", Path: "/me/candidate", Summary: "Create or update the signed-in candidate's own profile", Tag: "candidates", Request: cand, Response: cand},
		APIOp{Method: "GET", Path: "/candidates", Summary: "Full profiles (staff); ?q=&visibility=&offset=&limit=", Tag: "candidates", Response: list(cand)},
		APIOp{Method: "POST", Path: "/candidates", Summary: "Create a profile (staff)", Tag: "candidates", Request: cand, Response: cand, Status: 201},
		APIOp{Method: "GET", Path: "/candidates/:id", Summary: "A full profile (staff, the candidate, a consented company); audited", Tag: "candidates", Response: cand},
		APIOp{Method: "PUT", Path: "/candidates/:id", Summary: "Update a profile (staff or the candidate)", Tag: "candidates", Request: cand, Response: cand},
		APIOp{Method: "DELETE", Path: "/candidates/:id", Summary: "Erase a profile (staff or the candidate)", Tag: "candidates", Status: 204},
		APIOp{Method: "GET", Path: "/candidates/:id/card", Summary: "The anonymised card of a candidate", Tag: "candidates", Response: card},
		APIOp{Method: "GET", Path: "/candidate-cards", Summary: "Anonymised cards the caller may see; ?q=&offset=&limit=", Tag: "candidates", Response: list(card)},
		APIOp{Method: "POST", Path: "/imports", Summary: "Upload a candidate CSV (multipart field \"file\"): a preview with per-row errors, nothing written", Tag: "imports", Response: job, Status: 201},
		APIOp{Method: "POST", Path: "/imports/:id/run", Summary: "Run a previewed upload in the background", Tag: "imports", Response: job, Status: 202},
		APIOp{Method: "GET", Path: "/imports/:id", Summary: "An upload's progress and per-row errors", Tag: "imports", Response: job},
		APIOp{Method: "GET", Path: "/vocabularies", Summary: "Allowed values: prefectures, levels, workplaces, employment types, visibilities, residence statuses", Tag: "meta"},
	)
}

func (h *profileHandlers) registerCandidate(r *gin.Engine, api *gin.RouterGroup) {
	s := h.s
	me := r.Group("/me/profile", s.require(tsunagu.ActCandidateArea))
	me.GET("", h.handleOwnProfile)
	me.GET("/edit", h.handleOwnProfileForm)
	me.POST("", h.handleOwnProfileSave)

	co := r.Group("/coordinator", s.require(tsunagu.ActCoordinatorArea))
	co.GET("/candidates", h.handleCandidateList)
	co.GET("/candidates/new", h.handleCandidateNewForm)
	co.POST("/candidates", h.handleCandidateCreate)
	co.GET("/candidates/:id", h.handleCandidateView)
	co.GET("/candidates/:id/edit", h.handleCandidateEditForm)
	co.POST("/candidates/:id", h.handleCandidateUpdate)
	co.POST("/candidates/:id/delete", h.handleCandidateDelete)
	co.GET("/import", h.handleImportForm)
	co.POST("/import", h.handleImportPreview)
	co.GET("/import/:id", h.handleImportJob)
	co.POST("/import/:id/run", h.handleImportRun)

	cp := r.Group("/company", s.require(tsunagu.ActCompanyArea))
	cp.GET("/candidates", h.handleCardList)
	cp.GET("/candidates/:id", h.handleCardView)

	api.GET("/me/candidate", h.apiOwnCandidate)
	api.PUT("/me/candidate", h.apiSaveOwnCandidate)
	api.GET("/candidates", h.apiListCandidates)
	api.POST("/candidates", h.apiCreateCandidate)
	api.GET("/candidates/:id", h.apiCandidate)
	api.PUT("/candidates/:id", h.apiUpdateCandidate)
	api.DELETE("/candidates/:id", h.apiDeleteCandidate)
	api.GET("/candidates/:id/card", h.apiCandidateCard)
	api.GET("/candidate-cards", h.apiCandidateCards)
	api.POST("/imports", h.apiImportPreview)
	api.POST("/imports/:id/run", h.apiImportRun)
	api.GET("/imports/:id", h.apiImportJob)
	api.GET("/vocabularies", h.apiVocabularies)
}

// idParam reads the :id path parameter; a malformed id is not found.
func idParam(c *gin.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// bindJSON decodes a JSON body of at most 1 MiB into dst.
func bindJSON(c *gin.Context, dst any) error { return decodeJSON(c, dst, false) }

// decodeJSON decodes a JSON body of at most 1 MiB into dst; strict, a
// field dst does not have is an error on that field.
func decodeJSON(c *gin.Context, dst any, strict bool) error {
	dec := json.NewDecoder(io.LimitReader(c.Request.Body, 1<<20))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(dst); err != nil {
		// encoding/json names an unknown field only in its message.
		if name, ok := strings.CutPrefix(err.Error(), `json: unknown field "`); ok && strict {
			var v tsunagu.Validation
			v.Add(strings.TrimSuffix(name, `"`), "error.unknown_field", nil)
			return v.Err()
		}
		// A value of the wrong type (a string for a number, 2.5 or 1e20
		// for a whole number) is an error on its field.
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			var v tsunagu.Validation
			v.Add(strings.SplitN(te.Field, ".", 2)[0], "error.json_type", nil)
			return v.Err()
		}
		return ErrBadJSON
	}
	return nil
}

// candidateJSON is a full profile with its completeness.
type candidateJSON struct {
	*tsunagu.Candidate
	Completeness tsunagu.Completeness `json:"completeness"`
}

func withCompleteness(c *tsunagu.Candidate) candidateJSON {
	return candidateJSON{Candidate: c, Completeness: c.Completeness()}
}

// listParams reads ?q=&offset=&limit=.
func listParams(c *gin.Context) (q string, offset, limit int) {
	offset, _ = strconv.Atoi(c.Query("offset"))
	limit, _ = strconv.Atoi(c.Query("limit"))
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	return strings.TrimSpace(c.Query("q")), max(offset, 0), limit
}

// --- Candidate's own pages -------------------------------------------------

// candidateView is the data of candidate/view.
type candidateView struct {
	Candidate    *tsunagu.Candidate
	Completeness tsunagu.Completeness
	Own          bool
	Labels       map[string]string // ESCO URI → label
	Workshops    *tsunagu.LecturerHistory
}

func (h *profileHandlers) labels(c *gin.Context, uris ...[]string) map[string]string {
	m := map[string]string{}
	if h.p.OccupationLabel == nil {
		return m
	}
	lang := h.s.printer(c).Lang
	for _, list := range uris {
		for _, u := range list {
			if u != "" {
				m[u] = h.p.OccupationLabel(u, lang)
			}
		}
	}
	return m
}

func occupationURIs(c *tsunagu.Candidate) []string {
	out := append([]string{}, c.DesiredOccupations...)
	for _, w := range c.WorkHistory {
		out = append(out, w.OccupationURI)
	}
	return out
}

// handleOwnProfile handles GET /me/profile: the candidate's own profile and
// what it still lacks; without a profile yet, the form to start one.
func (h *profileHandlers) handleOwnProfile(c *gin.Context) {
	cand, err := h.p.Candidates.FindOwnCandidate(c.Request.Context())
	if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
		c.Redirect(http.StatusSeeOther, "/me/profile/edit")
		return
	}
	if err != nil {
		h.s.fail(c, err)
		return
	}
	ws, err := h.workshops(c, cand.ID)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	h.s.render(c, http.StatusOK, "candidate/view", candidateView{Candidate: cand, Completeness: cand.Completeness(), Own: true, Labels: h.labels(c, occupationURIs(cand)), Workshops: ws})
}

// handleOwnProfileForm handles GET /me/profile/edit.
func (h *profileHandlers) handleOwnProfileForm(c *gin.Context) {
	cand, err := h.p.Candidates.FindOwnCandidate(c.Request.Context())
	switch tsunagu.ErrorCode(err) {
	case "":
	case tsunagu.ENOTFOUND:
		cand = &tsunagu.Candidate{Name: currentUser(c).DisplayName, Visibility: tsunagu.VisibilityCoordinators, Locale: h.s.printer(c).Lang}
	default:
		h.s.fail(c, err)
		return
	}
	h.renderCandidateForm(c, cand, "/me/profile", false, nil)
}

// handleOwnProfileSave handles POST /me/profile.
func (h *profileHandlers) handleOwnProfileSave(c *gin.Context) {
	ctx := c.Request.Context()
	cand, err := h.p.Candidates.FindOwnCandidate(ctx)
	switch tsunagu.ErrorCode(err) {
	case "":
	case tsunagu.ENOTFOUND:
		cand = &tsunagu.Candidate{}
	default:
		h.s.fail(c, err)
		return
	}
	if err := candidateFromForm(c, cand, false); err != nil {
		h.renderCandidateForm(c, cand, "/me/profile", false, err)
		return
	}
	if err := h.p.Candidates.SaveCandidate(ctx, cand); err != nil {
		h.renderCandidateForm(c, cand, "/me/profile", false, err)
		return
	}
	h.s.redirectWithFlash(c, "/me/profile", "flash.profile_saved")
}

// --- Coordinator pages ----------------------------------------------------

// handleCandidateList handles GET /coordinator/candidates?q=&visibility=.
func (h *profileHandlers) handleCandidateList(c *gin.Context) {
	q, offset, limit := listParams(c)
	list, total, err := h.p.Candidates.ListCandidates(c.Request.Context(), tsunagu.CandidateFilter{Query: q, Visibility: c.Query("visibility"), Offset: offset, Limit: limit})
	if err != nil {
		h.s.fail(c, err)
		return
	}
	h.s.render(c, http.StatusOK, "candidate/list", gin.H{"Candidates": list, "Total": total, "Query": q, "Visibility": c.Query("visibility"), "Visibilities": tsunagu.Visibilities, "Offset": offset, "Limit": limit})
}

// handleCandidateView handles GET /coordinator/candidates/:id: the full
// profile (the service writes the audit row).
func (h *profileHandlers) handleCandidateView(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	cand, err := h.p.Candidates.FindCandidateByID(c.Request.Context(), id)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	ws, err := h.workshops(c, cand.ID)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	h.s.render(c, http.StatusOK, "candidate/view", candidateView{Candidate: cand, Completeness: cand.Completeness(), Labels: h.labels(c, occupationURIs(cand)), Workshops: ws})
}

// handleCandidateNewForm handles GET /coordinator/candidates/new.
func (h *profileHandlers) handleCandidateNewForm(c *gin.Context) {
	h.renderCandidateForm(c, &tsunagu.Candidate{Visibility: tsunagu.VisibilityCoordinators}, "/coordinator/candidates", true, nil)
}

// handleCandidateCreate handles POST /coordinator/candidates.
func (h *profileHandlers) handleCandidateCreate(c *gin.Context) {
	cand := &tsunagu.Candidate{}
	if err := candidateFromForm(c, cand, true); err != nil {
		h.renderCandidateForm(c, cand, "/coordinator/candidates", true, err)
		return
	}
	if err := h.p.Candidates.SaveCandidate(c.Request.Context(), cand); err != nil {
		h.renderCandidateForm(c, cand, "/coordinator/candidates", true, err)
		return
	}
	h.s.redirectWithFlash(c, fmt.Sprintf("/coordinator/candidates/%d", cand.ID), "flash.profile_saved")
}

// handleCandidateEditForm handles GET /coordinator/candidates/:id/edit.
func (h *profileHandlers) handleCandidateEditForm(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	cand, err := h.p.Candidates.FindCandidateByID(c.Request.Context(), id)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	h.renderCandidateForm(c, cand, fmt.Sprintf("/coordinator/candidates/%d", id), true, nil)
}

// handleCandidateUpdate handles POST /coordinator/candidates/:id.
func (h *profileHandlers) handleCandidateUpdate(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	cand, err := h.p.Candidates.FindCandidateByID(ctx, id)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	action := fmt.Sprintf("/coordinator/candidates/%d", id)
	if err := candidateFromForm(c, cand, true); err != nil {
		h.renderCandidateForm(c, cand, action, true, err)
		return
	}
	if err := h.p.Candidates.SaveCandidate(ctx, cand); err != nil {
		h.renderCandidateForm(c, cand, action, true, err)
		return
	}
	h.s.redirectWithFlash(c, action, "flash.profile_saved")
}

// handleCandidateDelete handles POST /coordinator/candidates/:id/delete.
func (h *profileHandlers) handleCandidateDelete(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	if err := h.p.Candidates.DeleteCandidate(c.Request.Context(), id); err != nil {
		h.s.fail(c, err)
		return
	}
	h.s.redirectWithFlash(c, "/coordinator/candidates", "flash.profile_deleted")
}

// --- Company pages: anonymised cards ---------------------------------------

// handleCardList handles GET /company/candidates?q=: cards of candidates
// visible to companies.
func (h *profileHandlers) handleCardList(c *gin.Context) {
	q, offset, limit := listParams(c)
	cards, total, err := h.p.Candidates.ListCandidateCards(c.Request.Context(), tsunagu.CandidateFilter{Query: q, Offset: offset, Limit: limit})
	if err != nil {
		h.s.fail(c, err)
		return
	}
	h.s.render(c, http.StatusOK, "candidate/cards", gin.H{"Cards": cards, "Total": total, "Query": q, "Offset": offset, "Limit": limit})
}

// handleCardView handles GET /company/candidates/:id: one anonymised card.
func (h *profileHandlers) handleCardView(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	var card *tsunagu.CandidateCard
	lecturer := true
	if f, ok := h.p.Candidates.(cardPageFinder); ok {
		card, lecturer, err = f.FindCandidateCardPage(c.Request.Context(), id)
	} else {
		card, err = h.p.Candidates.FindCandidateCard(c.Request.Context(), id)
	}
	if err != nil {
		h.s.fail(c, err)
		return
	}
	var ws *tsunagu.LecturerHistory
	switch {
	case h.p.Workshops == nil:
	case !lecturer:
		// Never proposed as a lecturer: the history is empty whoever
		// looks. It shows as the card's one empty state (the one a card
		// shows when a person taught only at the viewing company, so the
		// two cannot be told apart); a company with consent would have
		// read "none yet", as true, and nothing was there to audit.
		ws = &tsunagu.LecturerHistory{Card: &tsunagu.CardWorkshops{Languages: []string{}}}
	default:
		if ws, err = h.workshops(c, card.ID); err != nil {
			h.s.fail(c, err)
			return
		}
	}
	labels := h.labels(c, card.Occupations)
	h.s.render(c, http.StatusOK, "candidate/card", cardPage{Card: card, Labels: labels, Workshops: ws, View: h.s.newCardView(c, card, labels)})
}

// cardPageFinder finds a card and whether its candidate was ever proposed
// as a workshop lecturer, in one go (profile.Service).
type cardPageFinder interface {
	FindCandidateCardPage(ctx context.Context, id int64) (*tsunagu.CandidateCard, bool, error)
}

// --- The candidate form ------------------------------------------------------

// Rows offered in the form's lists: what is there plus a few empty rows.
const (
	extraSkillRows = 3
	extraRows      = 1
)

// candidateForm is the data of candidate/edit.
type candidateForm struct {
	Action       string
	Staff        bool
	ID           int64
	Completeness tsunagu.Completeness
	SkillRows    int
	LangRows     int
	WorkRows     int
	EduRows      int
	Prefectures  []tsunagu.Prefecture
	Vocab        vocabularies
}

func (h *profileHandlers) renderCandidateForm(c *gin.Context, cand *tsunagu.Candidate, action string, staff bool, err error) {
	data := candidateForm{
		Action: action, Staff: staff, ID: cand.ID, Completeness: cand.Completeness(),
		SkillRows: len(cand.Skills) + extraSkillRows, LangRows: max(len(cand.Languages)+extraRows, 3),
		WorkRows: len(cand.WorkHistory) + extraRows, EduRows: len(cand.Education) + extraRows,
		Prefectures: tsunagu.Prefectures, Vocab: vocab(),
	}
	if err != nil {
		h.s.renderForm(c, "candidate/edit", data, err)
		return
	}
	pg := h.s.page(c, data)
	pg.Form = candidateToForm(cand)
	h.s.renderPage(c, http.StatusOK, "candidate/edit", pg)
}

func ftoa(f float64) string {
	if f == 0 {
		return ""
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func dateString(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

// candidateToForm lays a candidate out as form fields, named as the
// validation errors name them ("skills[2].level").
func candidateToForm(c *tsunagu.Candidate) map[string]string {
	f := map[string]string{
		"name": c.Name, "email": c.Email, "phone": c.Phone, "photo_url": c.PhotoURL,
		"nationality": c.Nationality, "residence_status": c.ResidenceStatus,
		"residence_expiry": dateString(c.ResidenceExpiry), "external_id": c.ExternalID,
		"headline": c.Headline, "summary": c.Summary, "location.prefecture": c.Location.Prefecture,
		"workplace_preference": c.WorkplacePreference, "available_from": dateString(c.AvailableFrom),
		"visibility": c.Visibility, "locale": c.Locale,
		"certifications":        strings.Join(c.Certifications, "\n"),
		"preferred_prefectures": strings.Join(c.PreferredPrefectures, "\n"),
	}
	if c.WillingToRelocate {
		f["willing_to_relocate"] = "on"
	}
	if c.SpeakerOptIn {
		f["speaker_opt_in"] = "on"
	}
	for i, s := range c.Skills {
		f[fmt.Sprintf("skills[%d].label", i)] = s.Label
		f[fmt.Sprintf("skills[%d].esco_uri", i)] = s.ESCOURI
		f[fmt.Sprintf("skills[%d].level", i)] = s.Level
		f[fmt.Sprintf("skills[%d].years", i)] = ftoa(s.Years)
	}
	for i, l := range c.Languages {
		f[fmt.Sprintf("languages[%d].code", i)] = l.Code
		f[fmt.Sprintf("languages[%d].level", i)] = l.Level
	}
	for i, w := range c.WorkHistory {
		f[fmt.Sprintf("work_history[%d].title", i)] = w.Title
		f[fmt.Sprintf("work_history[%d].occupation_uri", i)] = w.OccupationURI
		f[fmt.Sprintf("work_history[%d].years", i)] = ftoa(w.Years)
		f[fmt.Sprintf("work_history[%d].country", i)] = w.Country
		f[fmt.Sprintf("work_history[%d].employer", i)] = w.Employer
	}
	for i, e := range c.Education {
		f[fmt.Sprintf("education[%d].level", i)] = e.Level
		f[fmt.Sprintf("education[%d].field", i)] = e.Field
		f[fmt.Sprintf("education[%d].institution", i)] = e.Institution
		f[fmt.Sprintf("education[%d].country", i)] = e.Country
		if e.Completed {
			f[fmt.Sprintf("education[%d].completed", i)] = "on"
		}
	}
	return f
}

// formRows returns how many indexed rows of list the form posted.
func formRows(form url.Values, list string) int {
	n := 0
	for k := range form {
		if rest, ok := strings.CutPrefix(k, list+"["); ok {
			if i, err := strconv.Atoi(rest[:max(strings.IndexByte(rest, ']'), 0)]); err == nil && i+1 > n {
				n = i + 1
			}
		}
	}
	return min(n, 500)
}

// candidateFromForm reads the candidate form into c. Numbers and dates
// that do not parse are per-field errors; everything else the service
// validates. Identity fields are read only from staff forms.
func candidateFromForm(g *gin.Context, c *tsunagu.Candidate, staff bool) error {
	if err := g.Request.ParseForm(); err != nil {
		return tsunagu.Errorf(tsunagu.EINVALID, "error.invalid_input")
	}
	form := g.Request.PostForm
	get := func(k string) string { return strings.TrimSpace(form.Get(k)) }
	var v tsunagu.Validation
	num := func(field string) float64 {
		s := get(field)
		if s == "" {
			return 0
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			v.Add(field, tsunagu.MsgOutOfRange, map[string]any{"Min": 0, "Max": tsunagu.MaxYears})
		}
		return f
	}
	date := func(field string) *time.Time {
		s := get(field)
		if s == "" {
			return nil
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			v.Add(field, tsunagu.MsgInvalidDate, nil)
			return nil
		}
		return &t
	}
	c.Name = get("name")
	c.Email = get("email")
	c.Phone = get("phone")
	c.Nationality = get("nationality")
	c.ResidenceStatus = get("residence_status")
	c.ResidenceExpiry = date("residence_expiry")
	if staff {
		c.PhotoURL = get("photo_url")
		c.ExternalID = get("external_id")
	}
	c.Headline = get("headline")
	c.Summary = get("summary")
	c.Location = tsunagu.Location{Prefecture: get("location.prefecture")}
	if c.Location.Prefecture != "" {
		c.Location.Country = "JP"
	}
	c.WillingToRelocate = form.Get("willing_to_relocate") != ""
	c.SpeakerOptIn = form.Get("speaker_opt_in") != ""
	c.WorkplacePreference = get("workplace_preference")
	c.AvailableFrom = date("available_from")
	c.Visibility = get("visibility")
	if l := get("locale"); l != "" {
		c.Locale = l
	}
	c.Certifications = strings.Split(form.Get("certifications"), "\n")
	c.PreferredPrefectures = form["preferred_prefectures"]
	if len(c.PreferredPrefectures) == 1 {
		c.PreferredPrefectures = strings.Split(c.PreferredPrefectures[0], "\n")
	}
	c.Skills = c.Skills[:0]
	for i := 0; i < formRows(form, "skills"); i++ {
		p := fmt.Sprintf("skills[%d].", i)
		s := tsunagu.SkillRef{Label: get(p + "label"), ESCOURI: get(p + "esco_uri"), Level: get(p + "level"), Years: num(p + "years")}
		if s.Label == "" && s.ESCOURI == "" && s.Level == "" && s.Years == 0 {
			continue
		}
		c.Skills = append(c.Skills, s)
	}
	c.Languages = c.Languages[:0]
	for i := 0; i < formRows(form, "languages"); i++ {
		p := fmt.Sprintf("languages[%d].", i)
		if l := (tsunagu.LanguageSkill{Code: get(p + "code"), Level: get(p + "level")}); l.Code != "" || l.Level != "" {
			c.Languages = append(c.Languages, l)
		}
	}
	c.WorkHistory = c.WorkHistory[:0]
	for i := 0; i < formRows(form, "work_history"); i++ {
		p := fmt.Sprintf("work_history[%d].", i)
		w := tsunagu.WorkExperience{Title: get(p + "title"), OccupationURI: get(p + "occupation_uri"), Years: num(p + "years"), Country: get(p + "country"), Employer: get(p + "employer")}
		if w != (tsunagu.WorkExperience{}) {
			c.WorkHistory = append(c.WorkHistory, w)
		}
	}
	c.Education = c.Education[:0]
	for i := 0; i < formRows(form, "education"); i++ {
		p := fmt.Sprintf("education[%d].", i)
		e := tsunagu.Education{Level: get(p + "level"), Field: get(p + "field"), Institution: get(p + "institution"), Country: get(p + "country")}
		if e == (tsunagu.Education{}) {
			continue
		}
		e.Completed = form.Get(p+"completed") != ""
		c.Education = append(c.Education, e)
	}
	return v.Err()
}

// --- Upload of a candidate spreadsheet -------------------------------------

const maxUploadBytes = 5 << 20

// handleImportForm handles GET /coordinator/import.
func (h *profileHandlers) handleImportForm(c *gin.Context) {
	h.s.render(c, http.StatusOK, "candidate/import", gin.H{"Columns": importer.CSVColumns})
}

// preview reads an uploaded CSV, checks every row without writing a
// profile, and stores the upload with its per-row errors.
func (h *profileHandlers) preview(c *gin.Context) (*postgres.ImportJob, *importer.Summary, error) {
	ctx := c.Request.Context()
	u := currentUser(c)
	if !tsunagu.Can(u, tsunagu.ActCandidateImport, tsunagu.Subject{}) {
		return nil, nil, errForbidden
	}
	fh, err := c.FormFile("file")
	if err != nil {
		var v tsunagu.Validation
		v.Add("file", tsunagu.MsgRequired, nil)
		return nil, nil, v.Err()
	}
	if fh.Size > maxUploadBytes {
		var v tsunagu.Validation
		v.Add("file", "error.file_too_large", map[string]any{"Max": "5 MB"})
		return nil, nil, v.Err()
	}
	f, err := fh.Open()
	if err != nil {
		return nil, nil, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	lines, err := importer.CSVToJSONL(io.LimitReader(f, maxUploadBytes))
	if err != nil {
		var v tsunagu.Validation
		v.Add("file", "error.csv_unreadable", map[string]any{"Reason": err.Error()})
		return nil, nil, v.Err()
	}
	sum, err := importer.Import(ctx, bytes.NewReader(lines), importer.KindCandidates, importer.Options{Candidates: h.p.Candidates, DryRun: true, LineOffset: 1})
	if err != nil {
		return nil, nil, err
	}
	errs, _ := json.Marshal(sum.Rejections)
	j := &postgres.ImportJob{Kind: importer.KindCandidates, Filename: fh.Filename, CreatedBy: &u.ID, Content: lines, Total: sum.Lines, Rejected: sum.Rejected, Errors: errs}
	if err := h.p.Imports.CreateImportJob(ctx, j); err != nil {
		return nil, nil, err
	}
	return j, sum, nil
}

// handleImportPreview handles POST /coordinator/import: the preview of an
// upload, row by row, before anything is written.
func (h *profileHandlers) handleImportPreview(c *gin.Context) {
	j, sum, err := h.preview(c)
	if err != nil {
		h.s.renderForm(c, "candidate/import", gin.H{"Columns": importer.CSVColumns}, err)
		return
	}
	h.s.render(c, http.StatusOK, "candidate/import_job", gin.H{"Job": j, "Summary": sum, "Good": sum.Lines - sum.Rejected, "Preview": true})
}

// importJob loads an upload its uploader (or an admin) may see.
func (h *profileHandlers) importJob(c *gin.Context) (*postgres.ImportJob, error) {
	id, err := idParam(c)
	if err != nil {
		return nil, err
	}
	u := currentUser(c)
	if !tsunagu.Can(u, tsunagu.ActCandidateImport, tsunagu.Subject{}) {
		return nil, errNotFound
	}
	return h.p.Imports.ImportJobByID(c.Request.Context(), id)
}

// handleImportRun handles POST /coordinator/import/:id/run: queue the
// previewed upload; its page then shows the progress.
func (h *profileHandlers) handleImportRun(c *gin.Context) {
	j, err := h.importJob(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	if err := h.p.Imports.QueueImportJob(c.Request.Context(), j.ID, h.p.ImportTask); err != nil {
		h.s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/coordinator/import/%d", j.ID))
}

// importErrors decodes a job's stored rejections.
func importErrors(j *postgres.ImportJob) []importer.Rejection {
	var rs []importer.Rejection
	json.Unmarshal(j.Errors, &rs)
	return rs
}

// handleImportJob handles GET /coordinator/import/:id: progress (the page
// refreshes itself while the job runs) and per-row errors.
func (h *profileHandlers) handleImportJob(c *gin.Context) {
	j, err := h.importJob(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	h.s.render(c, http.StatusOK, "candidate/import_job", gin.H{"Job": j, "Rejections": importErrors(j), "Running": j.Status == "queued" || j.Status == "running"})
}

// apiImportPreview handles POST /api/v1/imports (multipart "file").
func (h *profileHandlers) apiImportPreview(c *gin.Context) {
	j, sum, err := h.preview(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"job": j, "rejections": sum.Rejections, "duplicates": sum.Duplicates})
}

// apiImportRun handles POST /api/v1/imports/:id/run.
func (h *profileHandlers) apiImportRun(c *gin.Context) {
	j, err := h.importJob(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	if err := h.p.Imports.QueueImportJob(c.Request.Context(), j.ID, h.p.ImportTask); err != nil {
		h.s.fail(c, err)
		return
	}
	if j, err = h.p.Imports.ImportJobByID(c.Request.Context(), j.ID); err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, gin.H{"job": j, "percent": j.Percent()})
}

// apiImportJob handles GET /api/v1/imports/:id.
func (h *profileHandlers) apiImportJob(c *gin.Context) {
	j, err := h.importJob(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"job": j, "percent": j.Percent(), "rejections": importErrors(j)})
}

// --- JSON API ----------------------------------------------------------------

// apiOwnCandidate handles GET /api/v1/me/candidate.
func (h *profileHandlers) apiOwnCandidate(c *gin.Context) {
	cand, err := h.p.Candidates.FindOwnCandidate(c.Request.Context())
	if err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, withCompleteness(cand))
}

// apiSaveOwnCandidate handles PUT /api/v1/me/candidate.
func (h *profileHandlers) apiSaveOwnCandidate(c *gin.Context) {
	ctx := c.Request.Context()
	var in tsunagu.Candidate
	if err := bindJSON(c, &in); err != nil {
		h.s.fail(c, err)
		return
	}
	in.ID = 0
	if own, err := h.p.Candidates.FindOwnCandidate(ctx); err == nil {
		in.ID = own.ID
	} else if tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
		h.s.fail(c, err)
		return
	}
	if err := h.p.Candidates.SaveCandidate(ctx, &in); err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, withCompleteness(&in))
}

// apiListCandidates handles GET /api/v1/candidates (staff).
func (h *profileHandlers) apiListCandidates(c *gin.Context) {
	q, offset, limit := listParams(c)
	list, total, err := h.p.Candidates.ListCandidates(c.Request.Context(), tsunagu.CandidateFilter{Query: q, Visibility: c.Query("visibility"), Offset: offset, Limit: limit})
	if err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": list, "total": total})
}

// apiCreateCandidate handles POST /api/v1/candidates.
func (h *profileHandlers) apiCreateCandidate(c *gin.Context) {
	var in tsunagu.Candidate
	if err := bindJSON(c, &in); err != nil {
		h.s.fail(c, err)
		return
	}
	in.ID = 0
	if err := h.p.Candidates.SaveCandidate(c.Request.Context(), &in); err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, withCompleteness(&in))
}

// apiCandidate handles GET /api/v1/candidates/:id (audited full view).
func (h *profileHandlers) apiCandidate(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	cand, err := h.p.Candidates.FindCandidateByID(c.Request.Context(), id)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, withCompleteness(cand))
}

// apiUpdateCandidate handles PUT /api/v1/candidates/:id.
func (h *profileHandlers) apiUpdateCandidate(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	var in tsunagu.Candidate
	if err := bindJSON(c, &in); err != nil {
		h.s.fail(c, err)
		return
	}
	in.ID = id
	if err := h.p.Candidates.SaveCandidate(c.Request.Context(), &in); err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, withCompleteness(&in))
}

// apiDeleteCandidate handles DELETE /api/v1/candidates/:id.
func (h *profileHandlers) apiDeleteCandidate(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	if err := h.p.Candidates.DeleteCandidate(c.Request.Context(), id); err != nil {
		h.s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// apiCandidateCard handles GET /api/v1/candidates/:id/card.
func (h *profileHandlers) apiCandidateCard(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	card, err := h.p.Candidates.FindCandidateCard(c.Request.Context(), id)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, card)
}

// apiCandidateCards handles GET /api/v1/candidate-cards.
func (h *profileHandlers) apiCandidateCards(c *gin.Context) {
	q, offset, limit := listParams(c)
	cards, total, err := h.p.Candidates.ListCandidateCards(c.Request.Context(), tsunagu.CandidateFilter{Query: q, Offset: offset, Limit: limit})
	if err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": cards, "total": total})
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

// apiVocabularies handles GET /api/v1/vocabularies.
func (h *profileHandlers) apiVocabularies(c *gin.Context) {
	c.JSON(http.StatusOK, vocab())
}
