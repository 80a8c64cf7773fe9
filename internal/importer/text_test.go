package importer_test

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"

	"github.com/tsunagu-org/tsunagu/internal/importer"
)

// japaneseSheet is a coordinator's spreadsheet in Japanese, as Excel saves it.
const japaneseSheet = "id,name,prefecture,headline,skills,languages\r\n" +
	"jp-1,山田 花子,Tokyo,経理担当（元・会計士）,簿記:advanced:5; 財務報告,ja:N2; fa:native\r\n" +
	"jp-2,ナースィル・アフマディ,Saitama,溶接工,溶接:expert:8,ja:N3\r\n"

// decodeSheet runs a file through CSVToJSONL and decodes its candidates.
func decodeSheet(t *testing.T, file []byte) []map[string]string {
	t.Helper()
	lines, err := importer.CSVToJSONL(bytes.NewReader(file))
	if err != nil {
		t.Fatalf("CSVToJSONL: %v", err)
	}
	var out []map[string]string
	for _, l := range bytes.Split(bytes.TrimSpace(lines), []byte{'\n'}) {
		c, err := importer.DecodeCandidate(l)
		if err != nil {
			t.Fatalf("decode %s: %s", l, importer.Reason(err))
		}
		out = append(out, map[string]string{"name": c.Name, "headline": c.Headline, "skill": c.Skills[0].Label, "pref": c.Location.Prefecture})
	}
	return out
}

func TestCSVEncodings(t *testing.T) {
	sjis, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(japaneseSheet))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sjis, []byte("山田")) {
		t.Fatal("the Shift-JIS file is UTF-8")
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(strings.ReplaceAll(japaneseSheet, ",", "\t")))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, enc string
		file      []byte
	}{
		{"ShiftJIS", importer.EncodingShiftJIS, sjis},
		{"UTF8BOM", importer.EncodingUTF8BOM, append([]byte("\ufeff"), japaneseSheet...)},
		{"UTF8", importer.EncodingUTF8, []byte(japaneseSheet)},
		{"UTF16TabSeparated", importer.EncodingUTF16, utf16},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, enc, err := importer.DecodeText(tc.file); err != nil || enc != tc.enc {
				t.Errorf("DecodeText: %q, %v; want %q", enc, err, tc.enc)
			}
			got := decodeSheet(t, tc.file)
			if len(got) != 2 {
				t.Fatalf("%d candidates, want 2", len(got))
			}
			for i, want := range []map[string]string{
				{"name": "山田 花子", "headline": "経理担当（元・会計士）", "skill": "簿記", "pref": "Tokyo"},
				{"name": "ナースィル・アフマディ", "headline": "溶接工", "skill": "溶接", "pref": "Saitama"},
			} {
				for k, v := range want {
					if got[i][k] != v {
						t.Errorf("row %d %s = %q, want %q", i+1, k, got[i][k], v)
					}
				}
			}
		})
	}
}

func TestCSVUndecodable(t *testing.T) {
	garbage := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(13, 13))
	for i := range garbage {
		garbage[i] = byte(rng.UintN(256))
	}
	// UTF-8 Japanese with its second row cut inside a character.
	cut := []byte(japaneseSheet)
	i := bytes.Index(cut, []byte("ナ"))
	cut = append(append(append([]byte{}, cut[:i+1]...), ',', 'x', '\n'), cut[i+3:]...)
	for _, tc := range []struct {
		name     string
		file     []byte
		workbook bool
		line     int
	}{
		{"RandomBytes", garbage, false, 1},
		{"BrokenUTF8", cut, false, 3},
		{"BrokenUTF8AfterBOM", append([]byte("\ufeff"), cut...), false, 3},
		{"NULs", []byte("id,name\nx-1,A\x00B\n"), false, 2},
		{"Workbook", append([]byte("PK\x03\x04"), garbage[:64]...), true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines, err := importer.CSVToJSONL(bytes.NewReader(tc.file))
			var te *importer.TextError
			if !errors.As(err, &te) {
				t.Fatalf("CSVToJSONL = %q, %v; want a *TextError", lines, err)
			}
			if te.Workbook != tc.workbook || te.Line != tc.line {
				t.Errorf("TextError %+v, want workbook %v line %d", te, tc.workbook, tc.line)
			}
			want := "error.csv_encoding"
			if tc.workbook {
				want = "error.csv_workbook"
			}
			if got := te.MessageID(); got != want {
				t.Errorf("MessageID %q, want %q", got, want)
			}
		})
	}
}
