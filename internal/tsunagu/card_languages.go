package tsunagu

import "strings"

// LanguageOther is the code a card shows in place of a language that
// would say more about a person's origin than their region does.
const LanguageOther = "other"

// regionLanguages are, per region of origin (originRegions), the
// languages spoken natively in at least three of its countries: a native
// one of these says no more than the region. Any other native language
// narrows the region to one or two countries (Tigrinya: Eritrea or
// Ethiopia; Ukrainian, Burmese, Persian in the Middle East), so a card
// shows it as LanguageOther.
var regionLanguages = map[string]string{
	"North Africa":    "ar fr",
	"East Africa":     "ar en fr so sw",
	"Central Africa":  "ar fr ln pt",
	"Southern Africa": "en",
	"West Africa":     "ar bm en ff fr ha pt wo yo",
	"Middle East":     "ar ku",
	"Caucasus":        "ru",
	"Central Asia":    "ru uz",
	"South Asia":      "en ne",
	"East Asia":       "zh",
	"Southeast Asia":  "en ms zh",
	"Eastern Europe":  "ru",
	"Northern Europe": "en sv",
	"Southern Europe": "it sq sr",
	"Western Europe":  "de fr",
	"Caribbean":       "en es fr nl",
	"Central America": "en es",
	"South America":   "es pt qu",
	"North America":   "en es fr",
	"Oceania":         "en fr",
}

// worldLanguages are learnt the world over: at a level below native they
// say nothing of where a person is from. With no region (stateless or
// not given), a native one is shown too: each is native in many
// countries of several regions.
var worldLanguages = map[string]bool{"ar": true, "de": true, "en": true, "es": true, "fr": true, "pt": true, "ru": true, "zh": true}

// CardLanguages returns the languages a card shows of a person from
// region (OriginRegion): Japanese always (the level matching judges);
// a native language when it is common across the region's countries
// (regionLanguages); a learnt one when it is a world language or common
// across the region. The others become one LanguageOther entry at the
// best of their levels, so a card says "another language, native" but
// never which. The result is what a company's card, search and match
// reasons may say about languages: keeping the region's promise.
func CardLanguages(langs []LanguageSkill, region string) []LanguageSkill {
	common := strings.Fields(regionLanguages[region])
	shown := func(l LanguageSkill) bool {
		if l.Code == "ja" {
			return true
		}
		inRegion := false
		for _, c := range common {
			inRegion = inRegion || c == l.Code
		}
		if l.Level == "native" {
			return inRegion || (region == "" && worldLanguages[l.Code])
		}
		return inRegion || worldLanguages[l.Code]
	}
	out := make([]LanguageSkill, 0, len(langs))
	other := -1
	for _, l := range langs {
		if shown(l) {
			out = append(out, l)
			continue
		}
		if other < 0 {
			other = len(out)
			out = append(out, LanguageSkill{Code: LanguageOther, Level: l.Level})
		} else if CEFRRank(l.Level) > CEFRRank(out[other].Level) {
			out[other].Level = l.Level
		}
	}
	return out
}
