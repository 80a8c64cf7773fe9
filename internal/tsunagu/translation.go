package tsunagu

import "strings"

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

// normalizeTranslations trims every translation and drops the ones left
// empty (the form offers a row per language). Nil stays nil.
func normalizeTranslations(ts Translations) Translations {
	if ts == nil {
		return nil
	}
	out := Translations{}
	for _, t := range ts {
		t.Lang = strings.ToLower(strings.TrimSpace(t.Lang))
		t.Title, t.Description = strings.TrimSpace(t.Title), strings.TrimSpace(t.Description)
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
