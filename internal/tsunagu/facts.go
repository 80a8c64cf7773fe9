package tsunagu

import (
	"reflect"
	"strings"
)

// CandidateFacts are the yes/no facts about a candidate that the pool is
// filtered on ("holds a driving licence"). One struct serves end to end:
// embedded in Candidate it is the API field, the profile form's checkbox
// and the candidates column of its name (json and db tags alike);
// embedded in PoolFilters a true fact keeps only candidates holding it,
// read from a query parameter or a checkbox of that name and stored in a
// saved_searches column of that name; the search index keeps the names of
// the facts a candidate holds (Held). A new fact is a bool field here, a
// migration adding its column to candidates and saved_searches, and its
// labels (profile.field.<name>, match.filter.<name>): no other code.
type CandidateFacts struct{}

// FactNames lists the facts by name (their JSON names), in field order.
func FactNames() []string { return boolNames(reflect.TypeFor[CandidateFacts]()) }

// Held returns the names of the facts that are true.
func (f CandidateFacts) Held() []string { return trueNames(reflect.ValueOf(f)) }

// FactsFrom reads the facts by name: held(name) reports a ticked checkbox
// or a true query parameter.
func FactsFrom(held func(name string) bool) CandidateFacts {
	var f CandidateFacts
	setBools(reflect.ValueOf(&f).Elem(), held)
	return f
}

// boolNames returns the JSON names of the bool fields of the struct t.
func boolNames(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		if f := t.Field(i); f.Type.Kind() == reflect.Bool {
			out = append(out, factName(f))
		}
	}
	return out
}

// trueNames returns the JSON names of the bool fields of v that are true.
func trueNames(v reflect.Value) []string {
	var out []string
	for i := range v.NumField() {
		if f := v.Type().Field(i); f.Type.Kind() == reflect.Bool && v.Field(i).Bool() {
			out = append(out, factName(f))
		}
	}
	return out
}

// setBools sets each bool field of v (a settable struct) to held(its name).
func setBools(v reflect.Value, held func(string) bool) {
	for i := range v.NumField() {
		if f := v.Type().Field(i); f.Type.Kind() == reflect.Bool {
			v.Field(i).SetBool(held(factName(f)))
		}
	}
}

func factName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "" {
		return f.Name
	}
	return name
}
