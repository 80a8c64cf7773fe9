package profilehttp

import (
	"cmp"
	"context"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/profile"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Rows offered in the form's lists: what is there plus a few empty rows.
const (
	extraSkillRows = 3
	extraRows      = 1
)

// candidateForm is the data of candidate/edit.
type candidateForm struct {
	Action string
	Staff  bool
	ID     int64
	// Version is what the form saves from (its hidden field); after a
	// conflict, the version saved meanwhile, whose differences Conflict
	// lists.
	Version      int64
	Conflict     []conflictRow
	Completeness tsunagu.Completeness
	SkillRows    int
	LangRows     int
	WorkRows     int
	EduRows      int
	Prefectures  []tsunagu.Prefecture
	Vocab        vocabularies
	// Locales are the languages a person may read the platform's
	// invitations and notices in (staff choose it for them).
	Locales []string
	// Desired holds the work wanted as the rows show it: a stored
	// occupation by its label, a typed title as typed.
	Desired []string
	// Duplicates are stored profiles likely of the same person: confirm
	// or open one.
	Duplicates []profile.Duplicate
}

// desiredRows is how many kinds of work wanted the form offers.
const desiredRows = 3

// renderCandidateForm shows the form of cand: filled with it, or, after
// err, with what was posted and the errors. When someone else saved the
// profile since the form was opened (tsunagu.Stale), it also shows their
// version where it differs, and the form saves from that version.
func (h *Handlers) renderCandidateForm(c *gin.Context, cand *tsunagu.Candidate, action string, staff bool, err error, dups ...profile.Duplicate) {
	data := candidateForm{Duplicates: dups,
		Action: action, Staff: staff, ID: cand.ID, Version: cand.Version, Completeness: cand.Completeness(),
		SkillRows: len(cand.Skills) + extraSkillRows, LangRows: max(len(cand.Languages)+extraRows, 3),
		WorkRows: len(cand.WorkHistory) + extraRows, EduRows: len(cand.Education) + extraRows,
		Prefectures: tsunagu.Prefectures, Vocab: vocab(), Locales: i18n.Candidate,
	}
	labels := h.labels(c, cand.DesiredOccupations)
	for _, d := range cand.DesiredOccupations {
		data.Desired = append(data.Desired, cmp.Or(labels[d], d))
	}
	for len(data.Desired) < max(desiredRows, len(cand.DesiredOccupations)) {
		data.Desired = append(data.Desired, "")
	}
	if tsunagu.IsStale(err) {
		find := h.Candidates.FindOwnCandidate
		if staff {
			find = func(ctx context.Context) (*tsunagu.Candidate, error) {
				return h.Candidates.FindCandidateByID(ctx, cand.ID)
			}
		}
		current, ferr := readBefore(c, err)
		if current == nil {
			current, ferr = find(c.Request.Context())
		}
		if ferr != nil {
			h.s.Fail(c, ferr)
			return
		}
		data.Version = current.Version
		data.Conflict = conflictRows(thttp.FormFields(cand), thttp.FormFields(current), candidateLabels(staff))
	}
	if err != nil {
		h.s.RenderForm(c, "candidate/edit", data, err)
		return
	}
	h.s.RenderFilled(c, "candidate/edit", data, thttp.FormFields(cand))
}

// candidateLabels names the fields of the candidate form, in its order.
func candidateLabels(staff bool) []fieldLabel {
	l := []fieldLabel{
		{"name", "profile.field.name"}, {"email", "field.email"}, {"phone", "profile.field.phone"},
		{"nationality", "profile.field.nationality_code"},
	}
	if staff {
		l = append(l, fieldLabel{"external_id", "profile.field.external_id"}, fieldLabel{"photo_url", "profile.field.photo_url"})
	}
	l = append(l,
		fieldLabel{"residence_status", "profile.field.residence_status"}, fieldLabel{"residence_expiry", "profile.field.residence_expiry"},
		fieldLabel{"headline", "profile.field.headline"}, fieldLabel{"summary", "profile.field.summary"},
		fieldLabel{"location.prefecture", "profile.field.prefecture"}, fieldLabel{"skills", "profile.section.skills"},
		fieldLabel{"languages", "profile.section.languages"}, fieldLabel{"work_history", "profile.section.work_history"},
		fieldLabel{"education", "profile.section.education"}, fieldLabel{"certifications", "profile.field.certifications"},
		fieldLabel{"preferred_prefectures", "profile.field.preferred_prefectures"},
		fieldLabel{"workplace_preference", "profile.field.workplace_preference"},
		fieldLabel{"willing_to_relocate", "profile.field.willing_to_relocate"},
		fieldLabel{"available_from", "profile.field.available_from"},
		fieldLabel{"speaker_opt_in", "profile.field.speaker_opt_in"}, fieldLabel{"visibility", "profile.field.visibility"},
	)
	for _, f := range tsunagu.FactNames() {
		l = append(l, fieldLabel{f, "profile.field." + f})
	}
	return l
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

// storedKey is where saveCandidateForm keeps the profile as the request
// read it, before the form was bound over it.
const storedKey = "profilehttp.stored"

// readBefore returns the profile the request read before binding the form
// when it is the version a Stale err names (someone else's save, read
// already, and its view audited already: a re-read would audit a second
// view of one save); nil when another save came between.
func readBefore(c *gin.Context, err error) (*tsunagu.Candidate, error) {
	stored, _ := c.Value(storedKey).(*tsunagu.Candidate)
	if e := tsunagu.AsError(err); stored != nil && e != nil && e.Data["Version"] == stored.Version {
		return stored, nil
	}
	return nil, nil
}
