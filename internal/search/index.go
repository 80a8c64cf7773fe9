package search

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/fa"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/lang/ru"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Index field names.
const (
	fType  = "type"
	fSkill = "skill" // resolved ESCO skill URIs (roles: role_skill)
	fOcc   = "occ"   // likely ESCO occupation URIs (roles: role_occ)
	fISCO  = "isco"  // their 4-digit ISCO groups (roles: role_isco)
	// A candidate's skills, occupations and ISCO groups as a card shows
	// them (listed skills; occupations inferred from the card alone:
	// Profile.CardOccupations): what a company's retrieval reads.
	fCardSkill  = "card_skill"
	fCardOcc    = "card_occ"
	fCardISCO   = "card_isco"
	fJapanese   = "ja"         // Japanese rank (tsunagu.JapaneseRank)
	fPrefecture = "pref"       // lower-cased prefecture
	fPrefs      = "prefs"      // preferred prefectures, lower-cased
	fRelocate   = "relocate"   // willing to relocate
	fFacts      = "facts"      // names of the tsunagu.CandidateFacts held
	fWorkplace  = "workplace"  // onsite, hybrid, remote
	fVisibility = "visibility" // hidden, coordinators, companies
	fStatus     = "status"     // a role's status
	fCompany    = "company"    // a role's company id
	fAvailable  = "available"  // availability date
	fProfile    = "profile"    // the Profile as JSON, stored only
)

// rolePrefix starts the names of a role's ESCO fields, so candidate and role
// terms live apart and a query needs no filter on the document type.
const rolePrefix = "role_"

// escoField returns the name of an ESCO field for documents of kind.
func escoField(kind, f string) string {
	if kind == KindRole {
		return rolePrefix + f
	}
	return f
}

// textFields maps a language to its text field; each field has the
// language's analyzer (Japanese through kagome: see jaAnalyzer).
var textFields = map[string]string{
	"en": "text_en", "ja": "text_ja", "ar": "text_ar", "fa": "text_fa", "fr": "text_fr", "ru": "text_ru", "": "text",
}

var textAnalyzers = map[string]string{
	"text_en": en.AnalyzerName, "text_ja": japaneseAnalyzer, "text_ar": ar.AnalyzerName, "text_fa": fa.AnalyzerName,
	"text_fr": fr.AnalyzerName, "text_ru": ru.AnalyzerName, "text": standard.Name,
}

// Index values standing for an empty visibility or status.
const (
	visibilityUnset = "unset"
	statusUnset     = "unset"
)

// seqKey is the internal key holding the last change-log sequence applied.
var seqKey = []byte("tsunagu:seq")

// versionKey holds the taxonomy and mapping version the index was built with.
var versionKey = []byte("tsunagu:version")

// mappingVersion changes whenever documents or mapping change shape.
const mappingVersion = "8"

// NewMapping returns the index mapping for candidate and role documents.
func NewMapping() mapping.IndexMapping {
	kw := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	num := func() *mapping.FieldMapping {
		f := bleve.NewNumericFieldMapping()
		f.Store = false
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	doc := bleve.NewDocumentStaticMapping()
	for _, f := range []string{fType, fSkill, fOcc, fISCO, rolePrefix + fSkill, rolePrefix + fOcc, rolePrefix + fISCO,
		fCardSkill, fCardOcc, fCardISCO, fPrefecture, fPrefs, fWorkplace, fVisibility, fStatus, fCompany, fFacts} {
		doc.AddFieldMappingsAt(f, kw())
	}
	doc.AddFieldMappingsAt(fJapanese, num())
	b := bleve.NewBooleanFieldMapping()
	b.Store, b.IncludeInAll, b.DocValues = false, false, false
	doc.AddFieldMappingsAt(fRelocate, b)
	d := bleve.NewDateTimeFieldMapping()
	d.Store, d.IncludeInAll, d.DocValues = false, false, false
	doc.AddFieldMappingsAt(fAvailable, d)
	for name, an := range textAnalyzers {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = an
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		doc.AddFieldMappingsAt(name, f)
	}
	p := bleve.NewTextFieldMapping()
	p.Analyzer = keyword.Name
	p.Index = false
	p.Store = true
	p.IncludeInAll = false
	p.DocValues = false
	doc.AddFieldMappingsAt(fProfile, p)

	// No composite _all field: every query names its field, and composing
	// _all was an eighth of the build's CPU for nothing.
	doc.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())

	im := bleve.NewIndexMapping()
	im.DefaultMapping = doc
	im.DefaultAnalyzer = standard.Name
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	return im
}

// docID is the index id of a candidate or role.
func docID(kind string, id int64) string {
	if kind == KindRole {
		return "r:" + strconv.FormatInt(id, 10)
	}
	return "c:" + strconv.FormatInt(id, 10)
}

// parseDocID reverses docID.
func parseDocID(s string) (kind string, id int64, err error) {
	k, n, ok := strings.Cut(s, ":")
	if !ok {
		return "", 0, fmt.Errorf("bad document id %q", s)
	}
	id, err = strconv.ParseInt(n, 10, 64)
	if k == "r" {
		return KindRole, id, err
	}
	return KindCandidate, id, err
}

// document turns a profile into the map Bleve indexes.
func (r *Resolver) document(p *Profile) (map[string]any, error) {
	js, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encode profile: %w", err)
	}
	d := map[string]any{fType: p.Kind, fProfile: string(js), fJapanese: float64(p.Japanese),
		fPrefecture: strings.ToLower(p.Prefecture), fRelocate: p.Relocate, fWorkplace: p.Workplace}
	var skills, listed []string
	for _, s := range p.Skills {
		if s.URI != "" {
			skills = append(skills, s.URI)
			if !s.Extracted {
				listed = append(listed, s.URI)
			}
		}
	}
	d[escoField(p.Kind, fSkill)] = skills
	d[escoField(p.Kind, fOcc)], d[escoField(p.Kind, fISCO)] = r.occTerms(p.Occupations)
	if p.Kind == KindCandidate {
		d[fCardSkill] = listed
		d[fCardOcc], d[fCardISCO] = r.occTerms(p.CardOccupations)
	}
	var prefs []string
	for _, x := range p.Prefs {
		prefs = append(prefs, strings.ToLower(x))
	}
	d[fPrefs] = prefs
	d[fFacts] = p.Facts
	if p.Kind == KindCandidate {
		v := p.Visibility
		if v == "" {
			v = visibilityUnset
		}
		d[fVisibility] = v
		if p.Available != nil {
			d[fAvailable] = *p.Available
		}
	} else {
		d[fStatus] = p.Status
		if p.Status == "" {
			d[fStatus] = statusUnset
		}
		d[fCompany] = strconv.FormatInt(p.CompanyID, 10)
	}
	texts := map[string][]string{}
	add := func(s string) {
		if strings.TrimSpace(s) == "" {
			return
		}
		for _, lang := range textLangs(s, p.Locale) {
			texts[textFields[lang]] = append(texts[textFields[lang]], s)
		}
	}
	add(p.Title)
	for _, t := range p.Titles {
		add(t)
	}
	// A resolved skill is indexed by its URI (and searched by it, see
	// Resolver.SkillsIn); its label in the text fields would only repeat
	// it, at a quarter of the build's CPU. A label resolved only by its
	// words (Conf) is kept as text too: the words are what is sure. Skills
	// read from the text are in it already.
	for _, s := range p.Skills {
		if (s.URI == "" || s.Conf > 0) && !s.Extracted {
			add(s.Label)
		}
	}
	add(p.Text)
	for f, v := range texts {
		d[f] = strings.Join(v, "\n")
	}
	return d, nil
}

// textLangs picks the text fields for a piece of text by its script and the
// writer's locale: Japanese for kana and kanji, Arabic or Persian for Arabic
// script, Russian analysis for Cyrillic (Ukrainian included), English (and
// French for French speakers) for Latin script; other scripts go to the
// language-neutral field.
func textLangs(s, locale string) []string {
	var han, arabic, cyr, latin int
	for _, r := range s {
		if r < utf8.RuneSelf { // ASCII: only letters count, as Latin
			if c := r | 0x20; 'a' <= c && c <= 'z' {
				latin++
			}
			continue
		}
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana):
			han++
		case unicode.Is(unicode.Arabic, r):
			arabic++
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
		case unicode.Is(unicode.Latin, r):
			latin++
		}
	}
	loc := strings.ToLower(locale)
	if i := strings.IndexAny(loc, "-_"); i > 0 {
		loc = loc[:i]
	}
	switch {
	case han > 0:
		return []string{"ja"}
	case arabic > 0:
		if loc == "fa" || loc == "prs" || loc == "ps" {
			return []string{"fa"}
		}
		return []string{"ar"}
	case cyr > 0:
		return []string{"ru"}
	case latin > 0:
		if loc == "fr" {
			return []string{"en", "fr"}
		}
		return []string{"en"}
	}
	return []string{""}
}

// occTerms returns the index terms of occupations os: the URIs of those
// likely enough to find, and their ISCO groups.
func (r *Resolver) occTerms(os []OccScore) (occ, isco []string) {
	seen := map[string]bool{}
	for _, o := range os {
		if o.Score < 0.01 {
			continue
		}
		occ = append(occ, o.URI)
		if g := r.ISCO(o.URI); g != "" && !seen[g] {
			seen[g] = true
			isco = append(isco, g)
		}
	}
	return occ, isco
}
