package profile

import (
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
)

func TestNamesAlike(t *testing.T) {
	same := [][]string{
		{"Amina Karimi", "أمينة كريمي", "アミナ・カリミ", "KARIMI Amina", "Amina  Karími", "カリミ アミナ"},
		{"Mohammed Al-Hassan", "محمد الحسن", "ムハンマド・アルハサン", "Muhammad Alhassan"},
		{"Farid Ahmadi", "فرید احمدی", "ファリド・アフマディ", "Фарід Ахмаді"},
		{"Olena Kovalenko", "Олена Коваленко", "オレナ・コバレンコ"},
		{"Zainab Haddad", "زينب حداد", "ザイナブ・ハッダード"},
	}
	for _, group := range same {
		for _, a := range group {
			for _, b := range group {
				if !namesAlike(a, b) {
					t.Errorf("%q and %q: not alike (%v / %v)", a, b, keyOf(a), keyOf(b))
				}
			}
		}
	}
	different := [][2]string{
		{"Amina Karimi", "Amira Kassem"},
		{"Mohammed Al-Hassan", "Mahmoud Al-Hussein"},
		{"Farid Ahmadi", "Fatima Ahmadi"},
		{"Olena Kovalenko", "Olga Koval"},
		{"Ali Reza", "Ali Raza Khan"},
		{"Li Na", "Lin Nan"},
	}
	for _, p := range different {
		if namesAlike(p[0], p[1]) {
			t.Errorf("%q and %q: alike (%v / %v)", p[0], p[1], keyOf(p[0]), keyOf(p[1]))
		}
	}
}

// Folding names is safe from concurrent saves.
func TestFoldNameConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				if got := foldName("Amélie Ñúñez " + strconv.Itoa(i)); got != "amelie nunez "+strconv.Itoa(i) {
					t.Errorf("foldName = %q", got)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// Alike names always share a block key, so the indexed look-up finds every
// pair that comparing all names would: the test groups above, and random
// skeletons with up to two edits, kept when closeEnough says they match.
func TestBlockKeys(t *testing.T) {
	share := func(a, b nameKey) bool {
		in := map[string]bool{}
		for _, x := range a.blockKeys() {
			in[x] = true
		}
		for _, y := range b.blockKeys() {
			if in[y] {
				return true
			}
		}
		return false
	}
	for _, group := range [][]string{
		{"Amina Karimi", "أمينة كريمي", "アミナ・カリミ", "KARIMI Amina", "Amina  Karími", "カリミ アミナ"},
		{"Mohammed Al-Hassan", "محمد الحسن", "ムハンマド・アルハサン", "Muhammad Alhassan"},
		{"Farid Ahmadi", "فرید احمدی", "ファリド・アフマディ", "Фарід Ахмаді"},
		{"Olena Kovalenko", "Олена Коваленко", "オレナ・コバレンコ"},
		{"Zainab Haddad", "زينب حداد", "ザイナブ・ハッダード"},
	} {
		for _, a := range group {
			for _, b := range group {
				if !share(keyOf(a), keyOf(b)) {
					t.Errorf("%q and %q share no block key (%v / %v)", a, b, keyOf(a).blockKeys(), keyOf(b).blockKeys())
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const letters = "bdgjkmnrst"
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = letters[rng.IntN(len(letters))]
		}
		return string(b)
	}
	edit := func(s string) string {
		i := rng.IntN(len(s) + 1)
		switch rng.IntN(3) {
		case 0: // insert
			return s[:i] + word(1) + s[i:]
		case 1: // delete
			if i < len(s) {
				return s[:i] + s[i+1:]
			}
		}
		if i < len(s) { // substitute
			return s[:i] + word(1) + s[i+1:]
		}
		return s
	}
	checked := 0
	for range 20000 {
		a := word(3 + rng.IntN(11))
		b := edit(a)
		if rng.IntN(2) == 0 {
			b = edit(b)
		}
		if !closeEnough(a, b) {
			continue
		}
		checked++
		ka, kb := nameKey{forms: [][2]string{{a, a}}}, nameKey{forms: [][2]string{{b, b}}}
		if !share(ka, kb) {
			t.Fatalf("%q and %q are close enough but share no block key", a, b)
		}
	}
	if checked < 5000 {
		t.Fatalf("only %d close pairs checked", checked)
	}
}
