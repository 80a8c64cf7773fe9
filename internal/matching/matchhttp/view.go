package matchhttp

import (
	"html"
	"html/template"
	"strconv"
	"strings"
	"sync"

	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/matching"
	"github.com/tsunagu-org/tsunagu/internal/search"
)

// The match page shows 20 cards of a dozen translated strings each. They
// are put together here, each message translated once per language and
// kept (a message with a value is translated with a marker and filled in),
// so the template only prints: the page is the platform's busiest.

// cardView is one card of the match page, every string translated.
type cardView struct {
	ID         int64
	Title      string // "Candidate #12"
	Score      string // "Strong fit 85%"
	Occupation string // "Fits as: accountant" ("" when none)
	Facts      string // "Japanese N2 · Region in Japan: Kanto · would relocate"
	Matched    []skillView
	Missing    []string
	Unmet      []string
	Breakdown  string // "Same occupation 98% · Required skills held 80% · ..."
}

type skillView struct{ Label, Note string }

// marker stands in for a value while a message is translated once.
const marker = "\x00"

// translator translates messages into one language, each once: the
// catalogues do not change while the process runs. Safe for concurrent
// use.
type translator struct {
	p      *i18n.Printer
	mu     sync.RWMutex
	plain  map[string]string
	with   map[string]string
	labels map[string]string // cardLabels
}

// translators keeps a translator per Printer (the server builds one
// Printer per language at start).
var translators sync.Map // *i18n.Printer -> *translator

func newTranslator(p *i18n.Printer) *translator {
	if t, ok := translators.Load(p); ok {
		return t.(*translator)
	}
	t, _ := translators.LoadOrStore(p, &translator{p: p, plain: map[string]string{}, with: map[string]string{}})
	return t.(*translator)
}

func (t *translator) cached(m map[string]string, id string, translate func() string) string {
	t.mu.RLock()
	s, ok := m[id]
	t.mu.RUnlock()
	if ok {
		return s
	}
	s = translate()
	t.mu.Lock()
	m[id] = s
	t.mu.Unlock()
	return s
}

// T translates a message without values.
func (t *translator) T(id string) string {
	return t.cached(t.plain, id, func() string { return t.p.T(id) })
}

// V translates a message with one value named key.
func (t *translator) V(id, key, value string) string {
	s := t.cached(t.with, id, func() string { return t.p.T(id, key, marker) })
	return strings.Replace(s, marker, value, 1)
}

// pct formats a share as a whole percentage.
func pct(f float64) string { return strconv.FormatFloat(f*100, 'f', 0, 64) + "%" }

// cardViews translates the cards of a role's matches.
func cardViews(t *translator, cards []matching.Card) []cardView {
	sep := " · "
	out := make([]cardView, 0, len(cards))
	for _, c := range cards {
		v := cardView{ID: c.CandidateID, Title: t.V("card.candidate", "ID", strconv.FormatInt(c.CandidateID, 10)), Score: t.T("match.level."+c.Level) + " " + pct(c.Score),
			Missing: c.Missing}
		if c.OccupationLabel != "" {
			v.Occupation = t.V("match.card.occupation", "Occupation", c.OccupationLabel)
		}
		var facts []string
		if c.JapaneseLevel != "" {
			facts = append(facts, t.V("match.card.japanese", "Level", c.JapaneseLevel))
		} else {
			facts = append(facts, t.T("match.card.japanese_none"))
		}
		if c.Region != "" {
			facts = append(facts, t.T("card.japan_region")+": "+c.Region)
		}
		if c.Relocate {
			facts = append(facts, t.T("match.card.relocates"))
		}
		if c.Workplace != "" {
			facts = append(facts, t.T("workplace."+c.Workplace))
		}
		if c.AvailableFrom != nil {
			facts = append(facts, t.V("match.card.available", "Date", c.AvailableFrom.Format("2006-01-02")))
		}
		v.Facts = strings.Join(facts, sep)
		for _, m := range c.Matched {
			kind := t.T("match.preferred")
			if m.Required {
				kind = t.T("match.required")
			}
			note := kind + sep + t.T("match.via."+m.Via)
			if m.CandidateLabel != "" && !strings.EqualFold(m.CandidateLabel, m.Label) {
				note += sep + t.V("match.via.their_words", "Label", m.CandidateLabel)
			}
			if m.Extracted {
				note += sep + t.T("match.via.extracted")
			}
			v.Matched = append(v.Matched, skillView{m.Label, note})
		}
		for _, u := range c.Unmet {
			s := t.T("match.unmet." + u.Code)
			if u.Code == search.UnmetJapanese && u.Detail != "" {
				s += " (" + u.Detail + ")"
			}
			v.Unmet = append(v.Unmet, s)
		}
		b := c.Breakdown
		v.Breakdown = strings.Join([]string{
			t.T("match.breakdown.same_occupation") + " " + pct(b.SameOccupation),
			t.T("match.breakdown.same_isco_group") + " " + pct(b.SameISCOGroup),
			t.T("match.breakdown.required") + " " + pct(b.Required),
			t.T("match.breakdown.preferred") + " " + pct(b.Preferred),
			t.T("match.breakdown.text") + " " + pct(b.Text),
			t.T("match.breakdown.demotion") + " × " + strconv.FormatFloat(b.Demotion, 'f', 1, 64),
		}, sep)
		out = append(out, v)
	}
	return out
}

// cardLabels are the card's fixed strings, translated once (read only).
func cardLabels(t *translator) map[string]string {
	t.mu.RLock()
	l := t.labels
	t.mu.RUnlock()
	if l != nil {
		return l
	}
	l = map[string]string{}
	for _, id := range []string{"match.reasons.matched", "match.reasons.missing", "match.reasons.unmet", "match.reasons.none",
		"match.breakdown", "match.card.view", "match.request", "match.request.note", "match.request.help"} {
		l[strings.ReplaceAll(strings.TrimPrefix(id, "match."), ".", "_")] = t.T(id)
	}
	t.mu.Lock()
	t.labels = l
	t.mu.Unlock()
	return l
}

// CardsHTML renders the page's cards, csrf being the page's token for the
// introduction forms. Twenty cards of some forty values each cost more as
// template actions (each one a reflective call to an escaper) than the
// ranking behind them, so the markup is written here, every value escaped.
func (pg roleMatchesPage) CardsHTML(csrf string) template.HTML {
	var b strings.Builder
	b.Grow(len(pg.Cards) * 3072)
	esc := func(s string) { b.WriteString(html.EscapeString(s)) }
	label := func(key string) { esc(pg.L[key]) }
	role := strconv.FormatInt(pg.Role.ID, 10)
	for _, c := range pg.Cards {
		id := strconv.FormatInt(c.ID, 10)
		b.WriteString(`<article class="match-card" id="candidate-` + id + `">` + "\n")
		b.WriteString(`  <header><strong>`)
		esc(c.Title)
		b.WriteString(`</strong> · <span class="badge">`)
		esc(c.Score)
		b.WriteString(`</span>`)
		if c.Occupation != "" {
			b.WriteString(`<br><small>`)
			esc(c.Occupation)
			b.WriteString(`</small>`)
		}
		b.WriteString("</header>\n  <p><small>")
		esc(c.Facts)
		b.WriteString("</small></p>\n  <h3 class=\"h6\">")
		label("reasons_matched")
		b.WriteString("</h3>\n  <ul>")
		for _, m := range c.Matched {
			b.WriteString(`<li>`)
			esc(m.Label)
			b.WriteString(` <small>(`)
			esc(m.Note)
			b.WriteString(`)</small></li>`)
		}
		if len(c.Matched) == 0 {
			b.WriteString(`<li class="empty">`)
			label("reasons_none")
			b.WriteString(`</li>`)
		}
		b.WriteString("</ul>\n")
		list := func(title string, items []string, open, close string) {
			if len(items) == 0 {
				return
			}
			b.WriteString(`  <h3 class="h6">`)
			label(title)
			b.WriteString("</h3>\n  <ul>")
			for _, x := range items {
				b.WriteString("<li>" + open)
				esc(x)
				b.WriteString(close + "</li>")
			}
			b.WriteString("</ul>\n")
		}
		list("reasons_missing", c.Missing, "", "")
		list("reasons_unmet", c.Unmet, "<mark>", "</mark>")
		b.WriteString("  <details><summary>")
		label("breakdown")
		b.WriteString("</summary>\n  <p class=\"breakdown\"><small>")
		esc(c.Breakdown)
		b.WriteString("</small></p>\n  </details>\n  <footer>\n    <a href=\"")
		esc(pg.CardPath)
		b.WriteString(id + `">`)
		label("card_view")
		b.WriteString("</a>\n")
		if pg.Company {
			b.WriteString(`    <form method="post" action="/roles/` + role + `/matches/` + id + `/introduction">` + "\n")
			b.WriteString(`      <input type="hidden" name="csrf_token" value="`)
			esc(csrf)
			b.WriteString(`">` + "\n" + `      <label for="note-` + id + `">`)
			label("request_note")
			b.WriteString(`</label>` + "\n" + `      <input id="note-` + id + `" name="note" maxlength="2000">` + "\n")
			b.WriteString(`      <button type="submit" class="small">`)
			label("request")
			b.WriteString("</button>\n      <small>")
			label("request_help")
			b.WriteString("</small>\n    </form>\n")
		}
		b.WriteString("  </footer>\n</article>\n")
	}
	return template.HTML(b.String())
}

// optionsHTML renders a select's options, marking the selected one: the
// prefecture list is long and the same on every page, so it is built here
// rather than by 47 template actions.
func optionsHTML(opts []option, selected string) template.HTML {
	var b strings.Builder
	for _, o := range opts {
		b.WriteString(`<option value="`)
		b.WriteString(html.EscapeString(o.Value))
		b.WriteString(`"`)
		if o.Value == selected {
			b.WriteString(" selected")
		}
		b.WriteString(">")
		b.WriteString(html.EscapeString(o.Label))
		b.WriteString("</option>")
	}
	return template.HTML(b.String())
}
