package importer_test

import (
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/importer"
)

func TestColumnName(t *testing.T) {
	for cell, want := range map[string]string{
		"name":                            "name",
		" NAME ":                          "name",
		"\ufeffid":                        "id",
		"氏名 (name)":                       "name",
		"Nom（name）":                       "name",
		"Compétences (skills) ":           "skills",
		"Prefecture (Tokyo) (prefecture)": "prefecture",
		"(name":                           "(name",
		"notes (free text":                "notes (free text",
	} {
		if got := importer.ColumnName(cell); got != want {
			t.Errorf("ColumnName(%q) = %q, want %q", cell, got, want)
		}
	}
}
