package casehttp

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// recordedConsentIn is the body of POST
// /api/v1/introductions/:id/recorded-consent.
type recordedConsentIn struct {
	Answer     string    `json:"answer" validate:"required,oneof=consent decline"`
	Method     string    `json:"method" validate:"required,consent_method"` // phone, in_person, paper, messaging
	ObtainedAt time.Time `json:"obtained_at" validate:"required"`           // RFC 3339
	Words      string    `json:"words" validate:"required,max=2000"`        // the person's words or the document's reference
}

func init() {
	thttp.DocumentAPI(thttp.APIOp{Method: "POST", Path: "/introductions/:id/recorded-consent", ID: "recordIntroductionConsent",
		Summary: "Record a consent or decline the candidate gave outside the platform (staff; audited; the candidate is told and may withdraw it)",
		Tag:     "introductions", Status: 201, Request: recordedConsentIn{}, Response: thttp.Created{}})
}

func (h *Handlers) registerRecordedConsent(r *thttp.Router) {
	g := r.Engine.Group("/coordinator", r.Server.Require(tsunagu.ActCoordinatorArea))
	g.GET("/introductions/:id/consent", h.s.HTML("cases/record_consent", thttp.WithID(h.handleRecordConsentForm)))
	g.POST("/introductions/:id/consent", h.handleRecordConsent)
	r.API.POST("/introductions/:id/recorded-consent", h.s.JSON(http.StatusCreated, h.apiRecordConsent))
}

// recordConsentPage is the data of cases/record_consent.
type recordConsentPage struct {
	Introduction *tsunagu.Introduction
	Methods      []string
	// Answers lists the answers the introduction still awaits.
	Answers []string
	Now     string // the default "obtained at", local time
}

// recordAnswers are the answers an introduction in stage s may still take.
func recordAnswers(s tsunagu.IntroStage) []string {
	var out []string
	for _, n := range s.NextStages() {
		switch n {
		case tsunagu.IntroConsented:
			out = append(out, tsunagu.AnswerConsent)
		case tsunagu.IntroDeclinedByCand:
			out = append(out, tsunagu.AnswerDecline)
		}
	}
	return out
}

func (h *Handlers) recordConsentPage(c *gin.Context, id int64) (*recordConsentPage, error) {
	in, err := h.Cases.FindIntroduction(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	return &recordConsentPage{Introduction: in, Methods: tsunagu.ConsentMethods, Answers: recordAnswers(in.Stage),
		Now: i18n.LocalTime(time.Now()).Format(localMinute)}, nil
}

// localMinute is the layout of a datetime-local input.
const localMinute = "2006-01-02T15:04"

// handleRecordConsentForm handles GET /coordinator/introductions/:id/consent:
// the form to record an answer the candidate gave outside the platform.
func (h *Handlers) handleRecordConsentForm(c *gin.Context, id int64) (any, error) {
	return h.recordConsentPage(c, id)
}

// handleRecordConsent handles POST /coordinator/introductions/:id/consent
// (answer, method, obtained_at as local date and time, words): records the
// answer, then back to the case; bad input re-renders the form with the
// errors next to their fields.
func (h *Handlers) handleRecordConsent(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	r := tsunagu.RecordedConsent{Answer: c.PostForm("answer"), Method: c.PostForm("method"), Words: c.PostForm("words")}
	// A date that does not parse stays zero: the service then reports the
	// field with the others, and writes nothing.
	s := strings.TrimSpace(c.PostForm("obtained_at"))
	badDate := false
	if s != "" {
		t, perr := time.ParseInLocation(localMinute, s, i18n.Zone)
		badDate = perr != nil
		if !badDate {
			r.ObtainedAt = t
		}
	}
	_, err = h.Cases.RecordConsent(ctx, id, r)
	if e := tsunagu.AsError(err); badDate && e != nil && e.Fields["obtained_at"].ID != "" {
		e.Fields["obtained_at"] = tsunagu.FieldError{ID: "introduction.error.obtained_at"}
	}
	if err != nil {
		if code := tsunagu.ErrorCode(err); code != tsunagu.EINVALID {
			h.s.Fail(c, err)
			return
		}
		d, derr := h.recordConsentPage(c, id)
		if derr != nil {
			h.s.Fail(c, derr)
			return
		}
		h.s.RenderForm(c, "cases/record_consent", d, translateErr(h.s.Printer(c), err))
		return
	}
	in, err := h.Cases.FindIntroduction(ctx, id)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.RedirectWithFlash(c, fmt.Sprintf("/coordinator/cases/%d", in.CaseID), "cases.flash.consent_recorded")
}

// apiRecordConsent handles POST /api/v1/introductions/:id/recorded-consent.
func (h *Handlers) apiRecordConsent(c *gin.Context) (any, error) {
	var in recordedConsentIn
	if err := thttp.BindJSON(c, &in); err != nil {
		return nil, err
	}
	r := tsunagu.RecordedConsent{Answer: in.Answer, Method: in.Method, ObtainedAt: in.ObtainedAt, Words: in.Words}
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		return nil, err
	}
	rid, err := h.Cases.RecordConsent(c.Request.Context(), id, r)
	if err != nil {
		return nil, translateErr(h.s.Printer(c), err)
	}
	return gin.H{"id": rid}, nil
}
