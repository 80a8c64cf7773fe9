package tsunagu

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"
)

// UILanguages are the languages the pages are written in, and the ones an
// author may translate a text into.
var UILanguages = []string{"ja", "en", "fr", "ar", "fa", "uk"}

// Translation is an author's own rendering of a text (a role's title and
// description) in another page language. Tsunagu translates nothing by
// itself: a text shows in the reader's language only when its author wrote
// it so, and in the language it was written in otherwise.
type Translation struct {
	Lang        string `json:"lang" validate:"required,ui_language"`
	Title       string `json:"title,omitempty" validate:"max=200,line"`
	Description string `json:"description,omitempty" validate:"max=20000,text"`
}

// Translations are a text's translations, at most one per language.
type Translations []Translation

// In returns the translation into lang, or the zero Translation.
func (ts Translations) In(lang string) Translation {
	for _, t := range ts {
		if t.Lang == lang {
			return t
		}
	}
	return Translation{}
}

// Scan reads translations stored as a JSON array (a database/sql Scanner).
func (ts *Translations) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		*ts = nil
		return nil
	case []byte:
		b = v
	case string:
		b = []byte(v)
	default:
		return fmt.Errorf("translations: cannot scan %T", src)
	}
	var out Translations
	if err := json.Unmarshal(b, &out); err != nil {
		return fmt.Errorf("translations: %w", err)
	}
	if len(out) == 0 {
		out = nil
	}
	*ts = out
	return nil
}

// Value stores the translations that say something (Compact) as a JSON
// array (a database/sql/driver Valuer).
func (ts Translations) Value() (driver.Value, error) {
	b, err := json.Marshal(ts.Compact())
	return string(b), err
}

// normalizeTranslations trims every translation. A row left empty stays
// (the form offers one per language, and errors name rows by their
// place); Compact drops it when stored.
func normalizeTranslations(ts Translations) Translations {
	for i := range ts {
		ts[i].Lang = strings.ToLower(strings.TrimSpace(ts[i].Lang))
		ts[i].Title, ts[i].Description = strings.TrimSpace(ts[i].Title), strings.TrimSpace(ts[i].Description)
	}
	return ts
}

// Compact returns the translations that say something: neither nil nor
// holding a row with no title and no description.
func (ts Translations) Compact() Translations {
	out := Translations{}
	for _, t := range ts {
		if t.Title != "" || t.Description != "" {
			out = append(out, t)
		}
	}
	return out
}

// repeatedTranslations returns the index and language of every
// translation into a language translated before.
func repeatedTranslations(ts Translations) map[int]string {
	langs := make([]string, len(ts))
	for i, t := range ts {
		langs[i] = t.Lang
	}
	return RepeatedValues(langs, func(s string) bool { return oneOf(s, UILanguages) })
}
