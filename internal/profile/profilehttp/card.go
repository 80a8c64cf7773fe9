package profilehttp

import (
	"context"
	"strings"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// listCards handles GET /company/candidates?q=: cards of candidates
// visible to companies.
func (h *Handlers) listCards(c *gin.Context) (any, error) {
	f := cardFilter(c)
	cards, total, err := h.Candidates.ListCandidateCards(c.Request.Context(), f)
	return gin.H{"Cards": cards, "Total": total, "Query": f.Query, "Offset": f.Offset, "Limit": f.Limit}, err
}

// showCard handles GET /company/candidates/:id: one anonymised card.
func (h *Handlers) showCard(c *gin.Context) (any, error) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		return nil, err
	}
	var card *tsunagu.CandidateCard
	lecturer := true
	if f, ok := h.Candidates.(cardPageFinder); ok {
		card, lecturer, err = f.FindCandidateCardPage(c.Request.Context(), id)
	} else {
		card, err = h.Candidates.FindCandidateCard(c.Request.Context(), id)
	}
	if err != nil {
		return nil, err
	}
	var ws *tsunagu.LecturerHistory
	switch {
	case h.Workshops == nil:
	case !lecturer:
		// Never proposed as a lecturer: the history is empty whoever
		// looks. It shows as the card's one empty state (the one a card
		// shows when a person taught only at the viewing company, so the
		// two cannot be told apart); a company with consent would have
		// read "none yet", as true, and nothing was there to audit.
		ws = &tsunagu.LecturerHistory{Card: &tsunagu.CardWorkshops{Languages: []string{}}}
	default:
		if ws, err = h.workshops(c, card.ID); err != nil {
			return nil, err
		}
	}
	labels := h.labels(c, card.Occupations)
	return cardPage{Card: card, Labels: labels, Workshops: ws, View: h.newCardView(c, card, labels)}, nil
}

// cardPageFinder finds a card and whether its candidate was ever proposed
// as a workshop lecturer, in one go (profile.Service).
type cardPageFinder interface {
	FindCandidateCardPage(ctx context.Context, id int64) (*tsunagu.CandidateCard, bool, error)
}

// cardPage is the data of candidate/card: the card (built by the profile
// service from the allow-list) and its lines translated in Go, so the
// template prints strings instead of calling a translation per value (the
// page companies browse most).
type cardPage struct {
	Card      *tsunagu.CandidateCard
	Labels    map[string]string // ESCO URI → label
	Workshops *tsunagu.LecturerHistory
	View      cardView
}

// cardView is a card's text in the page's language. It holds only what
// the card holds.
type cardView struct {
	Title       string
	Facts       []cardFact
	Experience  []string
	Skills      []string
	Languages   []string
	Education   []string
	NoneMessage string
}

// cardFact is one term of the card's description list.
type cardFact struct{ Term, Desc string }

// newCardView translates card into the request's language. labels names
// ESCO occupations.
func (h *Handlers) newCardView(c *gin.Context, card *tsunagu.CandidateCard, labels map[string]string) cardView {
	t := h.s.Messages(c)
	const sep = " · "
	v := cardView{Title: t.T("card.candidate", "ID", card.ID), NoneMessage: t.T("profile.none")}
	add := func(term, desc string) { v.Facts = append(v.Facts, cardFact{term, desc}) }
	if card.OriginRegion != "" {
		add(t.T("card.origin_region"), t.T("card.from", "Region", card.OriginRegion))
	}
	if card.JapanRegion != "" {
		add(t.T("card.japan_region"), card.JapanRegion)
	}
	add(t.T("card.experience_years"), t.T("card.total_years", "Years", card.TotalYears))
	if card.WorkplacePreference != "" {
		add(t.T("profile.field.workplace_preference"), t.T("workplace."+card.WorkplacePreference))
	}
	relocate := t.T("common.no")
	if card.WillingToRelocate {
		relocate = t.T("common.yes")
	}
	add(t.T("profile.field.willing_to_relocate"), relocate)
	if len(card.PreferredPrefectures) > 0 {
		add(t.T("profile.field.preferred_prefectures"), strings.Join(card.PreferredPrefectures, ", "))
	}
	if card.AvailableFrom != nil {
		add(t.T("profile.field.available_from"), card.AvailableFrom.Format("2006-01-02"))
	}
	if len(card.Occupations) > 0 {
		var b strings.Builder
		for _, uri := range card.Occupations {
			if l := labels[uri]; l != "" {
				b.WriteString(l)
				b.WriteByte(' ')
			}
		}
		add(t.T("profile.field.desired_occupations"), b.String())
	}
	for _, e := range card.Experience {
		title := e.Title
		if title == "" {
			title = t.T("card.other_experience")
		}
		v.Experience = append(v.Experience, title+sep+t.T("profile.years", "Years", e.Years))
	}
	for _, sk := range card.Skills {
		line := sk.Label
		if sk.Level != "" {
			line += sep + t.T("level."+sk.Level)
		}
		if sk.Years != 0 {
			line += sep + t.T("profile.years", "Years", sk.Years)
		}
		// A skill a training programme verified says which programme: a
		// programme many people take, not who this is.
		if sk.Verified != "" {
			line += sep + "✓ " + t.T("profile.verified_by", "Programme", sk.Verified)
		}
		v.Skills = append(v.Skills, line)
	}
	for _, l := range card.Languages {
		level := l.Level
		if level == "native" {
			level = t.T("level.native")
		}
		name := i18n.LanguageName(l.Code, h.s.Printer(c).Lang) // in the reader's language, as the profile names it
		if l.Code == tsunagu.LanguageOther {
			name = t.T("card.language_other") // tsunagu.CardLanguages
		}
		v.Languages = append(v.Languages, name+sep+level)
	}
	for _, e := range card.Education {
		line := t.T("education." + e.Level)
		if e.Field != "" {
			line += sep + e.Field
		}
		if !e.Completed {
			line += " (" + t.T("profile.not_completed") + ")"
		}
		v.Education = append(v.Education, line)
	}
	return v
}
