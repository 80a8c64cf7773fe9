package profile

import (
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
