package importer

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// Encodings DecodeText recognises.
const (
	EncodingUTF8     = "UTF-8"
	EncodingUTF8BOM  = "UTF-8 (BOM)"
	EncodingUTF16    = "UTF-16"
	EncodingShiftJIS = "Shift-JIS"
)

// TextError says why an upload is not text DecodeText can read. Workbook is
// set for an Excel workbook (.xlsx, .xls) uploaded in place of its CSV;
// otherwise Line is the first line (from 1) that is neither UTF-8 nor
// Shift-JIS text.
type TextError struct {
	Workbook bool
	Line     int
}

func (e *TextError) Error() string {
	if e.Workbook {
		return "an Excel workbook, not CSV text"
	}
	return fmt.Sprintf("line %d is neither UTF-8 nor Shift-JIS text", e.Line)
}

// MessageID is the catalogue message that explains e to a person; its data
// are File (the file's name) and Line.
func (e *TextError) MessageID() string {
	if e.Workbook {
		return "error.csv_workbook"
	}
	return "error.csv_encoding"
}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
	zipMagic   = []byte("PK\x03\x04")                                   // .xlsx
	oleMagic   = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1} // .xls
)

// DecodeText returns an uploaded spreadsheet's bytes as UTF-8 without a
// byte order mark, and the encoding it was in: UTF-8 with or without a BOM
// ("CSV UTF-8" in Excel), UTF-16 with a BOM ("Unicode text"), or Shift-JIS
// as Windows code page 932 writes it (Excel's plain "CSV" in Japan). Text
// that is neither, such as a workbook or random bytes, is a *TextError, so
// it is never stored as mojibake.
//
// A file that is UTF-8 except for a few bad bytes (cut short, or edited
// with the wrong tool) is reported as broken UTF-8 at its first bad line,
// not read as Shift-JIS: that reading would turn all its text to mojibake.
func DecodeText(b []byte) ([]byte, string, error) {
	switch {
	case bytes.HasPrefix(b, zipMagic), bytes.HasPrefix(b, oleMagic):
		return nil, "", &TextError{Workbook: true}
	case bytes.HasPrefix(b, bomUTF8):
		b = b[len(bomUTF8):]
		if bad := firstInvalidUTF8(b); bad >= 0 {
			return nil, "", &TextError{Line: lineAt(b, bad)}
		}
		return b, EncodingUTF8BOM, checkText(b)
	case bytes.HasPrefix(b, bomUTF16LE), bytes.HasPrefix(b, bomUTF16BE):
		out, err := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
		if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
			return nil, "", &TextError{Line: lineAt(out, bytes.IndexRune(out, utf8.RuneError))}
		}
		return out, EncodingUTF16, checkText(out)
	}
	good, bad, first := utf8Counts(b)
	if bad == 0 {
		return b, EncodingUTF8, checkText(b)
	}
	if good > 0 && bad*10 < good {
		return nil, "", &TextError{Line: lineAt(b, first)}
	}
	out, err := japanese.ShiftJIS.NewDecoder().Bytes(b)
	if err != nil {
		return nil, "", &TextError{Line: 1}
	}
	if i := bytes.IndexRune(out, utf8.RuneError); i >= 0 {
		return nil, "", &TextError{Line: lineAt(out, i)}
	}
	return out, EncodingShiftJIS, checkText(out)
}

// checkText rejects control characters other than tab, line feed and
// carriage return, and private-use characters (Shift-JIS's user-defined
// area): spreadsheets have none, random bytes nearly always do.
func checkText(b []byte) error {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7F || (r >= 0xE000 && r <= 0xF8FF) {
			return &TextError{Line: lineAt(b, i)}
		}
		i += size
	}
	return nil
}

// utf8Counts counts the well-formed multi-byte UTF-8 characters of b and
// its bytes that are not UTF-8, with the offset of the first (-1: none).
func utf8Counts(b []byte) (good, bad, first int) {
	first = -1
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			if first < 0 {
				first = i
			}
			bad++
		case size > 1:
			good++
		}
		i += size
	}
	return good, bad, first
}

func firstInvalidUTF8(b []byte) int {
	_, bad, first := utf8Counts(b)
	if bad == 0 {
		return -1
	}
	return first
}

// lineAt returns the line (from 1) of byte offset i of b.
func lineAt(b []byte, i int) int {
	if i < 0 || i > len(b) {
		return 1
	}
	return bytes.Count(b[:i], []byte{'\n'}) + 1
}
