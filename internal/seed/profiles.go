package seed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/profile"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Demo profile sizes.
const (
	DemoCandidates = 200
	DemoRoles      = 40
)

// Profiles creates the demo companies (15), roles (40) and candidates
// (200) that are not there yet, found by their fixed external ids
// ("demo-co-01", "demo-role-001", "demo-cand-001"): a second run keeps what
// is there, edits included. The data is generated from a fixed seed, so
// every database gets the same people: varied origins and languages, ESCO
// occupations and skills taken from the taxonomy, Japanese and English
// text, every visibility. When the demo accounts of Users exist, the first
// candidate ("Amina K.") belongs to candidate@demo.tsunagu.jp and
// company@demo.tsunagu.jp is a member of the first company.
func Profiles(ctx context.Context, db *postgres.DB) error {
	tax, err := taxonomy.Load()
	if err != nil {
		return fmt.Errorf("seed profiles: %w", err)
	}
	g, err := newGenerator(tax)
	if err != nil {
		return fmt.Errorf("seed profiles: %w", err)
	}
	svc := profile.New(db, profile.WithVocabulary(profile.TaxonomyVocabulary{T: tax}))
	ctx = tsunagu.NewContextWithUser(ctx, &tsunagu.User{Role: tsunagu.RoleAdmin, DisplayName: "seed"})

	companyIDs := make([]int64, len(demoCompanies))
	for i, dc := range demoCompanies {
		c, err := db.CompanyByName(ctx, dc.Name)
		switch tsunagu.ErrorCode(err) {
		case "":
		case tsunagu.ENOTFOUND:
			c = &tsunagu.Company{
				ExternalID: fmt.Sprintf("demo-co-%02d", i+1), Name: dc.Name, Industry: dc.Industry,
				Size: dc.Size, Prefecture: dc.Prefecture, ContactName: dc.Contact,
				ContactEmail: fmt.Sprintf("recruit%02d@example.co.jp", i+1),
				ContactPhone: fmt.Sprintf("03-0000-%04d", 1000+i),
			}
			if err := svc.SaveCompany(ctx, c); err != nil {
				return fmt.Errorf("seed company %s: %w", dc.Name, err)
			}
		default:
			return err
		}
		companyIDs[i] = c.ID
	}
	if u, err := db.UserByEmail(ctx, DemoUsers[1].Email); err == nil {
		if err := db.AddCompanyMember(ctx, companyIDs[0], u.ID); err != nil {
			return fmt.Errorf("seed company member: %w", err)
		}
	}

	for i, dr := range demoRoles {
		ext := fmt.Sprintf("demo-role-%03d", i+1)
		if _, err := db.RoleByExternalID(ctx, ext); err == nil {
			continue
		} else if tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
			return err
		}
		r, err := g.role(dr, ext, companyIDs[dr.Company])
		if err != nil {
			return err
		}
		if err := svc.SaveRole(ctx, r); err != nil {
			return fmt.Errorf("seed role %s: %w", ext, err)
		}
	}

	var demoUserID *int64
	if u, err := db.UserByEmail(ctx, DemoUsers[0].Email); err == nil {
		demoUserID = &u.ID
	}
	for i := 0; i < DemoCandidates; i++ {
		// Each candidate has its own stream, so one candidate edited out of
		// the generator does not shift the others.
		c := g.candidate(i)
		if _, err := db.CandidateByExternalID(ctx, c.ExternalID); err == nil {
			continue
		} else if tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
			return err
		}
		if i == 0 && demoUserID != nil {
			if _, err := db.CandidateByUserID(ctx, *demoUserID); tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
				c.UserID = demoUserID
			}
		}
		if err := svc.SaveCandidate(ctx, c); err != nil {
			return fmt.Errorf("seed candidate %s: %s: %w", c.ExternalID, fieldErrors(err), err)
		}
	}
	return nil
}

func fieldErrors(err error) string {
	e := tsunagu.AsError(err)
	if e == nil {
		return ""
	}
	var parts []string
	for k, f := range e.Fields {
		parts = append(parts, k+"="+f.ID)
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// occupation is a demo occupation, found in ESCO by its English preferred label.
type occupation struct {
	Label     string // ESCO preferred label (English)
	Field     string // field of study
	Education string // usual education level
	Japan     bool   // a first job many take in Japan
}

var demoOccupations = []occupation{
	{"accountant", "Accounting", "bachelor", false},
	{"bookkeeper", "Accounting", "vocational", false},
	{"software developer", "Computer Science", "bachelor", false},
	{"web developer", "Computer Science", "bachelor", false},
	{"mobile application developer", "Software Engineering", "bachelor", false},
	{"software tester", "Computer Science", "bachelor", false},
	{"database administrator", "Information Systems", "bachelor", false},
	{"data analyst", "Statistics", "master", false},
	{"civil engineer", "Civil Engineering", "bachelor", false},
	{"mechanical engineer", "Mechanical Engineering", "bachelor", false},
	{"electrical engineer", "Electrical Engineering", "bachelor", false},
	{"electronics engineering technician", "Electronics", "vocational", false},
	{"architect", "Architecture", "master", false},
	{"interpreter", "Linguistics", "bachelor", false},
	{"translator", "English Literature", "bachelor", false},
	{"secondary school teacher", "Mathematics Education", "bachelor", false},
	{"language school teacher", "Applied Linguistics", "bachelor", false},
	{"nurse responsible for general care", "Nursing", "bachelor", false},
	{"pharmacist", "Pharmacy", "bachelor", false},
	{"physiotherapist", "Physiotherapy", "bachelor", false},
	{"social worker", "Social Work", "bachelor", false},
	{"care at home worker", "Social Care", "vocational", true},
	{"welder", "Welding Technology", "vocational", false},
	{"domestic electrician", "Electrical Installation", "vocational", false},
	{"industrial machinery mechanic", "Mechanical Maintenance", "vocational", false},
	{"carpenter", "Carpentry", "vocational", false},
	{"plumber", "Plumbing", "vocational", false},
	{"chef", "Culinary Arts", "vocational", false},
	{"cook", "Culinary Arts", "secondary", true},
	{"baker", "Bakery", "vocational", false},
	{"tailor", "Textiles and Clothing", "vocational", false},
	{"sewing machine operator", "Textiles and Clothing", "secondary", false},
	{"hairdresser", "Hairdressing", "vocational", false},
	{"graphic designer", "Graphic Design", "bachelor", false},
	{"user interface designer", "Design", "bachelor", false},
	{"import export specialist", "International Trade", "bachelor", false},
	{"human resources officer", "Business Administration", "bachelor", false},
	{"marketing manager", "Marketing", "master", false},
	{"customer service representative", "Business Administration", "secondary", false},
	{"journalist", "Journalism", "bachelor", false},
	{"project manager", "Engineering Management", "master", false},
	{"kitchen assistant", "", "secondary", true},
	{"warehouse worker", "", "secondary", true},
	{"food production operator", "", "secondary", true},
	{"building cleaner", "", "secondary", true},
	{"shop assistant", "", "secondary", true},
	{"forklift operator", "", "secondary", true},
	{"waiter/waitress", "", "secondary", true},
}

// origin is a country people in the programme come from.
type origin struct {
	Country   string
	Languages []string // mother tongues, ISO 639-1
	Locale    string   // language of the candidate pages they read
	Cities    []string
	Names     []string
	Weight    int
}

var demoOrigins = []origin{
	{"AF", []string{"fa", "ps"}, "fa", []string{"Kabul", "Herat", "Mazar-i-Sharif"}, []string{"Ahmad", "Farhad", "Zahra", "Mariam", "Habib", "Nasrin", "Sultan", "Parwana", "Amina", "Wahid"}, 18},
	{"SY", []string{"ar"}, "ar", []string{"Damascus", "Aleppo", "Homs"}, []string{"Omar", "Rania", "Khaled", "Lina", "Yousef", "Huda", "Samer", "Dima"}, 14},
	{"MM", []string{"my"}, "en", []string{"Yangon", "Mandalay", "Sittwe"}, []string{"Aung", "Thida", "Kyaw", "Hnin", "Zaw", "Su", "Min", "Nandar"}, 14},
	{"UA", []string{"uk", "ru"}, "uk", []string{"Kharkiv", "Mariupol", "Kyiv", "Odesa"}, []string{"Olena", "Andrii", "Iryna", "Oleksandr", "Kateryna", "Dmytro", "Yulia", "Serhii"}, 14},
	{"TR", []string{"ku", "tr"}, "en", []string{"Diyarbakır", "Van", "Mardin"}, []string{"Berivan", "Rojda", "Serhat", "Dilan", "Baran", "Zozan", "Azad", "Hêvî"}, 10},
	{"CD", []string{"fr", "ln", "sw"}, "fr", []string{"Kinshasa", "Goma", "Bukavu"}, []string{"Jean-Pierre", "Merveille", "Patrick", "Grâce", "Christian", "Esther", "Didier", "Nadège"}, 7},
	{"ET", []string{"am", "om"}, "en", []string{"Addis Ababa", "Gondar", "Adama"}, []string{"Abebe", "Selam", "Tesfaye", "Hiwot", "Dawit", "Meron", "Bekele", "Liya"}, 6},
	{"IR", []string{"fa"}, "fa", []string{"Tehran", "Mashhad", "Tabriz"}, []string{"Reza", "Shirin", "Mehdi", "Leila", "Arash", "Nazanin", "Kian", "Parisa"}, 6},
	{"LK", []string{"ta", "si"}, "en", []string{"Jaffna", "Colombo", "Batticaloa"}, []string{"Tharshan", "Nirosha", "Kumar", "Priya", "Suresh", "Malini", "Ravi", "Dilani"}, 6},
	{"CM", []string{"fr", "en"}, "fr", []string{"Bamenda", "Douala", "Buea"}, []string{"Achille", "Brigitte", "Emmanuel", "Carine", "Serge", "Flore", "Junior", "Blandine"}, 5},
	{"UG", []string{"en", "lg"}, "en", []string{"Kampala", "Gulu", "Mbarara"}, []string{"Moses", "Grace", "Ivan", "Brenda", "Ronald", "Sharon", "Isaac", "Prossy"}, 4},
	{"YE", []string{"ar"}, "ar", []string{"Sana'a", "Aden", "Taiz"}, []string{"Ali", "Amal", "Hamza", "Nour", "Fadi", "Reem", "Tariq", "Sara"}, 4},
	{"SD", []string{"ar"}, "ar", []string{"Khartoum", "Omdurman", "El Fasher"}, []string{"Mohamed", "Fatima", "Osman", "Amna", "Hassan", "Rawia", "Musa", "Hind"}, 5},
	{"ER", []string{"ti"}, "en", []string{"Asmara", "Keren", "Massawa"}, []string{"Yonas", "Senait", "Filmon", "Helen", "Robel", "Saba"}, 3},
	// Stateless Rohingya: no nationality on record, mother tongue recorded as Burmese's neighbour here.
	{tsunagu.Stateless, []string{"my"}, "en", []string{"Maungdaw", "Buthidaung"}, []string{"Rashid", "Noor", "Salim", "Hasina"}, 2},
}

var demoPrefectures = []struct {
	Name   string
	Weight int
}{
	{"Tokyo", 22}, {"Kanagawa", 10}, {"Saitama", 10}, {"Chiba", 8}, {"Gunma", 6}, {"Ibaraki", 5},
	{"Aichi", 9}, {"Osaka", 9}, {"Hyogo", 5}, {"Kyoto", 3}, {"Fukuoka", 5}, {"Nagano", 2},
	{"Shizuoka", 3}, {"Hiroshima", 2}, {"Miyagi", 1},
}

var residence = []struct {
	Status string
	Weight int
	Expiry bool
}{
	{"refugee", 14, false}, {"complementary_protection", 10, true}, {"designated_activities", 30, true},
	{"long_term_resident", 12, true}, {"applicant", 20, true}, {"provisional_release", 4, false},
	{"engineer_humanities_international", 6, true}, {"specified_skilled_worker", 4, true},
}

var employerKinds = []string{"Trading Co.", "Industries", "Group", "Services", "Holdings", "& Partners", "Works"}

// generator builds demo records from the taxonomy.
type generator struct {
	tax  *taxonomy.Taxonomy
	occ  map[string]*taxonomy.Concept
	main []occupation // occupations people held at home
	jp   []occupation // first jobs in Japan
}

func newGenerator(tax *taxonomy.Taxonomy) (*generator, error) {
	g := &generator{tax: tax, occ: map[string]*taxonomy.Concept{}}
	byLabel := map[string]*taxonomy.Concept{}
	for _, c := range tax.Occupations() {
		byLabel[strings.ToLower(c.Labels["en"])] = c
	}
	for _, o := range demoOccupations {
		c, ok := byLabel[o.Label]
		if !ok {
			return nil, fmt.Errorf("ESCO occupation %q not in the taxonomy", o.Label)
		}
		g.occ[o.Label] = c
		if o.Japan {
			g.jp = append(g.jp, o)
		}
		if o.Field != "" {
			g.main = append(g.main, o)
		}
	}
	for _, r := range demoRoles {
		if _, ok := byLabel[r.Occupation]; !ok {
			return nil, fmt.Errorf("ESCO occupation %q not in the taxonomy", r.Occupation)
		}
		g.occ[r.Occupation] = byLabel[r.Occupation]
	}
	return g, nil
}

// skills returns the occupation's essential (or optional) skills, most
// widely used first, so demo people and roles share the common ones.
func (g *generator) skills(occLabel string, optional bool) []*taxonomy.Concept {
	ess, opt := g.tax.OccupationSkills(g.occ[occLabel].URI)
	uris := ess
	if optional {
		uris = opt
	}
	out := make([]*taxonomy.Concept, 0, len(uris))
	for _, u := range uris {
		if c, ok := g.tax.Skill(u); ok {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		ui, uj := g.tax.SkillUse(out[i].URI), g.tax.SkillUse(out[j].URI)
		if ui != uj {
			return ui > uj
		}
		return out[i].URI < out[j].URI
	})
	return out
}

func (g *generator) label(c *taxonomy.Concept, lang string) string {
	if l := c.Labels[lang]; l != "" {
		return l
	}
	return c.Labels["en"]
}

func weighted[T any](r *rand.Rand, items []T, weight func(T) int) T {
	total := 0
	for _, it := range items {
		total += weight(it)
	}
	n := r.IntN(total)
	for _, it := range items {
		if n -= weight(it); n < 0 {
			return it
		}
	}
	return items[len(items)-1]
}

func pick[T any](r *rand.Rand, items []T) T { return items[r.IntN(len(items))] }

func day(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

// candidate generates demo candidate i (0-based) from its own stream.
func (g *generator) candidate(i int) *tsunagu.Candidate {
	r := rand.New(rand.NewPCG(20261124, uint64(i)))
	o := weighted(r, demoOrigins, func(o origin) int { return o.Weight })
	given := pick(r, o.Names)
	initial := string(rune('A' + r.IntN(26)))
	occ := pick(r, g.main)
	if i == 0 { // the demo account: Amina K., bookkeeper from Afghanistan
		o, given, initial, occ = demoOrigins[0], "Amina", "K", demoOccupations[1]
	}
	occC := g.occ[occ.Label]
	years := 2 + r.IntN(12)
	ja := []string{"N5", "N4", "N4", "N3", "N3", "N3", "N2", "N2", "N1"}[r.IntN(9)]
	city := pick(r, o.Cities)
	pref := weighted(r, demoPrefectures, func(p struct {
		Name   string
		Weight int
	}) int {
		return p.Weight
	}).Name
	jaText := r.IntN(3) == 0 // a third write their profile in Japanese

	c := &tsunagu.Candidate{
		ExternalID:  fmt.Sprintf("demo-cand-%03d", i+1),
		Name:        given + " " + initial + ".",
		Email:       fmt.Sprintf("%s.%s%03d@example.org", strings.ToLower(asciiName(given)), strings.ToLower(initial), i+1),
		Phone:       fmt.Sprintf("+81 80-%04d-%04d", 1000+i, 2000+r.IntN(8000)),
		Nationality: o.Country,
		Location:    tsunagu.Location{Country: "JP", Prefecture: pref},
		Locale:      o.Locale,
	}
	if r.IntN(4) == 0 {
		c.PhotoURL = fmt.Sprintf("https://example.org/photos/demo-%03d.jpg", i+1)
	}
	res := weighted(r, residence, func(x struct {
		Status string
		Weight int
		Expiry bool
	}) int {
		return x.Weight
	})
	c.ResidenceStatus = res.Status
	if res.Expiry {
		c.ResidenceExpiry = day(2026+r.IntN(3), time.Month(1+r.IntN(12)), 1+r.IntN(28))
	}

	// Work history: the job held at home, sometimes an earlier one, and
	// often a first job in Japan.
	c.WorkHistory = []tsunagu.WorkExperience{{
		Title: g.label(occC, map[bool]string{true: "ja", false: "en"}[jaText]), OccupationURI: occC.URI,
		Years: float64(years), Country: countryOrEmpty(o.Country),
		Employer: city + " " + pick(r, employerKinds),
	}}
	if r.IntN(3) == 0 {
		prev := pick(r, g.main)
		c.WorkHistory = append(c.WorkHistory, tsunagu.WorkExperience{
			Title: g.label(g.occ[prev.Label], "en"), OccupationURI: g.occ[prev.Label].URI,
			Years: float64(1 + r.IntN(4)), Country: countryOrEmpty(o.Country),
			Employer: pick(r, o.Cities) + " " + pick(r, employerKinds),
		})
	}
	var jpJob *occupation
	if r.IntN(2) == 0 && !occ.Japan {
		j := pick(r, g.jp)
		jpJob = &j
		c.WorkHistory = append(c.WorkHistory, tsunagu.WorkExperience{
			Title: g.label(g.occ[j.Label], "ja"), OccupationURI: g.occ[j.Label].URI,
			Years: float64(1+r.IntN(5)) / 2, Country: "JP",
			Employer: prefectureJA(pref) + pick(r, []string{"フーズ株式会社", "物流センター", "サービス株式会社", "工業株式会社"}),
		})
	}

	// Skills: most of the common essential skills of the main occupation,
	// a few of the first job in Japan.
	level := func(y int) string {
		switch {
		case y >= 8:
			return tsunagu.LevelExpert
		case y >= 4:
			return tsunagu.LevelAdvanced
		case y >= 2:
			return tsunagu.LevelIntermediate
		}
		return tsunagu.LevelBeginner
	}
	ess := g.skills(occ.Label, false)
	if len(ess) > 14 {
		ess = ess[:14]
	}
	n := min(len(ess), 6+r.IntN(5))
	for _, k := range r.Perm(len(ess))[:n] {
		s := ess[k]
		lang := "en"
		if jaText {
			lang = "ja"
		}
		sy := max(1, years-r.IntN(3))
		c.Skills = append(c.Skills, tsunagu.SkillRef{Label: g.label(s, lang), ESCOURI: s.URI, Level: level(sy), Years: float64(sy)})
	}
	if jpJob != nil {
		for _, s := range g.skills(jpJob.Label, false)[:2] {
			c.Skills = append(c.Skills, tsunagu.SkillRef{Label: g.label(s, "ja"), ESCOURI: s.URI, Level: tsunagu.LevelBeginner, Years: 1})
		}
	}
	if r.IntN(5) == 0 { // free text the taxonomy does not know, kept as typed
		c.Skills = append(c.Skills, tsunagu.SkillRef{Label: pick(r, []string{"Microsoft Office", "community interpreting", "first aid", "driving licence (home country)", "Quran recitation teaching", "traditional embroidery"}), Level: tsunagu.LevelIntermediate})
	}
	sort.SliceStable(c.Skills, func(a, b int) bool { return c.Skills[a].Years > c.Skills[b].Years })

	// Languages.
	for _, l := range o.Languages[:1+r.IntN(len(o.Languages))] {
		c.Languages = append(c.Languages, tsunagu.LanguageSkill{Code: l, Level: "native"})
	}
	c.Languages = append(c.Languages, tsunagu.LanguageSkill{Code: "ja", Level: ja})
	if !hasLang(c.Languages, "en") && r.IntN(5) < 3 {
		c.Languages = append(c.Languages, tsunagu.LanguageSkill{Code: "en", Level: pick(r, tsunagu.CEFRLevels[1:])})
	}
	if o.Country == "UA" && !hasLang(c.Languages, "ru") && r.IntN(2) == 0 {
		c.Languages = append(c.Languages, tsunagu.LanguageSkill{Code: "ru", Level: "C2"})
	}

	// Education.
	if occ.Field != "" {
		e := tsunagu.Education{Level: occ.Education, Field: occ.Field, Country: countryOrEmpty(o.Country), Completed: r.IntN(8) != 0}
		switch occ.Education {
		case "bachelor", "master":
			e.Institution = "University of " + city
		case "vocational":
			e.Institution = city + " Technical Institute"
		default:
			e.Institution = city + " High School"
		}
		c.Education = []tsunagu.Education{e}
	}
	if r.IntN(6) == 0 {
		c.Education = append(c.Education, tsunagu.Education{Level: "other", Field: "Japanese language", Institution: "NGO日本語教室", Country: "JP", Completed: true})
	}
	if r.IntN(4) == 0 {
		c.Certifications = []string{pick(r, []string{"日本語能力試験 " + ja, "日商簿記3級", "フォークリフト運転技能講習", "介護職員初任者研修", "ITパスポート", "普通自動車免許", "TOEIC 780"})}
	}

	c.DesiredOccupations = []string{occC.URI}
	c.PreferredPrefectures = []string{pref}
	if r.IntN(3) == 0 {
		c.PreferredPrefectures = append(c.PreferredPrefectures, pick(r, []string{"Tokyo", "Kanagawa", "Osaka", "Aichi"}))
		if c.PreferredPrefectures[1] == pref {
			c.PreferredPrefectures = c.PreferredPrefectures[:1]
		}
	}
	c.WorkplacePreference = pick(r, []string{"", tsunagu.WorkplaceOnsite, tsunagu.WorkplaceOnsite, tsunagu.WorkplaceHybrid, tsunagu.WorkplaceRemote})
	c.WillingToRelocate = r.IntN(4) == 0
	if r.IntN(3) > 0 {
		c.AvailableFrom = day(2026, time.Month(1+r.IntN(12)), 1)
	}
	c.SpeakerOptIn = r.IntN(6) == 0
	c.Visibility = weighted(r, []struct {
		V string
		W int
	}{{tsunagu.VisibilityCompanies, 60}, {tsunagu.VisibilityCoordinators, 25}, {tsunagu.VisibilityHidden, 15}}, func(v struct {
		V string
		W int
	}) int {
		return v.W
	}).V
	if i == 0 {
		c.Visibility = tsunagu.VisibilityCompanies
	}

	occJA, occEN := g.label(occC, "ja"), g.label(occC, "en")
	if jaText {
		c.Headline = fmt.Sprintf("%s（経験%d年）", occJA, years)
		c.Summary = fmt.Sprintf("%sで%sとして%d年働きました。日本では日本語（%s）を勉強しながら、経験を活かせる仕事を探しています。", city, occJA, years, ja)
	} else {
		c.Headline = fmt.Sprintf("%s with %d years' experience", capitalize(occEN), years)
		c.Summary = fmt.Sprintf("I worked as a %s in %s for %d years. In Japan I am studying Japanese (%s) and looking for work where my experience counts.", occEN, city, years, ja)
	}
	if i == 0 {
		c.Summary += " 家計簿と会計ソフトが得意です。"
	}
	return c
}

func prefectureJA(name string) string {
	if p, ok := tsunagu.FindPrefecture(name); ok {
		return strings.TrimRight(p.NameJA, "都府県")
	}
	return name
}

func countryOrEmpty(code string) string {
	if code == tsunagu.Stateless {
		return ""
	}
	return code
}

func hasLang(ls []tsunagu.LanguageSkill, code string) bool {
	for _, l := range ls {
		if l.Code == code {
			return true
		}
	}
	return false
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// asciiName keeps the letters of a name usable in an email address.
func asciiName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r == 'ê':
			b.WriteRune('e')
		case r == 'â':
			b.WriteRune('a')
		}
	}
	return b.String()
}

// demoCompany is a demo employer.
type demoCompany struct {
	Name, Industry, Size, Prefecture, Contact string
}

var demoCompanies = []demoCompany{
	{"さくらロジスティクス株式会社", "物流・倉庫 (logistics)", "250-999", "Tokyo", "佐藤 花子"},
	{"株式会社みどり食品", "食品製造 (food manufacturing)", "50-249", "Saitama", "鈴木 健太"},
	{"東海精機工業株式会社", "機械製造 (machinery)", "250-999", "Aichi", "加藤 誠"},
	{"株式会社ひかりソフトウェア", "情報通信 (software)", "50-249", "Tokyo", "山本 彩"},
	{"浪速建設株式会社", "建設 (construction)", "250-999", "Osaka", "中村 大輔"},
	{"医療法人あおば会", "医療 (healthcare)", "250-999", "Kanagawa", "小林 恵"},
	{"社会福祉法人やすらぎ苑", "介護 (elderly care)", "50-249", "Chiba", "伊藤 直子"},
	{"株式会社グローバルブリッジ翻訳", "翻訳・通訳 (translation)", "10-49", "Tokyo", "渡辺 ジョン"},
	{"博多フーズ株式会社", "飲食 (restaurants)", "50-249", "Fukuoka", "松本 翔"},
	{"北関東オートパーツ株式会社", "自動車部品 (auto parts)", "250-999", "Gunma", "井上 隆"},
	{"神戸トレーディング株式会社", "貿易 (trading)", "10-49", "Hyogo", "木村 玲奈"},
	{"株式会社つくばエレクトロニクス", "電子部品 (electronics)", "250-999", "Ibaraki", "林 浩二"},
	{"ホテル京ノ庭", "宿泊 (hospitality)", "50-249", "Kyoto", "清水 由美"},
	{"株式会社ユニバーサルデザインラボ", "デザイン (design)", "10-49", "Tokyo", "森 あかね"},
	{"信州テキスタイル株式会社", "繊維 (textiles)", "50-249", "Nagano", "池田 修"},
}

// demoRole is a demo posting; Company indexes demoCompanies.
type demoRole struct {
	Company    int
	Title      string
	Occupation string // ESCO preferred label
	Workplace  string
	Employment string
	SalaryMin  int // 10,000 yen a year
	SalaryMax  int
	Japanese   string
	English    string
	Visa       bool
	Openings   int
	Status     string
}

var demoRoles = []demoRole{
	{0, "倉庫作業スタッフ", "warehouse worker", "onsite", "full_time", 280, 360, "N4", "", true, 5, "open"},
	{0, "フォークリフトオペレーター", "forklift operator", "onsite", "full_time", 320, 420, "N3", "", true, 3, "open"},
	{0, "物流センター マネージャー候補", "logistics and distribution manager", "onsite", "full_time", 450, 650, "N2", "B2", true, 1, "open"},
	{0, "輸出入事務スタッフ", "import export specialist", "hybrid", "full_time", 380, 500, "N2", "B2", true, 2, "open"},
	{1, "食品製造ラインスタッフ", "food production operator", "onsite", "full_time", 260, 340, "N4", "", true, 8, "open"},
	{1, "品質管理・経理アシスタント", "accounting assistant", "onsite", "full_time", 300, 400, "N2", "", true, 1, "open"},
	{1, "パン製造スタッフ", "baker", "onsite", "part_time", 180, 240, "N4", "", false, 2, "open"},
	{2, "溶接工（TIG・MIG）", "welder", "onsite", "full_time", 330, 480, "N3", "", true, 4, "open"},
	{2, "機械設計エンジニア", "mechanical engineer", "onsite", "full_time", 450, 700, "N2", "B1", true, 2, "open"},
	{2, "設備保全スタッフ", "industrial machinery mechanic", "onsite", "full_time", 350, 480, "N3", "", true, 2, "open"},
	{3, "Webアプリケーション開発者", "web developer", "hybrid", "full_time", 450, 750, "N3", "B2", true, 3, "open"},
	{3, "ソフトウェアテスター", "software tester", "remote", "contract", 380, 520, "N4", "B1", true, 2, "open"},
	{3, "データアナリスト", "data analyst", "hybrid", "full_time", 500, 800, "N2", "C1", true, 1, "open"},
	{3, "モバイルアプリ開発者（Android）", "mobile application developer", "remote", "full_time", 480, 780, "N3", "B2", true, 1, "draft"},
	{4, "施工管理（土木）", "civil engineer", "onsite", "full_time", 450, 700, "N2", "", true, 2, "open"},
	{4, "大工・型枠工", "carpenter", "onsite", "full_time", 350, 500, "N4", "", true, 3, "open"},
	{4, "電気工事スタッフ", "domestic electrician", "onsite", "full_time", 330, 480, "N3", "", true, 2, "open"},
	{5, "看護補助・看護師（資格取得支援あり）", "nurse responsible for general care", "onsite", "full_time", 320, 480, "N2", "", true, 3, "open"},
	{5, "薬剤師アシスタント", "pharmacist", "onsite", "full_time", 380, 550, "N1", "", true, 1, "open"},
	{5, "リハビリ助手", "physiotherapist", "onsite", "part_time", 250, 350, "N2", "", false, 1, "closed"},
	{6, "介護スタッフ", "care at home worker", "onsite", "full_time", 280, 380, "N3", "", true, 6, "open"},
	{6, "生活相談員", "social worker", "onsite", "full_time", 330, 450, "N1", "", true, 1, "open"},
	{7, "翻訳者（英語・アラビア語）", "translator", "remote", "contract", 300, 550, "N2", "C1", false, 2, "open"},
	{7, "医療通訳者（ダリー語・パシュトー語）", "interpreter", "hybrid", "part_time", 250, 400, "N2", "", false, 2, "open"},
	{7, "語学講師（英語・フランス語）", "language school teacher", "onsite", "part_time", 200, 320, "N4", "C2", true, 3, "open"},
	{8, "調理スタッフ（ハラール対応）", "cook", "onsite", "full_time", 270, 360, "N4", "", true, 4, "open"},
	{8, "料理長候補", "chef", "onsite", "full_time", 380, 520, "N3", "", true, 1, "open"},
	{8, "ホールスタッフ", "waiter/waitress", "onsite", "part_time", 180, 240, "N3", "", false, 4, "open"},
	{9, "自動車部品組立・溶接", "welder", "onsite", "full_time", 300, 420, "N4", "", true, 6, "open"},
	{9, "生産技術エンジニア", "electrical engineer", "onsite", "full_time", 450, 650, "N2", "B1", true, 1, "open"},
	{10, "貿易事務（中東・アフリカ担当）", "import export specialist", "hybrid", "full_time", 380, 550, "N2", "C1", true, 1, "open"},
	{10, "経理担当", "accountant", "hybrid", "full_time", 400, 580, "N2", "B1", true, 1, "open"},
	{11, "電子部品検査・技術員", "electronics engineering technician", "onsite", "full_time", 320, 450, "N3", "", true, 4, "open"},
	{11, "社内SE（データベース）", "database administrator", "hybrid", "full_time", 450, 650, "N2", "B2", true, 1, "draft"},
	{12, "フロント・ベルスタッフ", "customer service representative", "onsite", "full_time", 270, 350, "N2", "B2", true, 2, "open"},
	{12, "調理補助", "kitchen assistant", "onsite", "part_time", 170, 230, "N5", "", false, 3, "open"},
	{12, "客室清掃スタッフ", "building cleaner", "onsite", "part_time", 170, 220, "N5", "", false, 5, "open"},
	{13, "UIデザイナー", "user interface designer", "remote", "full_time", 420, 650, "N3", "B2", true, 1, "open"},
	{13, "グラフィックデザイナー", "graphic designer", "hybrid", "contract", 350, 500, "N3", "B1", true, 1, "open"},
	{14, "縫製スタッフ", "sewing machine operator", "onsite", "full_time", 260, 340, "N4", "", true, 5, "open"},
}

func (g *generator) role(d demoRole, ext string, companyID int64) (*tsunagu.JobRole, error) {
	occ := g.occ[d.Occupation]
	ess := g.skills(d.Occupation, false)
	opt := g.skills(d.Occupation, true)
	if len(ess) < 3 {
		return nil, fmt.Errorf("seed role %s: %q has too few skills", ext, d.Occupation)
	}
	company := demoCompanies[d.Company]
	r := &tsunagu.JobRole{
		ExternalID: ext, CompanyID: companyID, Title: d.Title, OccupationURI: occ.URI,
		Location:  tsunagu.Location{Country: "JP", Prefecture: company.Prefecture},
		Workplace: d.Workplace, EmploymentType: d.Employment,
		SalaryMin: d.SalaryMin * 10000, SalaryMax: d.SalaryMax * 10000,
		VisaSupport: d.Visa, Openings: d.Openings, Status: d.Status,
		Languages: []tsunagu.LanguageSkill{{Code: "ja", Level: d.Japanese}},
	}
	if d.English != "" {
		r.Languages = append(r.Languages, tsunagu.LanguageSkill{Code: "en", Level: d.English})
	}
	for _, s := range ess[:min(5, len(ess))] {
		r.RequiredSkills = append(r.RequiredSkills, tsunagu.SkillRef{Label: g.label(s, "ja"), ESCOURI: s.URI})
	}
	pref := slices.Concat(ess[min(5, len(ess)):min(7, len(ess))], opt[:min(2, len(opt))])
	for _, s := range pref {
		r.PreferredSkills = append(r.PreferredSkills, tsunagu.SkillRef{Label: g.label(s, "ja"), ESCOURI: s.URI})
	}
	visa := "在留資格の変更手続きを会社がサポートします。"
	visaEN := "We support the change of residence status."
	if !d.Visa {
		visa, visaEN = "就労可能な在留資格をお持ちの方が対象です。", "Applicants need a residence status that allows this work."
	}
	r.Description = fmt.Sprintf("%sの%sとして、%sの業務を担当していただきます。母国での経験を歓迎します。%s\n\n"+
		"%s is hiring a %s (%s). Experience from your home country is welcome. %s",
		company.Name, d.Title, g.label(occ, "ja"), visa, company.Name, g.label(occ, "en"), d.Workplace, visaEN)
	return r, nil
}
