package http

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func init() {
	role := map[string]any{"type": "object", "description": "A role (see tsunagu.JobRole)"}
	DocumentAPI(
		APIOp{Method: "GET", Path: "/roles", Summary: "Roles the caller may see; ?company_id=&status=&q=&offset=&limit=", Tag: "roles"},
		APIOp{Method: "POST", Path: "/roles", Summary: "Create a role (staff or the company's members)", Tag: "roles", Request: role, Response: role, Status: 201},
		APIOp{Method: "GET", Path: "/roles/:id", Summary: "A role", Tag: "roles", Response: role},
		APIOp{Method: "PUT", Path: "/roles/:id", Summary: "Update a role", Tag: "roles", Request: role, Response: role},
		APIOp{Method: "DELETE", Path: "/roles/:id", Summary: "Delete a role", Tag: "roles", Status: 204},
	)
}

func (h *profileHandlers) registerRole(r *gin.Engine, api *gin.RouterGroup) {
	s := h.s
	g := r.Group("/roles", s.signedIn())
	g.GET("", h.handleRoleList)
	g.GET("/new", h.handleRoleNewForm)
	g.POST("", h.handleRoleCreate)
	g.GET("/:id", h.handleRoleView)
	g.GET("/:id/edit", h.handleRoleEditForm)
	g.POST("/:id", h.handleRoleUpdate)
	g.POST("/:id/delete", h.handleRoleDelete)

	api.GET("/roles", h.apiListRoles)
	api.POST("/roles", h.apiCreateRole)
	api.GET("/roles/:id", h.apiRole)
	api.PUT("/roles/:id", h.apiUpdateRole)
	api.DELETE("/roles/:id", h.apiDeleteRole)
}

const extraRoleSkillRows = 3

func roleToForm(r *tsunagu.JobRole) map[string]string {
	f := map[string]string{
		"company_id": strconv.FormatInt(r.CompanyID, 10), "title": r.Title, "description": r.Description,
		"location.prefecture": r.Location.Prefecture, "workplace": r.Workplace,
		"employment_type": r.EmploymentType, "salary_min": itoaOrEmpty(r.SalaryMin),
		"salary_max": itoaOrEmpty(r.SalaryMax), "openings": itoaOrEmpty(r.Openings),
		"status": r.Status, "japanese_level": r.JapaneseLevel(),
	}
	if r.VisaSupport {
		f["visa_support"] = "on"
	}
	for _, set := range []struct {
		name   string
		skills []tsunagu.SkillRef
	}{{"required_skills", r.RequiredSkills}, {"preferred_skills", r.PreferredSkills}} {
		for i, s := range set.skills {
			f[fmt.Sprintf("%s[%d].label", set.name, i)] = s.Label
			f[fmt.Sprintf("%s[%d].esco_uri", set.name, i)] = s.ESCOURI
			f[fmt.Sprintf("%s[%d].level", set.name, i)] = s.Level
		}
	}
	n := 0
	for _, l := range r.Languages {
		if l.Code == "ja" {
			continue
		}
		f[fmt.Sprintf("languages[%d].code", n)] = l.Code
		f[fmt.Sprintf("languages[%d].level", n)] = l.Level
		n++
	}
	return f
}

func itoaOrEmpty(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// roleFromForm reads the role form into r; numbers that do not parse are
// per-field errors, the rest the service validates. Japanese is its own
// field (japanese_level); other languages are rows.
func roleFromForm(c *gin.Context, r *tsunagu.JobRole) error {
	if err := c.Request.ParseForm(); err != nil {
		return tsunagu.Errorf(tsunagu.EINVALID, "error.invalid_input")
	}
	form := c.Request.PostForm
	get := func(k string) string { return strings.TrimSpace(form.Get(k)) }
	var v tsunagu.Validation
	integer := func(field string) int {
		s := strings.ReplaceAll(get(field), ",", "")
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			v.Add(field, tsunagu.MsgOutOfRange, map[string]any{"Min": 0, "Max": 100_000_000})
		}
		return n
	}
	if r.ID == 0 {
		r.CompanyID, _ = strconv.ParseInt(get("company_id"), 10, 64)
	}
	r.Title = get("title")
	r.Description = get("description")
	r.Location = tsunagu.Location{Prefecture: get("location.prefecture")}
	if r.Location.Prefecture != "" {
		r.Location.Country = "JP"
	}
	r.Workplace = get("workplace")
	r.EmploymentType = get("employment_type")
	r.SalaryMin = integer("salary_min")
	r.SalaryMax = integer("salary_max")
	r.Openings = integer("openings")
	r.Status = get("status")
	r.VisaSupport = form.Get("visa_support") != ""
	for _, list := range []struct {
		name string
		dst  *[]tsunagu.SkillRef
	}{{"required_skills", &r.RequiredSkills}, {"preferred_skills", &r.PreferredSkills}} {
		*list.dst = (*list.dst)[:0]
		for i := 0; i < formRows(form, list.name); i++ {
			p := fmt.Sprintf("%s[%d].", list.name, i)
			s := tsunagu.SkillRef{Label: get(p + "label"), ESCOURI: get(p + "esco_uri"), Level: get(p + "level")}
			if s.Label != "" || s.ESCOURI != "" || s.Level != "" {
				*list.dst = append(*list.dst, s)
			}
		}
	}
	r.Languages = r.Languages[:0]
	if ja := get("japanese_level"); ja != "" {
		r.Languages = append(r.Languages, tsunagu.LanguageSkill{Code: "ja", Level: ja})
	}
	for i := 0; i < formRows(form, "languages"); i++ {
		p := fmt.Sprintf("languages[%d].", i)
		if l := (tsunagu.LanguageSkill{Code: get(p + "code"), Level: get(p + "level")}); l.Code != "" || l.Level != "" {
			r.Languages = append(r.Languages, l)
		}
	}
	return v.Err()
}

func (h *profileHandlers) renderRoleForm(c *gin.Context, r *tsunagu.JobRole, action string, err error) {
	companies, _ := h.p.Companies.OwnCompanies(c.Request.Context())
	if currentUser(c).Role.Staff() {
		companies, _, _ = h.p.Companies.ListCompanies(c.Request.Context(), tsunagu.CompanyFilter{Limit: 500})
	}
	data := gin.H{
		"Action": action, "ID": r.ID, "Companies": companies, "Vocab": vocab(),
		"ReqRows": len(r.RequiredSkills) + extraRoleSkillRows, "PrefRows": len(r.PreferredSkills) + extraRoleSkillRows,
		"LangRows": 2,
	}
	if err != nil {
		h.s.renderForm(c, "role/edit", data, err)
		return
	}
	pg := h.s.page(c, data)
	pg.Form = roleToForm(r)
	h.s.renderPage(c, http.StatusOK, "role/edit", pg)
}

// handleRoleList handles GET /roles?company_id=&status=&q=.
func (h *profileHandlers) handleRoleList(c *gin.Context) {
	q, offset, limit := listParams(c)
	companyID, _ := strconv.ParseInt(c.Query("company_id"), 10, 64)
	list, total, err := h.p.Roles.ListRoles(c.Request.Context(), tsunagu.RoleFilter{CompanyID: companyID, Status: c.Query("status"), Query: q, Offset: offset, Limit: limit})
	if err != nil {
		h.s.fail(c, err)
		return
	}
	u := currentUser(c)
	canPost := u.Role.Staff() || u.Role == tsunagu.RoleCompany
	h.s.render(c, http.StatusOK, "role/list", gin.H{"Roles": list, "Total": total, "Query": q, "CanPost": canPost})
}

// handleRoleView handles GET /roles/:id.
func (h *profileHandlers) handleRoleView(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	r, err := h.p.Roles.FindRoleByID(c.Request.Context(), id)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	u := currentUser(c)
	canEdit := u.Role.Staff()
	if !canEdit && u.Role == tsunagu.RoleCompany {
		own, _ := h.p.Companies.OwnCompanies(c.Request.Context())
		for _, co := range own {
			canEdit = canEdit || co.ID == r.CompanyID
		}
	}
	h.s.render(c, http.StatusOK, "role/view", gin.H{"Role": r, "CanEdit": canEdit, "Labels": h.labels(c, []string{r.OccupationURI}), "Prefecture": prefectureOf(r.Location.Prefecture)})
}

func prefectureOf(name string) *tsunagu.Prefecture {
	p, _ := tsunagu.FindPrefecture(name)
	return p
}

// handleRoleNewForm handles GET /roles/new?company_id=.
func (h *profileHandlers) handleRoleNewForm(c *gin.Context) {
	id, _ := strconv.ParseInt(c.Query("company_id"), 10, 64)
	if id == 0 {
		if own, _ := h.p.Companies.OwnCompanies(c.Request.Context()); len(own) > 0 {
			id = own[0].ID
		}
	}
	h.renderRoleForm(c, &tsunagu.JobRole{CompanyID: id, Status: tsunagu.RoleDraft, Workplace: tsunagu.WorkplaceOnsite, EmploymentType: "full_time", Openings: 1}, "/roles", nil)
}

// handleRoleCreate handles POST /roles.
func (h *profileHandlers) handleRoleCreate(c *gin.Context) {
	r := &tsunagu.JobRole{}
	if err := roleFromForm(c, r); err != nil {
		h.renderRoleForm(c, r, "/roles", err)
		return
	}
	if r.CompanyID == 0 { // a member of one company need not pick it
		if own, _ := h.p.Companies.OwnCompanies(c.Request.Context()); len(own) == 1 {
			r.CompanyID = own[0].ID
		}
	}
	if err := h.p.Roles.SaveRole(c.Request.Context(), r); err != nil {
		h.renderRoleForm(c, r, "/roles", err)
		return
	}
	h.s.redirectWithFlash(c, fmt.Sprintf("/roles/%d", r.ID), "flash.role_saved")
}

// handleRoleEditForm handles GET /roles/:id/edit.
func (h *profileHandlers) handleRoleEditForm(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	r, err := h.p.Roles.FindRoleByID(c.Request.Context(), id)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	h.renderRoleForm(c, r, fmt.Sprintf("/roles/%d", id), nil)
}

// handleRoleUpdate handles POST /roles/:id.
func (h *profileHandlers) handleRoleUpdate(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	r, err := h.p.Roles.FindRoleByID(c.Request.Context(), id)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	action := fmt.Sprintf("/roles/%d", id)
	if err := roleFromForm(c, r); err != nil {
		h.renderRoleForm(c, r, action, err)
		return
	}
	if err := h.p.Roles.SaveRole(c.Request.Context(), r); err != nil {
		h.renderRoleForm(c, r, action, err)
		return
	}
	h.s.redirectWithFlash(c, action, "flash.role_saved")
}

// handleRoleDelete handles POST /roles/:id/delete.
func (h *profileHandlers) handleRoleDelete(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	if err := h.p.Roles.DeleteRole(c.Request.Context(), id); err != nil {
		h.s.fail(c, err)
		return
	}
	h.s.redirectWithFlash(c, "/roles", "flash.role_deleted")
}

// apiListRoles handles GET /api/v1/roles.
func (h *profileHandlers) apiListRoles(c *gin.Context) {
	q, offset, limit := listParams(c)
	companyID, _ := strconv.ParseInt(c.Query("company_id"), 10, 64)
	list, total, err := h.p.Roles.ListRoles(c.Request.Context(), tsunagu.RoleFilter{CompanyID: companyID, Status: c.Query("status"), Query: q, Offset: offset, Limit: limit})
	if err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": list, "total": total})
}

// apiCreateRole handles POST /api/v1/roles.
func (h *profileHandlers) apiCreateRole(c *gin.Context) {
	var in tsunagu.JobRole
	if err := bindJSON(c, &in); err != nil {
		h.s.fail(c, err)
		return
	}
	in.ID = 0
	if err := h.p.Roles.SaveRole(c.Request.Context(), &in); err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, in)
}

// apiRole handles GET /api/v1/roles/:id.
func (h *profileHandlers) apiRole(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	r, err := h.p.Roles.FindRoleByID(c.Request.Context(), id)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

// apiUpdateRole handles PUT /api/v1/roles/:id.
func (h *profileHandlers) apiUpdateRole(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	var in tsunagu.JobRole
	if err := bindJSON(c, &in); err != nil {
		h.s.fail(c, err)
		return
	}
	in.ID = id
	if err := h.p.Roles.SaveRole(c.Request.Context(), &in); err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, in)
}

// apiDeleteRole handles DELETE /api/v1/roles/:id.
func (h *profileHandlers) apiDeleteRole(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	if err := h.p.Roles.DeleteRole(c.Request.Context(), id); err != nil {
		h.s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
