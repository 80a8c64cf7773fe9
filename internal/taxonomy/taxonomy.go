// Package taxonomy loads the ESCO classification (occupations, skills, ISCO
// groups, occupation-skill relations and the skills hierarchy), enriched with
// O*NET titles and technology names and the project's Japanese labels, and
// normalises free-text job titles and skill mentions onto it.
//
// The data is embedded (data/*.tsv.gz, built by ./gen from the public
// releases), so the package needs nothing on disk at run time.
//
// This service uses the ESCO classification of the European Commission.
// It includes information from the O*NET 29.3 Database by the U.S.
// Department of Labor, Employment and Training Administration (USDOL/ETA),
// used under the CC BY 4.0 license.
package taxonomy

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"
)

//go:embed data/*.tsv.gz data/ja_labels.tsv
var dataFS embed.FS

// Attribution is the notice the product shows wherever taxonomy data appears
// (about page, API documentation).
const Attribution = "This service uses the ESCO classification of the European Commission. " +
	"This product includes information from the O*NET 29.3 Database by the U.S. Department of Labor, " +
	"Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. " +
	"O*NET® is a trademark of USDOL/ETA."

// Kinds of concept.
const (
	KindOccupation = "occupation"
	KindSkill      = "skill"
	KindSkillGroup = "skillgroup"
	KindISCOGroup  = "iscogroup"
)

// Concept is an ESCO occupation or skill (or a skill group or ISCO group
// reached through Broader).
type Concept struct {
	URI       string
	Kind      string // "occupation" | "skill" (or "skillgroup", "iscogroup")
	ISCOGroup string // 4-digit ISCO code of an occupation
	// Labels maps a language to the preferred label: "en" always, "ar" for
	// most occupations, "ja" where the project has one.
	Labels    map[string]string
	AltLabels []string
	// Broader lists parent skill or skill-group URIs (skills), or the parent
	// occupation URIs and ISCO group codes (occupations).
	Broader    []string
	SkillType  string // "skill/competence" | "knowledge" (skills)
	ReuseLevel string // "transversal" | "cross-sector" | "sector-specific" | "occupation-specific"
	// HiddenLabels are misspellings and old forms ESCO keeps for search only.
	HiddenLabels []string
	// ExtraLabels are labels mapped on from O*NET, with their source.
	ExtraLabels []ExtraLabel

	index int // position in its kind's slice
}

// ExtraLabel is a label the project mapped onto an ESCO concept from
// another source, kept with that source ("onet:alternate 15-1252.00").
type ExtraLabel struct {
	Label, Source string
}

// Taxonomy is the loaded classification. It is read-only and safe for
// concurrent use.
type Taxonomy struct {
	occupations []*Concept
	skills      []*Concept
	byURI       map[string]*Concept // occupations, skills, skill groups
	isco        map[string]*Concept // by ISCO code
	essential   [][]int32           // per occupation index: skill indexes
	optional    [][]int32
	skillUse    []int32 // per skill index: number of occupations linking it
	// tools maps a software or tool name (its words, lower case, joined by
	// spaces) to the occupations whose O*NET counterparts use it.
	tools   map[string][]int32
	toolLen int // the most words in a tool name
	version string
}

var (
	loadOnce sync.Once
	loaded   *Taxonomy
	loadErr  error
)

// Load returns the taxonomy from the embedded data, parsing it once per
// process.
func Load() (*Taxonomy, error) {
	loadOnce.Do(func() { loaded, loadErr = load(dataFS) })
	return loaded, loadErr
}

// Version identifies the embedded data (a hash of its files): indexes built
// from another version are rebuilt.
func (t *Taxonomy) Version() string { return t.version }

// Occupation returns the ESCO occupation with that URI.
func (t *Taxonomy) Occupation(uri string) (*Concept, bool) {
	c, ok := t.byURI[uri]
	if !ok || c.Kind != KindOccupation {
		return nil, false
	}
	return c, true
}

// Skill returns the ESCO skill (or skill group) with that URI.
func (t *Taxonomy) Skill(uri string) (*Concept, bool) {
	c, ok := t.byURI[uri]
	if !ok || (c.Kind != KindSkill && c.Kind != KindSkillGroup) {
		return nil, false
	}
	return c, true
}

// Concept returns any concept by URI, or an ISCO group by code.
func (t *Taxonomy) Concept(uriOrCode string) (*Concept, bool) {
	if c, ok := t.byURI[uriOrCode]; ok {
		return c, true
	}
	c, ok := t.isco[uriOrCode]
	return c, ok
}

// ISCOGroup returns the ISCO group with that code ("2512").
func (t *Taxonomy) ISCOGroup(code string) (*Concept, bool) {
	c, ok := t.isco[code]
	return c, ok
}

// Occupations returns every occupation, in a stable order.
func (t *Taxonomy) Occupations() []*Concept { return t.occupations }

// Skills returns every skill, in a stable order.
func (t *Taxonomy) Skills() []*Concept { return t.skills }

// OccupationSkills returns the URIs of the skills ESCO marks essential and
// optional for the occupation.
func (t *Taxonomy) OccupationSkills(uri string) (essential, optional []string) {
	c, ok := t.Occupation(uri)
	if !ok {
		return nil, nil
	}
	for _, i := range t.essential[c.index] {
		essential = append(essential, t.skills[i].URI)
	}
	for _, i := range t.optional[c.index] {
		optional = append(optional, t.skills[i].URI)
	}
	return essential, optional
}

// SkillUse returns how many occupations list the skill (essential or
// optional): a rough measure of how common it is.
func (t *Taxonomy) SkillUse(uri string) int {
	c, ok := t.Skill(uri)
	if !ok || c.Kind != KindSkill {
		return 0
	}
	return int(t.skillUse[c.index])
}

// Label returns the concept's preferred label in lang ("ja", "ar", "en"),
// falling back to English.
func (t *Taxonomy) Label(c *Concept, lang string) string {
	if c == nil {
		return ""
	}
	if l, ok := c.Labels[baseLang(lang)]; ok && l != "" {
		return l
	}
	return c.Labels["en"]
}

func baseLang(lang string) string {
	lang = strings.ToLower(lang)
	if i := strings.IndexAny(lang, "-_"); i > 0 {
		lang = lang[:i]
	}
	return lang
}

// Ancestors returns the concept's broader concepts, transitively, nearest
// first (skill groups for skills; parent occupations and ISCO groups for
// occupations).
func (t *Taxonomy) Ancestors(c *Concept) []*Concept {
	var out []*Concept
	seen := map[*Concept]bool{c: true}
	queue := []*Concept{c}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, b := range cur.Broader {
			p, ok := t.Concept(b)
			if !ok || seen[p] {
				continue
			}
			seen[p] = true
			out = append(out, p)
			queue = append(queue, p)
		}
	}
	return out
}

func load(fsys fs.FS) (*Taxonomy, error) {
	t := &Taxonomy{byURI: map[string]*Concept{}, isco: map[string]*Concept{}}
	h := sha256.New()
	read := func(name string, gz bool, fn func([]string)) error {
		b, err := fs.ReadFile(fsys, "data/"+name)
		if err != nil {
			return fmt.Errorf("load taxonomy: %w", err)
		}
		h.Write(b)
		var r io.Reader = bytes.NewReader(b)
		if gz {
			zr, err := gzip.NewReader(r)
			if err != nil {
				return fmt.Errorf("load taxonomy %s: %w", name, err)
			}
			r = zr
		}
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 0, 1<<20), 4<<20)
		first := true
		for sc.Scan() {
			if first {
				first = false
				fn(nil) // header
				continue
			}
			fn(strings.Split(sc.Text(), "\t"))
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("load taxonomy %s: %w", name, err)
		}
		return nil
	}
	list := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, "|")
	}
	col := func(r []string, i int) string {
		if i < len(r) {
			return r[i]
		}
		return ""
	}

	err := read("isco_groups.tsv.gz", true, func(r []string) {
		if r == nil {
			return
		}
		c := &Concept{URI: col(r, 1), Kind: KindISCOGroup, ISCOGroup: col(r, 0),
			Labels: map[string]string{"en": col(r, 2)}}
		if p := col(r, 3); p != "" {
			c.Broader = []string{p}
		}
		t.isco[c.ISCOGroup] = c
	})
	if err != nil {
		return nil, err
	}
	err = read("skill_groups.tsv.gz", true, func(r []string) {
		if r == nil {
			return
		}
		c := &Concept{URI: col(r, 0), Kind: KindSkillGroup, Labels: map[string]string{"en": col(r, 2)}, Broader: list(col(r, 3))}
		t.byURI[c.URI] = c
	})
	if err != nil {
		return nil, err
	}
	err = read("occupations.tsv.gz", true, func(r []string) {
		if r == nil {
			return
		}
		c := &Concept{URI: col(r, 0), Kind: KindOccupation, ISCOGroup: col(r, 1),
			Labels: map[string]string{"en": col(r, 2)}, AltLabels: list(col(r, 3)),
			HiddenLabels: list(col(r, 4)), Broader: list(col(r, 6)), index: len(t.occupations)}
		if ar := col(r, 5); ar != "" {
			c.Labels["ar"] = ar
		}
		t.occupations = append(t.occupations, c)
		t.byURI[c.URI] = c
	})
	if err != nil {
		return nil, err
	}
	err = read("skills.tsv.gz", true, func(r []string) {
		if r == nil {
			return
		}
		c := &Concept{URI: col(r, 0), Kind: KindSkill, SkillType: col(r, 1), ReuseLevel: col(r, 2),
			Labels: map[string]string{"en": col(r, 3)}, AltLabels: list(col(r, 4)),
			HiddenLabels: list(col(r, 5)), Broader: list(col(r, 6)), index: len(t.skills)}
		t.skills = append(t.skills, c)
		t.byURI[c.URI] = c
	})
	if err != nil {
		return nil, err
	}
	t.essential = make([][]int32, len(t.occupations))
	t.optional = make([][]int32, len(t.occupations))
	t.skillUse = make([]int32, len(t.skills))
	var perr error
	parseInts := func(s string) []int32 {
		if s == "" {
			return nil
		}
		f := strings.Split(s, ",")
		out := make([]int32, 0, len(f))
		for _, v := range f {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n >= len(t.skills) {
				perr = fmt.Errorf("load taxonomy: bad skill index %q", v)
				continue
			}
			out = append(out, int32(n))
			t.skillUse[n]++
		}
		return out
	}
	err = read("occupation_skills.tsv.gz", true, func(r []string) {
		if r == nil {
			return
		}
		i, err := strconv.Atoi(col(r, 0))
		if err != nil || i < 0 || i >= len(t.occupations) {
			perr = fmt.Errorf("load taxonomy: bad occupation index %q", col(r, 0))
			return
		}
		t.essential[i] = parseInts(col(r, 1))
		t.optional[i] = parseInts(col(r, 2))
	})
	if err == nil {
		err = perr
	}
	if err != nil {
		return nil, err
	}
	err = read("extra_labels.tsv.gz", true, func(r []string) {
		if r == nil {
			return
		}
		if c, ok := t.byURI[col(r, 1)]; ok && col(r, 2) != "" {
			c.ExtraLabels = append(c.ExtraLabels, ExtraLabel{Label: col(r, 2), Source: col(r, 3)})
		}
	})
	if err != nil {
		return nil, err
	}
	t.tools = map[string][]int32{}
	err = read("occupation_tools.tsv.gz", true, func(r []string) {
		if r == nil {
			return
		}
		k := strings.Join(words(col(r, 0)), " ")
		if k == "" {
			return
		}
		var occs []int32
		for _, u := range list(col(r, 1)) {
			if c, ok := t.byURI[u]; ok && c.Kind == KindOccupation {
				occs = append(occs, int32(c.index))
			}
		}
		if len(occs) > 0 && t.tools[k] == nil {
			t.tools[k] = occs
			t.toolLen = max(t.toolLen, strings.Count(k, " ")+1)
		}
	})
	if err != nil {
		return nil, err
	}
	// Japanese labels: the project's own (data/ja_labels.tsv). The header
	// names the columns: "uri" and "label_ja" (or "label"; else the last).
	uriCol, jaCol := 0, -1
	if b, err := fs.ReadFile(fsys, "data/ja_labels.tsv"); err == nil {
		head, _, _ := strings.Cut(string(b), "\n")
		for i, h := range strings.Split(strings.TrimSpace(head), "\t") {
			switch h {
			case "uri":
				uriCol = i
			case "label_ja", "label", "ja":
				jaCol = i
			}
		}
	}
	err = read("ja_labels.tsv", false, func(r []string) {
		if r == nil {
			return
		}
		j := jaCol
		if j < 0 || j >= len(r) {
			j = len(r) - 1
		}
		if j <= uriCol || uriCol >= len(r) {
			return
		}
		label := strings.TrimSpace(r[j])
		if c, ok := t.byURI[strings.TrimSpace(r[uriCol])]; ok && label != "" {
			// The first row of a concept gives its Japanese label; later
			// rows give other Japanese names of it, kept as alternative
			// labels (so both resolve to the one concept).
			if _, dup := c.Labels["ja"]; !dup {
				c.Labels["ja"] = label
			} else if label != c.Labels["ja"] && !slices.Contains(c.AltLabels, label) {
				c.AltLabels = append(c.AltLabels, label)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	t.version = hex.EncodeToString(h.Sum(nil))[:16]
	return t, nil
}
