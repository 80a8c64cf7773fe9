package tsunagu

// JLPT levels, lowest first. A Japanese level is ranked 1 (N5) to 5 (N1);
// "native" ranks 6.
var JLPTLevels = []string{"N5", "N4", "N3", "N2", "N1"}

// CEFR levels, lowest first, ranked 1 (A1) to 6 (C2); "native" ranks 7.
var CEFRLevels = []string{"A1", "A2", "B1", "B2", "C1", "C2"}

// JapaneseRank ranks a Japanese level: 0 for none or unknown, 1..5 for
// N5..N1, 6 for native. CEFR levels given for Japanese are mapped roughly
// (A1→N5, A2→N4, B1→N3, B2→N2, C1 and C2→N1).
func JapaneseRank(level string) int {
	switch level {
	case "N5", "A1":
		return 1
	case "N4", "A2":
		return 2
	case "N3", "B1":
		return 3
	case "N2", "B2":
		return 4
	case "N1", "C1", "C2":
		return 5
	case "native":
		return 6
	}
	return 0
}

// CEFRRank ranks a CEFR level 1..6, "native" 7, anything else 0.
func CEFRRank(level string) int {
	for i, l := range CEFRLevels {
		if l == level {
			return i + 1
		}
	}
	if level == "native" {
		return 7
	}
	return 0
}

// ValidLanguageLevel reports whether level fits language code: JLPT or
// native for Japanese, CEFR or native otherwise.
func ValidLanguageLevel(code, level string) bool {
	if level == "native" {
		return true
	}
	if code == "ja" {
		for _, l := range JLPTLevels {
			if l == level {
				return true
			}
		}
		return false
	}
	return CEFRRank(level) > 0
}
