package tsunagu_test

import (
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func TestPrefectures(t *testing.T) {
	if got, want := len(tsunagu.Prefectures), 47; got != want {
		t.Fatalf("len(Prefectures) = %d, want %d", got, want)
	}
	for _, tc := range []struct{ in, name, region string }{
		{"Tokyo", "Tokyo", "Kanto"},
		{"tokyo-to", "Tokyo", "Kanto"},
		{"東京都", "Tokyo", "Kanto"},
		{"東京", "Tokyo", "Kanto"},
		{"Osaka Prefecture", "Osaka", "Kansai"},
		{"北海道", "Hokkaido", "Hokkaido"},
		{"Hyōgo", "Hyogo", "Kansai"},
		{"okinawa-ken", "Okinawa", "Kyushu-Okinawa"},
		{"Aichi", "Aichi", "Chubu"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			name, ok := tsunagu.NormalizePrefecture(tc.in)
			if !ok || name != tc.name {
				t.Errorf("NormalizePrefecture(%q) = %q, %v; want %q", tc.in, name, ok, tc.name)
			}
			if got := tsunagu.JapanRegion(name); got != tc.region {
				t.Errorf("JapanRegion(%q) = %q, want %q", name, got, tc.region)
			}
		})
	}
	if _, ok := tsunagu.NormalizePrefecture("Kansai"); ok {
		t.Error("Kansai (a region) accepted as a prefecture")
	}
}

func TestOriginRegion(t *testing.T) {
	for code, want := range map[string]string{
		"AF": "South Asia", "SY": "Middle East", "MM": "Southeast Asia", "UA": "Eastern Europe",
		"TR": "Middle East", "CD": "Central Africa", "ET": "East Africa", "IR": "Middle East",
		"LK": "South Asia", "CM": "Central Africa", "UG": "East Africa", "YE": "Middle East",
		"SD": "North Africa", "XX": "", "": "",
	} {
		if got := tsunagu.OriginRegion(code); got != want {
			t.Errorf("OriginRegion(%q) = %q, want %q", code, got, want)
		}
	}
	if !tsunagu.ValidNationality(tsunagu.Stateless) {
		t.Error("stateless not a valid nationality")
	}
}
