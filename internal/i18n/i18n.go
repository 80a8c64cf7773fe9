// Package i18n translates the user interface. Catalogues are go-i18n JSON
// files named <area>.<lang>.json in web/locales; every string shown to a user
// comes from them.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Languages the whole interface speaks.
var Primary = []string{"ja", "en"}

// Candidate lists the languages candidate pages speak, primary ones first.
var Candidate = []string{"ja", "en", "fr", "ar", "fa", "uk"}

var names = map[string]string{
	"ja": "日本語", "en": "English", "fr": "Français", "ar": "العربية", "fa": "دری", "uk": "Українська",
}

// Name returns the language's own name ("日本語").
func Name(lang string) string { return names[lang] }

// RTL reports whether lang is written right to left.
func RTL(lang string) bool { return lang == "ar" || lang == "fa" }

// Supported reports whether lang is one of the candidate languages.
func Supported(lang string) bool {
	for _, l := range Candidate {
		if l == lang {
			return true
		}
	}
	return false
}

// Bundle holds every catalogue.
type Bundle struct {
	b   *i18n.Bundle
	ids map[string]map[string]bool // lang -> ids present
}

// Load reads every locales/*.json file from fsys.
func Load(fsys fs.FS) (*Bundle, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	files, err := fs.Glob(fsys, "locales/*.json")
	if err != nil {
		return nil, err
	}
	ids := map[string]map[string]bool{}
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		mf, err := b.ParseMessageFileBytes(data, path.Base(f))
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", f, err)
		}
		lang := mf.Tag.String()
		if ids[lang] == nil {
			ids[lang] = map[string]bool{}
		}
		for _, m := range mf.Messages {
			ids[lang][m.ID] = true
		}
	}
	return &Bundle{b: b, ids: ids}, nil
}

// IDs returns the message IDs of lang's catalogues.
func (b *Bundle) IDs(lang string) map[string]bool { return b.ids[lang] }

// Printer translates into one language, falling back to English, then to
// the message ID itself (so a missing translation shows, rather than fails).
type Printer struct {
	Lang string
	loc  *i18n.Localizer
}

// Printer returns a Printer for lang.
func (b *Bundle) Printer(lang string) *Printer {
	return &Printer{Lang: lang, loc: i18n.NewLocalizer(b.b, lang, "en")}
}

// T translates id. args may be a single map[string]any of template data, or
// key/value pairs ("Count", 3). "Count" chooses the message's CLDR plural
// form ("one", "few", "other", ... as the language has them).
func (p *Printer) T(id string, args ...any) string {
	if p == nil {
		return id
	}
	cfg := &i18n.LocalizeConfig{MessageID: id}
	var m map[string]any
	switch {
	case len(args) == 1:
		m, _ = args[0].(map[string]any)
	case len(args) >= 2:
		m = make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			k, _ := args[i].(string)
			m[k] = args[i+1]
		}
	}
	if m != nil {
		if n, ok := m["Count"]; ok {
			cfg.PluralCount = n
		}
		if RTL(p.Lang) {
			m = isolated(m)
		}
		cfg.TemplateData = m
	}
	s, err := p.loc.Localize(cfg)
	if err != nil && cfg.PluralCount != nil {
		// The message has no form for this count's plural category (a
		// single string is only "other"): use its "other" form rather
		// than show the id.
		cfg.PluralCount = nil
		s, err = p.loc.Localize(cfg)
	}
	if err != nil || s == "" {
		return id
	}
	return s
}

// isolated returns a copy of data with each value printed and set between
// Unicode FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE (as ICU and
// Fluent do with placeables), for right-to-left messages: a name, title or
// number in another script then keeps its own order and does not pull the
// sentence's punctuation into it ("Amina K." in an Arabic sentence would
// otherwise show as ".Amina K").
func isolated(data map[string]any) map[string]any {
	out := make(map[string]any, len(data))
	for k, v := range data {
		if v == nil {
			out[k] = v
			continue
		}
		out[k] = "\u2068" + fmt.Sprint(v) + "\u2069"
	}
	return out
}

// Negotiate picks the best supported language from an Accept-Language
// header among allowed, or allowed[0].
func Negotiate(header string, allowed []string) string {
	tags, _, err := language.ParseAcceptLanguage(header)
	if err == nil {
		for _, t := range tags {
			base, _ := t.Base()
			for _, a := range allowed {
				if strings.EqualFold(base.String(), a) {
					return a
				}
			}
		}
	}
	return allowed[0]
}
