package matchhttp

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/matching"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// option is one choice of a select.
type option struct {
	Value, Label string
}

// japaneseOptions are the Japanese levels a filter offers (the label is a
// message id when Translate is set).
func japaneseOptions() []option {
	out := []option{}
	for i, l := range tsunagu.JLPTLevels {
		out = append(out, option{strconv.Itoa(i + 1), l + "+"})
	}
	return out
}

// prefectureOptions names the prefectures in lang.
func prefectureOptions(lang string) []option {
	out := make([]option, 0, len(tsunagu.Prefectures))
	for _, p := range tsunagu.Prefectures {
		label := p.Name
		if lang == "ja" {
			label = p.NameJA
		}
		out = append(out, option{p.Name, label})
	}
	return out
}

// regionOptions names the regions of Japan in lang, in the prefectures'
// order.
func regionOptions(lang string) []option {
	out := []option{}
	seen := map[string]bool{}
	for _, p := range tsunagu.Prefectures {
		if seen[p.Region] {
			continue
		}
		seen[p.Region] = true
		label := p.Region
		if lang == "ja" {
			label = p.RegionJA
		}
		out = append(out, option{p.Region, label})
	}
	return out
}

// filterForm is what the filter forms show.
type filterForm struct {
	Japanese    []option
	Prefectures []option
	// Regions, when set (a company's form), replace the prefectures: a
	// company filters by what its cards show.
	Regions     []option
	Region      string
	Workplaces  []string
	JapaneseMin string
	Prefecture  string
}

// PrefectureOptions renders the prefecture options, the chosen one selected.
func (f filterForm) PrefectureOptions() template.HTML {
	return optionsHTML(f.Prefectures, f.Prefecture)
}

// RegionOptions renders the region options, the chosen one selected.
func (f filterForm) RegionOptions() template.HTML {
	return optionsHTML(f.Regions, f.Region)
}

// JapaneseOptions renders the Japanese level options, the chosen one
// selected.
func (f filterForm) JapaneseOptions() template.HTML {
	return optionsHTML(f.Japanese, f.JapaneseMin)
}

func newFilterForm(lang string, japaneseMin int, prefecture string) filterForm {
	f := filterForm{Japanese: japaneseOptions(), Prefectures: prefectureOptions(lang), Workplaces: tsunagu.Workplaces, Prefecture: prefecture}
	if japaneseMin > 0 {
		f.JapaneseMin = strconv.Itoa(japaneseMin)
	}
	if p, ok := tsunagu.NormalizePrefecture(prefecture); ok {
		f.Prefecture = p
	}
	return f
}

// roleMatchesPage is what match/role renders.
type roleMatchesPage struct {
	*matching.RoleMatches
	Query   matching.MatchQuery
	Filters filterForm
	Sorts   []string
	// Company: the viewer may ask for introductions; CardPath prefixes a
	// candidate's page.
	Company  bool
	CardPath string
	// Cards are the matches translated (view.go); L the cards' labels.
	Cards []cardView
	L     map[string]string
	// SortOptions are the sort options, translated, the chosen one
	// selected.
	SortOptions template.HTML
}

// handleRoleMatches handles GET /roles/:id/matches?near=&japanese=&prefecture=&sort=:
// the role's matched candidates as anonymised cards with the reasons
// (staff and the role's company; 404 for anyone else).
func (h *Handlers) handleRoleMatches(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	q := matchQuery(c)
	rm, err := h.Matching.CandidatesForRole(c.Request.Context(), id, q, h.lang(c))
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	u := thttp.CurrentUser(c)
	pg := roleMatchesPage{RoleMatches: rm, Query: q, Filters: newFilterForm(h.lang(c), q.JapaneseMin, q.Prefecture),
		Sorts: matching.Sorts, Company: u.Role == tsunagu.RoleCompany, CardPath: "/coordinator/candidates/"}
	if pg.Company {
		pg.Filters.Regions, pg.Filters.Region = regionOptions(h.lang(c)), q.Region
		if q.Prefecture != "" {
			pg.Filters.Region = tsunagu.JapanRegion(q.Prefecture)
		}
	}
	t := newTranslator(h.s.Printer(c))
	pg.Cards, pg.L = cardViews(t, rm.Cards), cardLabels(t)
	sorts := make([]option, len(pg.Sorts))
	for i, v := range pg.Sorts {
		sorts[i] = option{v, t.T("match.sort." + v)}
	}
	pg.SortOptions = optionsHTML(sorts, q.Sort)
	if pg.Company {
		pg.CardPath = "/company/candidates/"
	}
	h.s.Render(c, http.StatusOK, "match/role", pg)
}

// handleRequestIntroduction handles POST /roles/:id/matches/:cid/introduction
// (note): the company asks to be introduced; the candidate is asked to
// consent. Back to the matches with a notice.
func (h *Handlers) handleRequestIntroduction(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	cid, err := thttp.IDParam(c, "cid")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	back := fmt.Sprintf("/roles/%d/matches", id)
	if _, err := h.Matching.RequestIntroduction(c.Request.Context(), id, cid, c.PostForm("note")); err != nil {
		switch tsunagu.ErrorCode(err) {
		case tsunagu.ECONFLICT:
			h.s.RedirectWithFlash(c, back, "match.flash.already_requested")
		case tsunagu.EINVALID:
			h.s.RedirectWithFlash(c, back, "match.flash.request_refused")
		default:
			h.s.Fail(c, err)
		}
		return
	}
	h.s.RedirectWithFlash(c, back, "match.flash.requested")
}

// handleMyRoles handles GET /me/roles?near=0: the open roles that fit the
// candidate, what each misses, and the skills (and training) that would
// open the most roles.
func (h *Handlers) handleMyRoles(c *gin.Context) {
	near := nearParam(c)
	cr, err := h.Matching.RolesForMe(c.Request.Context(), near, 20, h.lang(c))
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.Render(c, http.StatusOK, "match/my_roles", gin.H{"Roles": cr, "Near": near})
}

// searchPage is what match/search renders.
type searchPage struct {
	Query     matching.PoolQuery
	Filters   filterForm
	Hits      []matching.PoolHit
	Searched  bool
	Saved     []*tsunagu.SavedSearch
	SavedName string // the saved search shown, when opened from one
}

func (h *Handlers) searchPage(c *gin.Context, q matching.PoolQuery, run bool) (*searchPage, error) {
	ctx := c.Request.Context()
	pg := &searchPage{Query: q, Filters: newFilterForm(h.lang(c), q.JapaneseMin, q.Prefecture), Searched: run}
	var err error
	if pg.Saved, err = h.Matching.SavedSearches(ctx); err != nil {
		return nil, err
	}
	if run {
		if pg.Hits, err = h.Matching.SearchPool(ctx, q, h.lang(c)); err != nil {
			return nil, err
		}
	}
	return pg, nil
}

// handleSearch handles GET /coordinator/search?q=&japanese=&prefecture=&workplace=
// (or ?saved=ID to run a saved search): the pool search, with the saved
// searches and a form to save this one.
func (h *Handlers) handleSearch(c *gin.Context) {
	q := poolQuery(c)
	name := ""
	if v := c.Query("saved"); v != "" {
		id, _ := strconv.ParseInt(v, 10, 64)
		ss, err := h.Matching.FindSavedSearch(c.Request.Context(), id)
		if err != nil {
			h.s.Fail(c, err)
			return
		}
		q = matching.PoolQuery{Text: ss.Query, PoolFilters: ss.PoolFilters}
		name = ss.Name
	}
	run := len(c.Request.URL.RawQuery) > 0
	pg, err := h.searchPage(c, q, run)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	pg.SavedName = name
	h.s.Render(c, http.StatusOK, "match/search", pg)
}

// handleSaveSearch handles POST /coordinator/searches (name, q, japanese,
// prefecture, workplace): saves the search; new matches are notified.
func (h *Handlers) handleSaveSearch(c *gin.Context) {
	ss := &tsunagu.SavedSearch{Name: c.PostForm("name"), Query: c.PostForm("q"), PoolFilters: poolFilters(c.PostForm)}
	if err := h.Matching.SaveSearch(c.Request.Context(), ss); err != nil {
		q := matching.PoolQuery{Text: strings.TrimSpace(ss.Query), PoolFilters: ss.PoolFilters}
		pg, perr := h.searchPage(c, q, true)
		if perr != nil {
			h.s.Fail(c, perr)
			return
		}
		h.s.RenderForm(c, "match/search", pg, err)
		return
	}
	h.s.RedirectWithFlash(c, fmt.Sprintf("/coordinator/search?saved=%d", ss.ID), "match.flash.search_saved")
}

// handleDeleteSearch handles POST /coordinator/searches/:id/delete.
func (h *Handlers) handleDeleteSearch(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	if err := h.Matching.DeleteSavedSearch(c.Request.Context(), id); err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.RedirectWithFlash(c, "/coordinator/search", "match.flash.search_deleted")
}
