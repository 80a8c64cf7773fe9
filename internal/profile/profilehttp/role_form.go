package profilehttp

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

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

func (h *Handlers) renderRoleForm(c *gin.Context, r *tsunagu.JobRole, action string, err error) {
	companies, _ := h.Companies.OwnCompanies(c.Request.Context())
	if thttp.CurrentUser(c).Role.Staff() {
		companies, _, _ = h.Companies.ListCompanies(c.Request.Context(), tsunagu.CompanyFilter{Limit: 500})
	}
	data := gin.H{
		"Action": action, "ID": r.ID, "Companies": companies, "Vocab": vocab(),
		"ReqRows": len(r.RequiredSkills) + extraRoleSkillRows, "PrefRows": len(r.PreferredSkills) + extraRoleSkillRows,
		"LangRows": 2,
	}
	if err != nil {
		h.s.RenderForm(c, "role/edit", data, err)
		return
	}
	h.s.RenderFilled(c, "role/edit", data, roleToForm(r))
}
