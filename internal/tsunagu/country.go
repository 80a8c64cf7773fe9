package tsunagu

import (
	"slices"
	"strings"
)

// Stateless is the nationality code of a person with no nationality
// (the ICAO "XXA" in two letters).
const Stateless = "XX"

// originRegions groups ISO 3166-1 alpha-2 codes into the coarse regions of
// origin a company may see of an anonymised candidate. The groups are wide
// on purpose: a region must not single out a country.
var originRegions = map[string]string{
	"North Africa":    "DZ EG LY MA SD TN EH",
	"East Africa":     "BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS TZ UG ZM ZW IO TF",
	"Central Africa":  "AO CM CF TD CG CD GQ GA ST",
	"Southern Africa": "BW SZ LS NA ZA",
	"West Africa":     "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG",
	"Middle East":     "AE BH CY IL IQ IR JO KW LB OM PS QA SA SY TR YE",
	"Caucasus":        "AM AZ GE",
	"Central Asia":    "KZ KG TJ TM UZ",
	"South Asia":      "AF BD BT IN LK MV NP PK",
	"East Asia":       "CN HK JP KP KR MN MO TW",
	"Southeast Asia":  "BN KH ID LA MM MY PH SG TH TL VN",
	"Eastern Europe":  "BY BG CZ HU MD PL RO RU SK UA",
	"Northern Europe": "AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB",
	"Southern Europe": "AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES XK",
	"Western Europe":  "AT BE FR DE LI LU MC NL CH",
	"Caribbean":       "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI",
	"Central America": "BZ CR SV GT HN MX NI PA",
	"South America":   "AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE",
	"North America":   "BM CA GL PM US UM",
	"Oceania":         "AU NZ NF HM CX CC FJ NC PG SB VU GU KI MH FM NR MP PW AS CK PF NU PN WS TK TO TV WF",
	"Antarctica":      "AQ",
}

var countryRegion = func() map[string]string {
	m := make(map[string]string, 260)
	for region, codes := range originRegions {
		for _, c := range strings.Fields(codes) {
			m[c] = region
		}
	}
	return m
}()

// ValidCountry reports whether code is an ISO 3166-1 alpha-2 code (upper case).
func ValidCountry(code string) bool {
	_, ok := countryRegion[code]
	return ok
}

// CountryCodes lists the ISO 3166-1 alpha-2 codes, sorted.
func CountryCodes() []string {
	out := make([]string, 0, len(countryRegion))
	for c := range countryRegion {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// ValidNationality reports whether code is a country code or Stateless.
func ValidNationality(code string) bool { return code == Stateless || ValidCountry(code) }

// OriginRegion returns the coarse region of origin of a nationality
// ("Middle East" for "SY"), or "" when unknown or stateless.
func OriginRegion(nationality string) string {
	return countryRegion[strings.ToUpper(strings.TrimSpace(nationality))]
}

// OriginRegions lists the region names, for translation catalogues and filters.
func OriginRegions() []string {
	out := make([]string, 0, len(originRegions))
	for r := range originRegions {
		out = append(out, r)
	}
	return out
}

// isoLanguages is ISO 639-1.
const isoLanguages = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy " +
	"da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz " +
	"ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv " +
	"mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw " +
	"sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz " +
	"ve vi vo wa wo xh yi yo za zh zu"

var languageCodes = func() map[string]bool {
	m := make(map[string]bool, 190)
	for _, c := range strings.Fields(isoLanguages) {
		m[c] = true
	}
	return m
}()

// LanguageCodes lists the ISO 639-1 codes, sorted.
func LanguageCodes() []string { return strings.Fields(isoLanguages) }

// ValidLanguageCode reports whether code is an ISO 639-1 code (lower case).
func ValidLanguageCode(code string) bool { return languageCodes[code] }
