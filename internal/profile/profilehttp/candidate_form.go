package profilehttp

import (
	thttp "github.com/tsunagu-org/tsunagu/internal/http"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

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

func (h *Handlers) renderCandidateForm(c *gin.Context, cand *tsunagu.Candidate, action string, staff bool, err error) {
	data := candidateForm{
		Action: action, Staff: staff, ID: cand.ID, Completeness: cand.Completeness(),
		SkillRows: len(cand.Skills) + extraSkillRows, LangRows: max(len(cand.Languages)+extraRows, 3),
		WorkRows: len(cand.WorkHistory) + extraRows, EduRows: len(cand.Education) + extraRows,
		Prefectures: tsunagu.Prefectures, Vocab: vocab(),
	}
	if err != nil {
		h.s.RenderForm(c, "candidate/edit", data, err)
		return
	}
	h.s.RenderFilled(c, "candidate/edit", data, thttp.FormFields(cand))
}

// candidateFromForm reads the candidate form into c, the stored record (or
// a new one). A number or date that does not parse is a per-field error;
// everything else the service validates. The photo and external id are read
// only from staff forms.
func candidateFromForm(g *gin.Context, c *tsunagu.Candidate, staff bool) error {
	kept := *c
	if err := thttp.BindForm(g, c); err != nil {
		return err
	}
	if !staff {
		c.PhotoURL, c.ExternalID = kept.PhotoURL, kept.ExternalID
	}
	if c.Locale == "" {
		c.Locale = kept.Locale
	}
	c.Location.Country = ""
	if c.Location.Prefecture != "" {
		c.Location.Country = "JP"
	}
	return nil
}
