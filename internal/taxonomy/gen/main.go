// Command gen builds the trimmed, compressed taxonomy files embedded by
// package taxonomy from the public ESCO and O*NET releases.
//
//	go run ./internal/taxonomy/gen -src ../shared/data -out internal/taxonomy/data
//
// The product never reads the source folder at run time: only the files
// written here (gzip TSV, one record a line, lists joined with "|").
package main

import (
	"archive/zip"
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	porter "github.com/blevesearch/go-porterstemmer"
)

func main() {
	src := flag.String("src", "../shared/data", "folder holding esco/ and onet/")
	out := flag.String("out", "internal/taxonomy/data", "output folder")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		log.Fatal(err)
	}
}

type occ struct {
	uri, isco, pref, ar string
	alts, hidden        []string
	broader             []string
}

type skill struct {
	uri, typ, reuse, pref string
	alts, hidden          []string
	broader               []string
}

type extra struct{ kind, uri, label, source string }

func run(src, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	cls, err := openZip(filepath.Join(src, "esco", "ESCO_v1.1.1_classification_en_csv.zip"))
	if err != nil {
		return err
	}
	rel, err := openZip(filepath.Join(src, "esco", "ESCO_v1.1.1_relations_csv.zip"))
	if err != nil {
		return err
	}

	// Occupations.
	var occs []*occ
	occByURI := map[string]*occ{}
	err = eachRow(cls, "occupations_en.csv", func(r map[string]string) {
		o := &occ{uri: r["conceptUri"], isco: r["iscoGroup"], pref: clean(r["preferredLabel"]),
			alts: lines(r["altLabels"]), hidden: lines(r["hiddenLabels"])}
		occs = append(occs, o)
		occByURI[o.uri] = o
	})
	if err != nil {
		return err
	}
	// Arabic labels (official ESCO 1.0.x translation).
	f, err := os.Open(filepath.Join(src, "esco", "occupations_ar_esco_v1.0.x.csv"))
	if err != nil {
		return err
	}
	err = eachCSV(f, func(r map[string]string) {
		if o := occByURI[r["conceptUri"]]; o != nil {
			o.ar = clean(r["preferredLabel"])
		}
	})
	f.Close()
	if err != nil {
		return err
	}

	// Skills.
	var skills []*skill
	skillByURI := map[string]*skill{}
	err = eachRow(cls, "skills_en.csv", func(r map[string]string) {
		s := &skill{uri: r["conceptUri"], typ: r["skillType"], reuse: r["reuseLevel"], pref: clean(r["preferredLabel"]),
			alts: lines(r["altLabels"]), hidden: lines(r["hiddenLabels"])}
		skills = append(skills, s)
		skillByURI[s.uri] = s
	})
	if err != nil {
		return err
	}

	// Skill groups (the skills hierarchy) and broader relations.
	type group struct{ uri, label, code string }
	var groups []group
	err = eachRow(cls, "skillGroups_en.csv", func(r map[string]string) {
		groups = append(groups, group{r["conceptUri"], clean(r["preferredLabel"]), r["code"]})
	})
	if err != nil {
		return err
	}
	groupBroader := map[string][]string{}
	err = eachRow(rel, "broaderRelationsSkillPillar.csv", func(r map[string]string) {
		if s := skillByURI[r["conceptUri"]]; s != nil {
			s.broader = append(s.broader, r["broaderUri"])
		} else {
			groupBroader[r["conceptUri"]] = append(groupBroader[r["conceptUri"]], r["broaderUri"])
		}
	})
	if err != nil {
		return err
	}

	// ISCO groups and the occupation pillar.
	type iscoGroup struct{ code, uri, label string }
	var iscos []iscoGroup
	iscoCode := map[string]string{}
	err = eachRow(cls, "ISCOGroups_en.csv", func(r map[string]string) {
		iscos = append(iscos, iscoGroup{r["code"], r["conceptUri"], clean(r["preferredLabel"])})
		iscoCode[r["conceptUri"]] = r["code"]
	})
	if err != nil {
		return err
	}
	iscoParent := map[string]string{}
	err = eachRow(rel, "broaderRelationsOccPillar.csv", func(r map[string]string) {
		switch r["conceptType"] {
		case "ISCOGroup":
			iscoParent[iscoCode[r["conceptUri"]]] = iscoCode[r["broaderUri"]]
		case "Occupation":
			if o := occByURI[r["conceptUri"]]; o != nil {
				if r["broaderType"] == "ISCOGroup" {
					o.broader = append(o.broader, iscoCode[r["broaderUri"]])
				} else {
					o.broader = append(o.broader, r["broaderUri"])
				}
			}
		}
	})
	if err != nil {
		return err
	}

	// Occupation-skill relations, as indexes into the files above.
	occIdx := map[string]int{}
	for i, o := range occs {
		occIdx[o.uri] = i
	}
	skillIdx := map[string]int{}
	for i, s := range skills {
		skillIdx[s.uri] = i
	}
	ess := make([][]int, len(occs))
	opt := make([][]int, len(occs))
	err = eachRow(rel, "occupationSkillRelations.csv", func(r map[string]string) {
		oi, ok1 := occIdx[r["occupationUri"]]
		si, ok2 := skillIdx[r["skillUri"]]
		if !ok1 || !ok2 {
			return
		}
		if r["relationType"] == "essential" {
			ess[oi] = append(ess[oi], si)
		} else {
			opt[oi] = append(opt[oi], si)
		}
	})
	if err != nil {
		return err
	}

	extras, tools, err := onetExtras(filepath.Join(src, "onet"), occs, skills)
	if err != nil {
		return err
	}

	// Write everything.
	if err := writeGz(filepath.Join(out, "occupations.tsv.gz"), func(w io.Writer) {
		fmt.Fprintln(w, "uri\tisco\tpreferred\talt\thidden\tar\tbroader")
		for _, o := range occs {
			fmt.Fprintln(w, strings.Join([]string{o.uri, o.isco, o.pref, join(o.alts), join(o.hidden), o.ar, join(o.broader)}, "\t"))
		}
	}); err != nil {
		return err
	}
	if err := writeGz(filepath.Join(out, "skills.tsv.gz"), func(w io.Writer) {
		fmt.Fprintln(w, "uri\ttype\treuse\tpreferred\talt\thidden\tbroader")
		for _, s := range skills {
			fmt.Fprintln(w, strings.Join([]string{s.uri, s.typ, s.reuse, s.pref, join(s.alts), join(s.hidden), join(s.broader)}, "\t"))
		}
	}); err != nil {
		return err
	}
	if err := writeGz(filepath.Join(out, "skill_groups.tsv.gz"), func(w io.Writer) {
		fmt.Fprintln(w, "uri\tcode\tpreferred\tbroader")
		for _, g := range groups {
			fmt.Fprintln(w, strings.Join([]string{g.uri, g.code, g.label, join(groupBroader[g.uri])}, "\t"))
		}
	}); err != nil {
		return err
	}
	if err := writeGz(filepath.Join(out, "isco_groups.tsv.gz"), func(w io.Writer) {
		fmt.Fprintln(w, "code\turi\tpreferred\tbroader")
		for _, g := range iscos {
			fmt.Fprintln(w, strings.Join([]string{g.code, g.uri, g.label, iscoParent[g.code]}, "\t"))
		}
	}); err != nil {
		return err
	}
	if err := writeGz(filepath.Join(out, "occupation_skills.tsv.gz"), func(w io.Writer) {
		fmt.Fprintln(w, "occupation_index\tessential_skill_indexes\toptional_skill_indexes")
		for i := range occs {
			fmt.Fprintf(w, "%d\t%s\t%s\n", i, ints(ess[i]), ints(opt[i]))
		}
	}); err != nil {
		return err
	}
	if err := writeGz(filepath.Join(out, "extra_labels.tsv.gz"), func(w io.Writer) {
		fmt.Fprintln(w, "kind\turi\tlabel\tsource")
		for _, e := range extras {
			fmt.Fprintln(w, strings.Join([]string{e.kind, e.uri, e.label, e.source}, "\t"))
		}
	}); err != nil {
		return err
	}
	if err := writeGz(filepath.Join(out, "occupation_tools.tsv.gz"), func(w io.Writer) {
		fmt.Fprintln(w, "tool\toccupations")
		for _, t := range tools {
			fmt.Fprintln(w, t.name+"\t"+join(t.uris))
		}
	}); err != nil {
		return err
	}
	ja := filepath.Join(out, "ja_labels.tsv")
	if _, err := os.Stat(ja); os.IsNotExist(err) {
		if err := os.WriteFile(ja, []byte("uri\tlabel\n"), 0o644); err != nil {
			return err
		}
	}
	log.Printf("occupations %d, skills %d, groups %d, isco %d, extra labels %d", len(occs), len(skills), len(groups), len(iscos), len(extras))
	return nil
}

// commoditySkills maps O*NET technology commodity titles onto the ESCO skill
// (by preferred label) that names the use of that kind of software. The
// table is general knowledge of both vocabularies, kept short on purpose:
// only commodities whose ESCO counterpart is unambiguous.
var commoditySkills = map[string]string{
	"spreadsheet software":                 "use spreadsheets software",
	"word processing software":             "use word processing software",
	"presentation software":                "use presentation software",
	"data base management system software": "use databases",
	"computer aided design cad software":   "use CAD software",
	"electronic mail software":             "use e-mail",
	"accounting software":                  "use accounting systems",
}

// vendors are prefixes O*NET puts before a product name ("Oracle Java").
var vendors = []string{"microsoft ", "oracle ", "ibm ", "adobe ", "apple ", "google ", "autodesk ", "the mathworks ", "sap ", "amazon ", "salesforce ", "atlassian "}

// tool is a software or tool name O*NET lists for some occupations, with
// the ESCO occupations those O*NET occupations map onto.
type tool struct {
	name string
	uris []string
}

// maxToolOccupations leaves out tools so common they say nothing about the
// job ("Microsoft Excel").
const maxToolOccupations = 30

// onetExtras maps O*NET titles and technology names onto ESCO concepts,
// conservatively, and returns them as extra labels with their source; and
// the tools, each with the ESCO occupations whose O*NET counterparts use it.
func onetExtras(dir string, occs []*occ, skills []*skill) ([]extra, []tool, error) {
	// Normalised label -> ESCO concepts carrying it.
	occLabel := map[string]map[*occ]bool{}
	for _, o := range occs {
		for _, l := range append([]string{o.pref}, o.alts...) {
			k := norm(l)
			if occLabel[k] == nil {
				occLabel[k] = map[*occ]bool{}
			}
			occLabel[k][o] = true
		}
	}
	skillLabel := map[string]map[*skill]bool{}
	skillByPref := map[string]*skill{}
	for _, s := range skills {
		skillByPref[strings.ToLower(s.pref)] = s
		for _, l := range append(append([]string{s.pref}, s.alts...), s.hidden...) {
			k := norm(l)
			if skillLabel[k] == nil {
				skillLabel[k] = map[*skill]bool{}
			}
			skillLabel[k][s] = true
		}
	}

	// O*NET occupations and their titles.
	type onetOcc struct {
		title  string
		titles []extra // label + source, uri filled later
	}
	onet := map[string]*onetOcc{}
	var codes []string
	if err := eachTSV(filepath.Join(dir, "Occupation_Data.txt"), func(r []string) {
		onet[r[0]] = &onetOcc{title: r[1]}
		codes = append(codes, r[0])
	}); err != nil {
		return nil, nil, err
	}
	if err := eachTSV(filepath.Join(dir, "Alternate_Titles.txt.gz"), func(r []string) {
		if o := onet[r[0]]; o != nil {
			o.titles = append(o.titles, extra{label: r[2], source: "onet:alternate"})
			if len(r) > 3 && r[3] != "" {
				o.titles = append(o.titles, extra{label: r[3], source: "onet:short"})
			}
		}
	}); err != nil {
		return nil, nil, err
	}
	if err := eachTSV(filepath.Join(dir, "Sample_of_Reported_Titles.txt"), func(r []string) {
		if o := onet[r[0]]; o != nil {
			o.titles = append(o.titles, extra{label: r[2], source: "onet:reported"})
		}
	}); err != nil {
		return nil, nil, err
	}

	var out []extra
	seen := map[string]bool{}
	add := func(kind, uri, label, source string) {
		label = clean(label)
		k := kind + uri + "\x00" + norm(label)
		if label == "" || seen[k] {
			return
		}
		seen[k] = true
		out = append(out, extra{kind, uri, label, source})
	}
	mapped := 0
	mappedTo := map[string]*occ{}
	for _, code := range codes {
		o := onet[code]
		// An O*NET occupation maps onto the one ESCO occupation whose label
		// equals its title (singular or plural alike) ...
		var target *occ
		if m := occLabel[norm(o.title)]; len(m) == 1 {
			for e := range m {
				target = e
			}
		}
		// ... or, failing that, onto the ESCO occupation that most of its
		// alternate titles already name, when the vote is clear.
		if target == nil {
			votes := map[*occ]int{}
			total := 0
			for _, t := range o.titles {
				if m := occLabel[norm(t.label)]; len(m) == 1 {
					total++
					for e := range m {
						votes[e]++
					}
				}
			}
			best, n := (*occ)(nil), 0
			for e, v := range votes {
				if v > n || (v == n && best != nil && e.uri < best.uri) {
					best, n = e, v
				}
			}
			if n >= 3 && 2*n > total {
				target = best
			}
		}
		if target == nil {
			continue
		}
		mapped++
		mappedTo[code] = target
		add("o", target.uri, o.title, "onet:title "+code)
		for _, t := range o.titles {
			k := norm(t.label)
			if !strings.Contains(k, " ") {
				continue // one word ("Operator", "Rider"): too vague to pin on one occupation
			}
			if m := occLabel[k]; len(m) > 0 && !m[target] {
				continue // names another ESCO occupation: leave it to ESCO
			}
			add("o", target.uri, t.label, t.source+" "+code)
		}
	}
	log.Printf("O*NET occupations mapped onto ESCO: %d of %d", mapped, len(codes))

	// Technology skills.
	type tech struct {
		example, commodity string
		occs               map[string]bool
	}
	techs := map[string]*tech{}
	var order []string
	if err := eachTSV(filepath.Join(dir, "Technology_Skills.txt.gz"), func(r []string) {
		t := techs[r[2]]
		if t == nil {
			t = &tech{example: r[2], commodity: r[4], occs: map[string]bool{}}
			techs[r[2]] = t
			order = append(order, r[2])
		}
		t.occs[r[0]] = true
	}); err != nil {
		return nil, nil, err
	}
	for _, name := range order {
		t := techs[name]
		k := norm(t.example)
		if len(skillLabel[k]) > 0 {
			continue // ESCO already names it
		}
		var target *skill
		source := ""
		// "Oracle Java" -> the ESCO skill labelled "Java", when only one is.
		low := strings.ToLower(t.example)
		for _, v := range vendors {
			if rest, ok := strings.CutPrefix(low, v); ok {
				if m := skillLabel[norm(rest)]; len(m) == 1 {
					for s := range m {
						target = s
					}
					source = "onet:technology vendor"
				}
			}
		}
		// Widely used products of a commodity with a clear ESCO skill.
		if target == nil && len(t.occs) >= 3 {
			if pref, ok := commoditySkills[strings.ToLower(t.commodity)]; ok {
				target = skillByPref[strings.ToLower(pref)]
				source = "onet:technology commodity"
			}
		}
		if target == nil {
			continue
		}
		add("s", target.uri, t.example, source)
		if rest, ok := strings.CutPrefix(t.example, "Microsoft "); ok {
			add("s", target.uri, "MS "+rest, source+" abbreviation")
		}
	}
	// Tools, by name and by name without the vendor ("Magento", "Adobe
	// Experience Manager" and "Experience Manager").
	var tools []tool
	seenTool := map[string]bool{}
	for _, name := range order {
		t := techs[name]
		set := map[string]bool{}
		for code := range t.occs {
			if e := mappedTo[code]; e != nil {
				set[e.uri] = true
			}
		}
		if len(set) == 0 || len(set) > maxToolOccupations {
			continue
		}
		uris := make([]string, 0, len(set))
		for u := range set {
			uris = append(uris, u)
		}
		sort.Strings(uris)
		names := []string{clean(t.example)}
		low := strings.ToLower(t.example)
		for _, v := range vendors {
			if rest, ok := strings.CutPrefix(low, v); ok && strings.TrimSpace(rest) != "" {
				names = append(names, clean(t.example[len(v):]))
			}
		}
		for _, n := range names {
			if k := strings.ToLower(n); !seenTool[k] && !strings.ContainsAny(n, "\t|") {
				seenTool[k] = true
				tools = append(tools, tool{n, uris})
			}
		}
	}
	log.Printf("tools mapped onto ESCO occupations: %d", len(tools))
	return out, tools, nil
}

// norm is the comparison key of a label: lower case, punctuation dropped,
// each word Porter-stemmed, so "Chief Executives" equals "chief executive".
func norm(s string) string {
	s = strings.ToLower(s)
	f := strings.FieldsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127 || r == '+' || r == '#')
	})
	for i, w := range f {
		f[i] = porter.StemString(w)
	}
	return strings.Join(f, " ")
}

func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r == '|' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func lines(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range strings.Split(s, "\n") {
		l = clean(l)
		if l != "" && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

func join(l []string) string { return strings.Join(l, "|") }

func ints(l []int) string {
	sort.Ints(l)
	s := make([]string, len(l))
	for i, v := range l {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, ",")
}

func openZip(path string) (*zip.ReadCloser, error) {
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return z, nil
}

func eachRow(z *zip.ReadCloser, name string, fn func(map[string]string)) error {
	for _, f := range z.File {
		if filepath.Base(f.Name) != name {
			continue
		}
		r, err := f.Open()
		if err != nil {
			return err
		}
		defer r.Close()
		return eachCSV(r, fn)
	}
	return fmt.Errorf("%s: not in archive", name)
}

func eachCSV(r io.Reader, fn func(map[string]string)) error {
	cr := csv.NewReader(bufio.NewReader(r))
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return err
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		m := make(map[string]string, len(head))
		for i, h := range head {
			if i < len(rec) {
				m[h] = rec[i]
			}
		}
		fn(m)
	}
}

func eachTSV(path string, fn func([]string)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return err
		}
		r = gz
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		fn(strings.Split(sc.Text(), "\t"))
	}
	return sc.Err()
}

func writeGz(path string, fn func(io.Writer)) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	gz, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	bw := bufio.NewWriter(gz)
	fn(bw)
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	return f.Close()
}
