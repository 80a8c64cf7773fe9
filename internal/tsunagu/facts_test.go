package tsunagu

import (
	"reflect"
	"slices"
	"testing"
)

// TestFacts reads a struct of bools as CandidateFacts with facts in it:
// the helpers read any such struct by the JSON names of its fields.
func TestFacts(t *testing.T) {
	var f struct {
		Licence bool `json:"driving_licence" db:"driving_licence"`
		Car     bool `json:"owns_car,omitempty" db:"owns_car"`
	}
	v := reflect.ValueOf(&f).Elem()
	if got, want := boolNames(v.Type()), []string{"driving_licence", "owns_car"}; !slices.Equal(got, want) {
		t.Errorf("names %q, want %q", got, want)
	}
	if got := trueNames(v); len(got) != 0 {
		t.Errorf("no fact held: %q", got)
	}
	setBools(v, func(name string) bool { return name == "owns_car" })
	if !f.Car || f.Licence {
		t.Errorf("read %+v, want only owns_car", f)
	}
	if got, want := trueNames(v), []string{"owns_car"}; !slices.Equal(got, want) {
		t.Errorf("held %q, want %q", got, want)
	}
	// CandidateFacts itself: every fact is a bool, named once.
	names := FactNames()
	if got, want := len(names), reflect.TypeFor[CandidateFacts]().NumField(); got != want {
		t.Errorf("%d fact names for %d fields: every fact is a bool", got, want)
	}
	if got := len(FactsFrom(func(string) bool { return true }).Held()); got != len(names) {
		t.Errorf("all facts read true: %d held, want %d", got, len(names))
	}
}
