package i18n

import (
	"strings"
	"testing"
)

func TestNames(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{LanguageName("my", "ja"), "ミャンマー語"},
		{LanguageName("ti", "en"), "Tigrinya"},
		{LanguageName("fa", "en"), "Dari"},
		{LanguageName("ps", "ar"), "البشتو"},
		{LanguageName("zz", "en"), "zz"},
		{CountryName("SY", "ja"), "シリア"},
		{CountryName("MM", "fr"), "Myanmar (Birmanie)"},
		{CountryName("AF", "uk"), "Афганістан"},
		{CountryName("Q!", "en"), "Q!"},
		{Num(4000000, "ja"), "4,000,000"},
		{Num(4000000, "fr"), "4\u00a0000\u00a0000"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestOptionsSortedForTheReader(t *testing.T) {
	opts := Options("country", []string{"SY", "AF", "ER", "MM"}, CountryName, "en")
	var got []string
	for _, o := range opts {
		got = append(got, o.Code)
	}
	if want := "AF ER MM SY"; strings.Join(got, " ") != want {
		t.Errorf("order %q, want %q", strings.Join(got, " "), want)
	}
}
