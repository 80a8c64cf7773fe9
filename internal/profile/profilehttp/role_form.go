package profilehttp

import (
	"fmt"
	"math"
	"strings"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

const extraRoleSkillRows = 3

// roleToForm lays a role out as its form: Japanese is its own field
// (japanese_level), other languages are rows.
func roleToForm(r *tsunagu.JobRole) map[string]string {
	shown := *r
	shown.Translations = translationRows(r.Translations)
	shown.Languages = nil
	for _, l := range r.Languages {
		if l.Code != "ja" {
			shown.Languages = append(shown.Languages, l)
		}
	}
	f := thttp.FormFields(&shown)
	// A skill saved without an ESCO link was kept as free text on purpose:
	// the form says so, ticked.
	for name, skills := range map[string][]tsunagu.SkillRef{"required_skills": r.RequiredSkills, "preferred_skills": r.PreferredSkills} {
		for i, sk := range skills {
			if sk.ESCOURI == "" && sk.Label != "" {
				f[fmt.Sprintf("%s[%d].free", name, i)] = "on"
			}
		}
	}
	if ja := r.JapaneseLevel(); ja != "" {
		f["japanese_level"] = ja
	}
	return f
}

// translationRows lays translations out as the form's rows: one per page
// language, in tsunagu.UILanguages order, empty where there is none.
func translationRows(ts tsunagu.Translations) tsunagu.Translations {
	rows := make(tsunagu.Translations, len(tsunagu.UILanguages))
	for i, lang := range tsunagu.UILanguages {
		rows[i] = ts.In(lang)
		rows[i].Lang = lang
	}
	return rows
}

// roleFromForm reads the role form into r, the stored role (or a new one):
// numbers that do not parse are per-field errors, the rest the service
// validates. The company is chosen only for a new role.
func roleFromForm(c *gin.Context, r *tsunagu.JobRole) error {
	company := r.CompanyID
	if err := thttp.BindForm(c, r); err != nil {
		return err
	}
	if r.ID != 0 {
		r.CompanyID = company
	}
	r.Location.Country = ""
	if r.Location.Prefecture != "" {
		r.Location.Country = "JP"
	}
	if ja := strings.TrimSpace(c.PostForm("japanese_level")); ja != "" {
		r.Languages = append([]tsunagu.LanguageSkill{{Code: "ja", Level: ja}}, r.Languages...)
	}
	return nil
}

// linkSkills links each skill typed on the role form to its ESCO skill
// (a suggestion chosen from the list has its ESCO label, so it links). A
// skill that links to none is a per-field error unless its "keep as free
// text" box is ticked: a role's skills are not saved unlinked by accident,
// which would leave them out of matching across languages.
func (h *Handlers) linkSkills(c *gin.Context, r *tsunagu.JobRole) error {
	if h.ResolveSkill == nil {
		return nil
	}
	var v tsunagu.Validation
	for name, skills := range map[string][]tsunagu.SkillRef{"required_skills": r.RequiredSkills, "preferred_skills": r.PreferredSkills} {
		for i := range skills {
			sk := &skills[i]
			p := fmt.Sprintf("%s[%d].", name, i)
			if sk.ESCOURI != "" || strings.TrimSpace(sk.Label) == "" || c.PostForm(p+"free") != "" {
				continue
			}
			if uri, ok := h.ResolveSkill(c.Request.Context(), sk.Label, ""); ok {
				sk.ESCOURI = uri
				continue
			}
			v.Add(p+"label", msgSkillNotLinked, map[string]any{"Value": sk.Label})
		}
	}
	if v.Err() == nil {
		return nil
	}
	// The form shows every error at once: the role's own checks too.
	checked := *r
	checked.Normalize()
	if err := v.Merge(checked.Validate()); err != nil {
		return err
	}
	return v.Err()
}

// msgSkillNotLinked asks to choose a suggested skill or keep the text.
const msgSkillNotLinked = "error.skill_not_linked"

// renderRoleForm shows the form of r: filled with it, or, after err, with
// what was posted and the errors. The form carries the version it saves
// from; when someone else saved the role since the form was opened
// (tsunagu.Stale), it also shows their version where it differs, and
// saves from that version next.
func (h *Handlers) renderRoleForm(c *gin.Context, r *tsunagu.JobRole, action string, err error) {
	companies, _ := h.Companies.OwnCompanies(c.Request.Context())
	if thttp.CurrentUser(c).Role.Staff() {
		companies, _, _ = h.Companies.ListCompanies(c.Request.Context(), tsunagu.CompanyFilter{Limit: 500})
	}
	data := gin.H{
		"Action": action, "ID": r.ID, "Version": r.Version, "Companies": companies, "Vocab": vocab(),
		"ReqRows": len(r.RequiredSkills) + extraRoleSkillRows, "PrefRows": len(r.PreferredSkills) + extraRoleSkillRows,
		"LangRows": 2, "Occupations": h.occupationChoices(c, r),
		"TranslationLangs": tsunagu.UILanguages, "Translated": len(r.Translations) > 0,
	}
	if tsunagu.IsStale(err) {
		current, ferr := h.Roles.FindRoleByID(c.Request.Context(), r.ID)
		if ferr != nil {
			h.s.Fail(c, ferr)
			return
		}
		data["Version"] = current.Version
		data["Conflict"] = conflictRows(roleToForm(r), roleToForm(current), roleLabels)
	}
	if err != nil {
		h.s.RenderForm(c, "role/edit", data, err)
		return
	}
	h.s.RenderFilled(c, "role/edit", data, roleToForm(r))
}

// roleLabels names the fields of the role form, in its order.
var roleLabels = []fieldLabel{
	{"title", "role.field.title"}, {"description", "role.field.description"},
	{"location.prefecture", "role.field.location"}, {"workplace", "role.field.workplace"},
	{"employment_type", "role.field.employment_type"}, {"salary_min", "role.field.salary_min"},
	{"salary_max", "role.field.salary_max"}, {"openings", "role.field.openings"},
	{"visa_support", "role.field.visa_support"}, {"japanese_level", "role.field.japanese_level"},
	{"languages", "role.field.other_languages"}, {"required_skills", "role.field.required_skills"},
	{"preferred_skills", "role.field.preferred_skills"}, {"status", "role.field.status"},
}

// occupationChoice is an occupation the role form offers to confirm:
// Percent is how likely the title and skills make it (0 for an occupation
// confirmed earlier that is no longer among the guesses).
type occupationChoice struct {
	URI     string
	Label   string
	Percent int
}

// occupationChoices lists the role's occupation guesses, best first, after
// its confirmed occupation when that is not among them.
func (h *Handlers) occupationChoices(c *gin.Context, r *tsunagu.JobRole) []occupationChoice {
	uris := []string{}
	if r.OccupationURI != "" {
		uris = append(uris, r.OccupationURI)
	}
	for _, g := range r.OccupationGuesses {
		uris = append(uris, g.URI)
	}
	labels := h.labels(c, uris)
	var out []occupationChoice
	seen := map[string]bool{}
	add := func(uri string, score float64) {
		if seen[uri] || labels[uri] == "" {
			return
		}
		seen[uri] = true
		out = append(out, occupationChoice{URI: uri, Label: labels[uri], Percent: int(math.Round(100 * score))})
	}
	confirmedGuessed := false
	for _, g := range r.OccupationGuesses {
		confirmedGuessed = confirmedGuessed || g.URI == r.OccupationURI
	}
	if r.OccupationURI != "" && !confirmedGuessed {
		add(r.OccupationURI, 0)
	}
	for _, g := range r.OccupationGuesses {
		add(g.URI, g.Score)
	}
	return out
}
