package taxonomy

import "github.com/tsunagu-org/tsunagu/internal/postgres"

// StoreRows converts the taxonomy into the rows postgres.TaxonomyStore
// loads: its occupations, its skills and each occupation's skill links
// (essential first; a skill listed as both is kept as essential).
func (t *Taxonomy) StoreRows() ([]postgres.ESCOOccupation, []postgres.ESCOSkill, []postgres.ESCOOccupationSkill) {
	occs := make([]postgres.ESCOOccupation, 0, len(t.Occupations()))
	var rels []postgres.ESCOOccupationSkill
	for _, c := range t.Occupations() {
		occs = append(occs, postgres.ESCOOccupation{
			URI: c.URI, ISCOGroup: c.ISCOGroup, LabelEn: c.Labels["en"], LabelJa: c.Labels["ja"],
			LabelAr: c.Labels["ar"], AltLabels: c.AltLabels, Broader: c.Broader,
		})
		ess, opt := t.OccupationSkills(c.URI)
		seen := map[string]bool{}
		for _, l := range []struct {
			uris     []string
			relation string
		}{{ess, "essential"}, {opt, "optional"}} {
			for _, u := range l.uris {
				if !seen[u] {
					seen[u] = true
					rels = append(rels, postgres.ESCOOccupationSkill{OccupationURI: c.URI, SkillURI: u, Relation: l.relation})
				}
			}
		}
	}
	skills := make([]postgres.ESCOSkill, 0, len(t.Skills()))
	for _, c := range t.Skills() {
		skills = append(skills, postgres.ESCOSkill{
			URI: c.URI, SkillType: c.SkillType, ReuseLevel: c.ReuseLevel, LabelEn: c.Labels["en"],
			LabelJa: c.Labels["ja"], AltLabels: c.AltLabels, Broader: c.Broader,
		})
	}
	return occs, skills, rels
}
