package search

import (
	"encoding/json"
	"hash/maphash"
	"strings"
	"sync"
	"unsafe"
)

// The engine caches the profile of every indexed role (see entry), so its
// memory follows the number of roles. A profile read from PostgreSQL or
// decoded from the index holds its own copy of every string: the ESCO URI of
// each skill (some 70 bytes), its level, the prefecture, the locale... and
// its lists carry the spare capacity append left them. compactProfile, run on
// every role's profile before it is cached, makes the repeated strings one shared
// copy and trims the lists to their length. The values are unchanged:
// matching gives the same results, to the bit.

// canonMax bounds the table of shared strings: past it, a new string is
// kept as it is (a population of free-typed labels cannot grow the table
// without end).
const canonMax = 1 << 20

var canon = struct {
	sync.RWMutex
	m map[string]string
}{m: map[string]string{}}

// canonical returns the shared copy of s.
func canonical(s string) string {
	if s == "" {
		return ""
	}
	canon.RLock()
	c, ok := canon.m[s]
	canon.RUnlock()
	if ok {
		return c
	}
	canon.Lock()
	defer canon.Unlock()
	if c, ok := canon.m[s]; ok {
		return c
	}
	if len(canon.m) >= canonMax {
		return s
	}
	// A copy: s may be part of a larger buffer (a decoded row or document).
	c = strings.Clone(s)
	canon.m[c] = c
	return c
}

// share sets *s to its shared copy. Like every step of compactProfile it
// writes only what changes, so compacting a profile already compact (a
// cached one handed back to rank against) writes nothing and races with no
// reader.
func share(s *string) {
	if c := canonical(*s); unsafe.StringData(c) != unsafe.StringData(*s) {
		*s = c
	}
}

// trim sets *s to a copy with its capacity equal to its length, when it has
// spare capacity.
func trim[T any](s *[]T) {
	if cap(*s) == len(*s) {
		return
	}
	out := make([]T, len(*s))
	copy(out, *s)
	*s = out
}

// compactProfile shares p's repeated strings and trims its lists, in place.
// Free text (the summary, the sentence a skill was read from) and the
// external id are the profile's own and stay as they are.
func compactProfile(p *Profile) {
	share(&p.Kind)
	share(&p.Title)
	trim(&p.Titles)
	for i := range p.Titles {
		share(&p.Titles[i])
	}
	trim(&p.Skills)
	for i := range p.Skills {
		s := &p.Skills[i]
		share(&s.Label)
		share(&s.URI)
		share(&s.Level)
	}
	trim(&p.Occupations)
	for i := range p.Occupations {
		share(&p.Occupations[i].URI)
	}
	trim(&p.CardOccupations)
	for i := range p.CardOccupations {
		share(&p.CardOccupations[i].URI)
	}
	trim(&p.Prefs)
	for i := range p.Prefs {
		share(&p.Prefs[i])
	}
	for _, s := range []*string{&p.Country, &p.Prefecture, &p.Workplace, &p.Visibility, &p.Status, &p.Locale} {
		share(s)
	}
}

// reusable returns the cached entry of p's document when it was made from a
// profile equal to p: a rebuild then keeps the live cache's entry instead of
// holding a second one for the same profile until the swap.
func (e *Engine) reusable(p *Profile) *entry {
	js, err := json.Marshal(p)
	if err != nil {
		return nil
	}
	return e.reusableSum(p.Kind, p.ID, profileSum(js))
}

// reusableSum is reusable for the document whose stored profile hashes to
// sum: profiles are compared by their stored form (the cache holds no
// candidate's profile to compare whole).
func (e *Engine) reusableSum(kind string, id int64, sum uint64) *entry {
	e.mu.RLock()
	m := e.cands
	if kind == KindRole {
		m = e.roles
	}
	old := m[id]
	e.mu.RUnlock()
	if old != nil && old.sum == sum {
		return old
	}
	return nil
}

// sumSeed keys the hashes of stored profiles; they are compared within one
// process only.
var sumSeed = maphash.MakeSeed()

// profileSum hashes a stored profile (its JSON).
func profileSum(js []byte) uint64 { return maphash.Bytes(sumSeed, js) }

// docSum is profileSum of the profile stored in a document (Resolver.document).
func docSum(d map[string]any) uint64 {
	js, _ := d[fProfile].(string)
	return maphash.String(sumSeed, js)
}
