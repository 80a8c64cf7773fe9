package traininghttp

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/training"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// programmeFormPage is what training/programme_form renders, to create a
// programme or to edit one.
type programmeFormPage struct {
	Action    string
	Programme *tsunagu.Programme // nil when creating
	// Form holds the programme's values when the edit form is first shown
	// (after a failed post the page's own Form keeps what was typed).
	Form map[string]string
	// ConfirmCapacity asks the coordinator to confirm a capacity lower than
	// the places taken in a cohort that has not ended.
	ConfirmCapacity bool
	// Impact is what the programme's running cohorts hold (editing only).
	Impact *training.Impact
}

// programmeToForm returns the form values of a programme.
func programmeToForm(p *tsunagu.Programme) map[string]string {
	f := map[string]string{"title_ja": p.TitleJA, "title_en": p.TitleEN, "description_ja": p.DescriptionJA,
		"description_en": p.DescriptionEN, "kind": p.Kind, "format": p.Format,
		"capacity": strconv.Itoa(p.Capacity), "min_attendance": strconv.Itoa(p.MinAttendance),
		"skills": strings.Join(p.SkillURIs(), "\n")}
	if p.Assessment {
		f["assessment"] = "1"
	}
	for i, lang := range programmeTranslationLangs {
		t, row := p.Translations.In(lang), fmt.Sprintf("translations[%d].", i)
		f[row+"title"], f[row+"description"] = t.Title, t.Description
	}
	return f
}

// TranslationLangs are the languages the form has translation rows for.
func (programmeFormPage) TranslationLangs() []string { return programmeTranslationLangs }

// programmeTranslationLangs are the languages the programme form offers
// translations into: the page languages without a field of their own.
var programmeTranslationLangs = []string{"fr", "ar", "fa", "uk"}

func programmePath(id int64) string {
	return "/coordinator/training/programmes/" + strconv.FormatInt(id, 10)
}

// needsCapacityConfirm reports whether err asks to confirm a lower capacity.
func needsCapacityConfirm(err error) bool {
	e := tsunagu.AsError(err)
	return e != nil && e.Fields["capacity"].ID == "training.error.capacity_confirm"
}

// handleEditProgramme handles GET /coordinator/training/programmes/:id/edit.
func (h *Handlers) handleEditProgramme(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	pv, err := h.Training.FindProgramme(c.Request.Context(), id)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	imp, err := h.Training.ProgrammeImpact(c.Request.Context(), id, pv.Programme.Capacity)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.Render(c, http.StatusOK, "training/programme_form", programmeFormPage{
		Action: programmePath(id), Programme: pv.Programme, Form: programmeToForm(pv.Programme), Impact: imp})
}

// handleUpdateProgramme handles POST /coordinator/training/programmes/:id:
// the edit form. A capacity below the places taken in a cohort that has
// not ended is saved only once the coordinator ticks confirm_capacity,
// after the page has said what it means.
func (h *Handlers) handleUpdateProgramme(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	cur, err := h.Training.FindProgramme(ctx, id)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	p, v := programmeForm(c)
	p.ID, p.Active = id, cur.Programme.Active
	if v.Err() == nil {
		err = h.Training.UpdateProgramme(ctx, p, training.Confirm{Capacity: c.PostForm("confirm_capacity") != ""})
	} else {
		err = h.Training.CheckProgramme(p)
	}
	if err = merge(v, err); err != nil {
		imp, ierr := h.Training.ProgrammeImpact(ctx, id, cur.Programme.Capacity)
		if ierr != nil {
			h.s.Fail(c, ierr)
			return
		}
		h.s.RenderForm(c, "training/programme_form", programmeFormPage{Action: programmePath(id),
			Programme: cur.Programme, ConfirmCapacity: needsCapacityConfirm(err), Impact: imp}, err)
		return
	}
	h.s.RedirectWithFlash(c, programmePath(id), "training.flash.saved")
}

// archivePage is what training/programme_archive renders.
type archivePage struct {
	Programme *tsunagu.Programme
	Impact    *training.Impact
}

func (h *Handlers) renderArchive(c *gin.Context, formErr error) {
	ctx := c.Request.Context()
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	pv, err := h.Training.FindProgramme(ctx, id)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	imp, err := h.Training.ProgrammeImpact(ctx, id, pv.Programme.Capacity)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	pg := archivePage{Programme: pv.Programme, Impact: imp}
	h.s.RenderForm(c, "training/programme_archive", pg, formErr)
}

// handleArchiveForm handles GET /coordinator/training/programmes/:id/archive:
// what archiving means for the people in its cohorts, and the confirmation.
func (h *Handlers) handleArchiveForm(c *gin.Context) { h.renderArchive(c, nil) }

// handleArchive handles POST /coordinator/training/programmes/:id/archive;
// without confirm the page asks again.
func (h *Handlers) handleArchive(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	_, err = h.Training.SetProgrammeActive(c.Request.Context(), id, false, c.PostForm("confirm") != "")
	if tsunagu.ErrorCode(err) == tsunagu.EINVALID {
		h.renderArchive(c, err)
		return
	} else if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.RedirectWithFlash(c, programmePath(id), "training.flash.archived")
}

// handleRestore handles POST /coordinator/training/programmes/:id/restore.
func (h *Handlers) handleRestore(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err == nil {
		_, err = h.Training.SetProgrammeActive(c.Request.Context(), id, true, false)
	}
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.RedirectWithFlash(c, programmePath(id), "training.flash.restored")
}
