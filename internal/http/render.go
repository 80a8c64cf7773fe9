package http

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
	"github.com/tsunagu-org/tsunagu/web"
)

// Page is the dot of every template.
type Page struct {
	*i18n.Printer
	User      *tsunagu.User
	Lang      string
	Dir       string // "ltr" or "rtl"
	CSRFToken string
	Path      string
	Query     url.Values
	Languages []string // the language switch offers these
	Flash     string   // a translated one-line notice
	Form      map[string]string
	Errors    map[string]string // translated, per field
	Data      any

	msgs *messages // the language's remembered translations (nil: none)
}

// T translates a message (see i18n.Printer.T), from the translations the
// server remembers for the page's language.
func (p *Page) T(id string, args ...any) string {
	if p.msgs == nil || p.msgs.p != p.Printer {
		return p.Printer.T(id, args...)
	}
	return p.msgs.T(id, args...)
}

// FieldError returns the translated error of a field ("" if none), for the
// field_error partial.
func (p *Page) FieldError(field string) map[string]string {
	return map[string]string{"Field": field, "Message": p.Errors[field]}
}

// Value returns what the user typed in field, for refilling a form.
func (p *Page) Value(field string) string { return p.Form[field] }

// ErrorIn reports whether a field named by one of prefixes, or one below
// it ("skills" covers "skills[2].label", "location" "location.prefecture"),
// has an error: a form opens the section that holds it.
func (p *Page) ErrorIn(prefixes ...string) bool {
	for f := range p.Errors {
		for _, pre := range prefixes {
			if f == pre || strings.HasPrefix(f, pre+"[") || strings.HasPrefix(f, pre+".") {
				return true
			}
		}
	}
	return false
}

// HasRole reports whether the user has role r.
func (p *Page) HasRole(r string) bool { return p.User != nil && string(p.User.Role) == r }

// ZoneName names the time zone the page shows times in (i18n.Zone).
func (p *Page) ZoneName() string { return i18n.ZoneName }

// LangName returns a language's own name, for choosing the interface's.
func (p *Page) LangName(l string) string { return i18n.Name(l) }

// Num writes a number as the reader's language does ("4,000,000",
// "٤٬٠٠٠٬٠٠٠"), from CLDR.
func (p *Page) Num(n int) string { return i18n.Num(n, p.Lang) }

// LanguageName names a language (ISO 639-1) in the reader's language.
func (p *Page) LanguageName(code string) string { return i18n.LanguageName(code, p.Lang) }

// CountryName names a country (ISO 3166-1 alpha-2) in the reader's language.
func (p *Page) CountryName(code string) string { return i18n.CountryName(code, p.Lang) }

// LanguageOptions and CountryOptions are the pickers' choices, named and
// sorted in the reader's language.
func (p *Page) LanguageOptions() []i18n.Named {
	return i18n.Options("language", tsunagu.LanguageCodes(), i18n.LanguageName, p.Lang)
}

func (p *Page) CountryOptions() []i18n.Named {
	return i18n.Options("country", tsunagu.CountryCodes(), i18n.CountryName, p.Lang)
}

// ConceptLabel is an ESCO skill or occupation named for the reader: Lang
// is set when Text is not in the page's language (shown marked, with its
// own lang attribute, by the "concept" partial).
type ConceptLabel struct {
	Text string
	Lang string
}

// Concept names the ESCO concept uri in the reader's language where the
// taxonomy has that label (English for all, Arabic for most occupations,
// the project's Japanese where it has one). Otherwise it keeps typed, the
// words the person wrote, when they are in a script the reader reads, and
// else falls back to the English label, marked as English. Without a uri
// (a free-text skill) it is typed as written.
func (p *Page) Concept(uri, typed string) ConceptLabel {
	if uri == "" {
		return ConceptLabel{Text: typed}
	}
	tax, err := taxonomy.Load()
	if err != nil {
		return ConceptLabel{Text: typed}
	}
	c, ok := tax.Concept(uri)
	if !ok {
		return ConceptLabel{Text: typed}
	}
	if l := c.Labels[p.Lang]; l != "" {
		return ConceptLabel{Text: l}
	}
	if typed != "" && readable(typed, p.Lang) {
		return ConceptLabel{Text: typed}
	}
	if l := c.Labels["en"]; l != "" {
		return ConceptLabel{Text: l, Lang: "en"}
	}
	return ConceptLabel{Text: typed}
}

// readable reports whether a reader of lang reads text's script: Japanese
// (kana, kanji) only for ja, Arabic script only for ar and fa, Cyrillic
// only for uk; Latin letters for everyone.
func readable(text, lang string) bool {
	for _, r := range text {
		switch {
		case unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han):
			if lang != "ja" {
				return false
			}
		case unicode.Is(unicode.Arabic, r):
			if lang != "ar" && lang != "fa" {
				return false
			}
		case unicode.Is(unicode.Cyrillic, r):
			if lang != "uk" {
				return false
			}
		}
	}
	return true
}

var funcs = template.FuncMap{
	// date and datetime show stored UTC times in the viewer's zone (see
	// i18n.Zone); the layout names the zone.
	"date": func(t any) string {
		switch v := t.(type) {
		case time.Time:
			return i18n.FormatDate(v)
		case *time.Time:
			if v == nil {
				return ""
			}
			return i18n.FormatDate(*v)
		}
		return ""
	},
	"datetime": i18n.FormatDateTime,
	"join":     strings.Join,
	"pct":      func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
	"dict": func(kv ...any) map[string]any {
		m := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			k, _ := kv[i].(string)
			m[k] = kv[i+1]
		}
		return m
	},
	"add": func(a, b int) int { return a + b },
	// facts names the candidate facts (tsunagu.CandidateFacts): a form
	// offers a checkbox of each name.
	"facts": tsunagu.FactNames,
	// has reports whether list holds any of items.
	"has": func(list []string, items ...string) bool {
		for _, v := range list {
			for _, it := range items {
				if v == it {
					return true
				}
			}
		}
		return false
	},
	"seq": func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i
		}
		return s
	},
}

// loadTemplates parses layout.html and partials/*.html with each page.
func (s *Server) loadTemplates() error {
	base := template.New("layout.html").Funcs(funcs)
	base, err := base.ParseFS(web.Templates, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return fmt.Errorf("parse layout: %w", err)
	}
	s.templates = map[string]*template.Template{}
	err = fs.WalkDir(web.Templates, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		rel := strings.TrimSuffix(strings.TrimPrefix(p, "templates/"), ".html")
		if rel == "layout" || strings.HasPrefix(rel, "partials/") {
			return nil
		}
		t, err := base.Clone()
		if err != nil {
			return err
		}
		if _, err := t.ParseFS(web.Templates, p); err != nil {
			return fmt.Errorf("parse %s: %w", p, err)
		}
		s.templates[rel] = t
		return nil
	})
	return err
}

// page builds the Page for the current request.
func (s *Server) page(c *gin.Context, data any) *Page {
	p := s.printer(c)
	u := currentUser(c)
	dir := "ltr"
	if i18n.RTL(p.Lang) {
		dir = "rtl"
	}
	langs := i18n.Primary
	if u == nil || u.Role == tsunagu.RoleCandidate {
		langs = i18n.Candidate
	}
	pg := &Page{
		Printer: p, User: u, Lang: p.Lang, Dir: dir, CSRFToken: csrfToken(c),
		Path: c.Request.URL.Path, Query: c.Request.URL.Query(), Languages: langs, Data: data,
		Form: map[string]string{}, Errors: map[string]string{}, msgs: s.messages[p.Lang],
	}
	if f, err := c.Cookie(flashCookie); err == nil && f != "" {
		pg.Flash = p.T(f)
		c.SetCookie(flashCookie, "", -1, "/", "", false, true)
	}
	return pg
}

// render writes a page with status.
func (s *Server) render(c *gin.Context, status int, name string, data any) {
	s.renderPage(c, status, name, s.page(c, data))
}

// Render is render for feature packages.
func (s *Server) Render(c *gin.Context, status int, name string, data any) {
	s.render(c, status, name, data)
}

// renderForm re-renders a form page with the user's input kept and the
// translated per-field errors of err.
func (s *Server) renderForm(c *gin.Context, name string, data any, err error) {
	e := tsunagu.AsError(err)
	if e == nil || e.Code != tsunagu.EINVALID && len(e.Fields) == 0 {
		if e == nil || e.Code == tsunagu.EINTERNAL {
			s.fail(c, err)
			return
		}
	}
	pg := s.page(c, data)
	c.Request.ParseForm()
	for k, v := range c.Request.PostForm {
		if k == "password" || k == "password_confirm" || k == csrfField {
			continue
		}
		pg.Form[k] = strings.Join(v, "\n")
	}
	status := StatusOf(e.Code)
	if len(e.Fields) > 0 {
		for k, f := range e.Fields {
			pg.Errors[k] = pg.T(f.ID, f.Data)
		}
	} else {
		pg.Errors["_form"] = pg.T(e.Message, e.Data)
	}
	s.renderPage(c, status, name, pg)
}

// RenderForm is renderForm for feature packages; with a nil err it renders
// the page as it is (200), so a page that may carry a form's error renders
// through one call.
func (s *Server) RenderForm(c *gin.Context, name string, data any, err error) {
	if err == nil {
		s.render(c, http.StatusOK, name, data)
		return
	}
	s.renderForm(c, name, data, err)
}

func (s *Server) renderPage(c *gin.Context, status int, name string, pg *Page) {
	t, ok := s.templates[name]
	if !ok {
		s.Log.Error("missing template", "name", name)
		c.String(http.StatusInternalServerError, "Internal error")
		return
	}
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledBuffer {
			buf.Reset()
			renderBuffers.Put(buf)
		}
	}()
	if err := t.ExecuteTemplate(buf, "layout.html", pg); err != nil {
		s.Log.Error("render", "template", name, "err", err, "request_id", c.GetString(ctxRequestID))
		c.Data(http.StatusInternalServerError, "text/html; charset=utf-8", []byte("<!doctype html><title>Error</title><p>Internal error / 内部エラー</p>"))
		return
	}
	// The length is known: the response goes out without chunked framing.
	c.Header("Content-Length", strconv.Itoa(buf.Len()))
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// renderBuffers keeps page buffers between requests (a page is rendered
// whole before its status is sent, so an error can still answer 500).
var renderBuffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 16<<10)) }}

// maxPooledBuffer is the largest buffer kept: a rare huge page does not
// pin its memory.
const maxPooledBuffer = 256 << 10

const flashCookie = "tsunagu_flash"

// redirectWithFlash redirects with a one-time notice (a message ID).
func (s *Server) redirectWithFlash(c *gin.Context, to, msgID string) {
	c.SetCookie(flashCookie, msgID, 60, "/", "", !s.Config.Dev, true)
	c.Redirect(http.StatusSeeOther, to)
}

// RedirectWithFlash is redirectWithFlash for feature packages.
func (s *Server) RedirectWithFlash(c *gin.Context, to, msgID string) {
	s.redirectWithFlash(c, to, msgID)
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// safeNext returns next if a browser resolves it to a path of this site,
// else fallback. Browsers drop tabs and newlines from a URL, read a
// backslash as a slash and "//host" as another site, so any of those
// (and any other control character, or a scheme or host) refuses it.
func safeNext(next, fallback string) string {
	if next == "" || next[0] != '/' || strings.ContainsAny(next, "\\") {
		return fallback
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f {
			return fallback
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return fallback
	}
	u.Path = path.Clean(u.Path)
	u.RawPath = ""
	if strings.HasPrefix(u.Path, "//") {
		return fallback
	}
	return u.String()
}

// RenderFilled renders a form page filled with a record's values (form:
// field name → value, named as the validation errors name the fields).
func (s *Server) RenderFilled(c *gin.Context, name string, data any, form map[string]string) {
	pg := s.page(c, data)
	pg.Form = form
	s.renderPage(c, http.StatusOK, name, pg)
}
