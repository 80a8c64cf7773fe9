package casehttp

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/cases"
	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func (h *Handlers) registerFollowups(r *thttp.Router) {
	r.Engine.GET("/followups", h.s.SignedIn(), h.handleFollowups)
	r.Engine.GET("/followups/:id", h.s.SignedIn(), h.handleFollowupForm)
	r.Engine.POST("/followups/:id", h.s.SignedIn(), h.handleFollowupAnswer)
	r.Engine.GET("/notifications", h.s.SignedIn(), h.handleNotifications)
	r.Engine.POST("/notifications/read", h.s.SignedIn(), h.handleNotificationsRead)
	r.Engine.POST("/notifications/mail", h.s.SignedIn(), h.handleNotificationMail)
}

// handleFollowups handles GET /followups: the check-ins due that the user
// answers.
func (h *Handlers) handleFollowups(c *gin.Context) {
	list, err := h.Cases.OwnFollowups(c.Request.Context())
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.Render(c, http.StatusOK, "cases/followups", gin.H{"Followups": list})
}

// handleFollowupForm handles GET /followups/:id: the short check-in form.
func (h *Handlers) handleFollowupForm(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	f, err := h.Cases.FindFollowup(c.Request.Context(), id)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.Render(c, http.StatusOK, "cases/followup", gin.H{"Followup": f})
}

func answerFromForm(c *gin.Context) tsunagu.FollowupAnswer {
	a := tsunagu.FollowupAnswer{Issues: strings.TrimSpace(c.PostForm("issues"))}
	switch c.PostForm("still_employed") {
	case "yes":
		t := true
		a.StillEmployed = &t
	case "no":
		f := false
		a.StillEmployed = &f
	}
	a.Satisfaction, _ = strconv.Atoi(c.PostForm("satisfaction"))
	return a
}

// handleFollowupAnswer handles POST /followups/:id (still_employed=yes|no,
// satisfaction=1..5, issues).
func (h *Handlers) handleFollowupAnswer(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	if err := h.Cases.AnswerFollowup(ctx, id, answerFromForm(c)); err != nil {
		if tsunagu.ErrorCode(err) != tsunagu.EINVALID && tsunagu.ErrorCode(err) != tsunagu.ECONFLICT {
			h.s.Fail(c, err)
			return
		}
		f, ferr := h.Cases.FindFollowup(ctx, id)
		if ferr != nil {
			h.s.Fail(c, ferr)
			return
		}
		h.s.RenderForm(c, "cases/followup", gin.H{"Followup": f}, err)
		return
	}
	h.s.RedirectWithFlash(c, "/followups", "cases.flash.followup_saved")
}

// handleNotifications handles GET /notifications: the user's in-app
// notifications, newest first, worded in the reader's language; many of
// one kind on one day are one group to open (cases.GroupNotifications).
func (h *Handlers) handleNotifications(c *gin.Context) {
	u := thttp.CurrentUser(c)
	list, err := h.DB.Notifications(c.Request.Context(), u.ID, 200)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	p := h.s.Printer(c)
	t := func(id string, data map[string]any) string { return p.T(id, data) }
	type line struct {
		*tsunagu.Notification
		Text string
	}
	type group struct {
		*cases.NotificationGroup
		Title string
		Lines []line
	}
	var groups []group
	for _, g := range cases.GroupNotifications(list, i18n.Zone) {
		gr := group{NotificationGroup: g, Title: p.T("cases.notifications.kind." + g.Kind)}
		for _, n := range g.Items {
			gr.Lines = append(gr.Lines, line{Notification: n, Text: cases.NotificationText(t, n)})
		}
		groups = append(groups, gr)
	}
	digest, err := h.DB.MailsDigest(c.Request.Context(), u.ID)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.Render(c, http.StatusOK, "cases/notifications", gin.H{"Groups": groups, "Digest": digest})
}

// handleNotificationMail handles POST /notifications/mail {mail: daily |
// each}: the user's choice of a daily digest (cases.SendDigests) or an
// e-mail per notification.
func (h *Handlers) handleNotificationMail(c *gin.Context) {
	var daily bool
	switch c.PostForm("mail") {
	case "daily":
		daily = true
	case "each":
	default:
		h.s.Fail(c, &tsunagu.Error{Code: tsunagu.EINVALID, Message: "error.invalid_input",
			Fields: map[string]tsunagu.FieldError{"mail": {ID: "error.choice"}}})
		return
	}
	if err := h.DB.SetMailDigest(c.Request.Context(), thttp.CurrentUser(c).ID, daily); err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.RedirectWithFlash(c, "/notifications", "digest.flash.saved")
}

// handleNotificationsRead handles POST /notifications/read: marks all read.
func (h *Handlers) handleNotificationsRead(c *gin.Context) {
	u := thttp.CurrentUser(c)
	if err := h.DB.MarkNotificationsRead(c.Request.Context(), u.ID, h.Cases.Now()); err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.RedirectWithFlash(c, "/notifications", "cases.flash.read")
}
