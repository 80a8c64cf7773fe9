package http

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"
)

// Sheet is a table a person downloads to open in a spreadsheet: the
// outcomes, the candidate list, the case list, the import template.
type Sheet struct {
	// Name is the file name without its extension ("tsunagu-funnel").
	Name   string
	Header []string
	Rows   [][]string
}

// SheetFormats are the formats WriteSheet writes.
var SheetFormats = []string{"csv", "xlsx"}

// WriteSheet answers with s as an attachment in format: "csv" is UTF-8
// with a byte order mark, which Excel needs to open it in the right
// encoding with a double click (without it, Japanese Excel reads CP932); "xlsx" is an Excel workbook with one
// sheet, numbers stored as numbers. In both, a typed value a spreadsheet
// would run as a formula stays text. Any other format is ErrNotFound.
func WriteSheet(c *gin.Context, format string, s Sheet) error {
	switch format {
	case "csv":
		attachment(c, s.Name+".csv", "text/csv; charset=utf-8")
		c.Status(http.StatusOK)
		c.Writer.WriteString("\ufeff")
		w := csv.NewWriter(c.Writer)
		w.Write(s.Header)
		for _, row := range s.Rows {
			out := make([]string, len(row))
			for i, v := range row {
				out[i] = SheetText(v)
			}
			w.Write(out)
		}
		w.Flush()
		return w.Error()
	case "xlsx":
		f, err := sheetWorkbook(s)
		if err != nil {
			return err
		}
		defer f.Close()
		attachment(c, s.Name+".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		c.Status(http.StatusOK)
		_, err = f.WriteTo(c.Writer)
		return err
	}
	return ErrNotFound
}

func attachment(c *gin.Context, filename, contentType string) {
	c.Header("Content-Type", contentType)
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename=%q`, filename))
}

// sheetWorkbook lays s out in a workbook through excelize's stream writer,
// which keeps memory flat for long lists.
func sheetWorkbook(s Sheet) (*excelize.File, error) {
	f := excelize.NewFile()
	const name = "Sheet1"
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		f.Close()
		return nil, err
	}
	row := func(n int, cells []any, style int) error {
		if style != 0 {
			for i, v := range cells {
				cells[i] = excelize.Cell{StyleID: style, Value: v}
			}
		}
		ref, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return sw.SetRow(ref, cells)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		f.Close()
		return nil, err
	}
	head := make([]any, len(s.Header))
	for i, h := range s.Header {
		head[i] = h
	}
	if err := row(1, head, bold); err != nil {
		f.Close()
		return nil, err
	}
	for i, r := range s.Rows {
		cells := make([]any, len(r))
		for j, v := range r {
			cells[j] = sheetCell(v)
		}
		if err := row(i+2, cells, 0); err != nil {
			f.Close()
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// sheetCell is v as a workbook cell: a plain decimal number is a number;
// anything else, including a phone number's leading zero or plus, and a
// value that starts like a formula, is a string, which excelize never
// evaluates.
func sheetCell(v string) any {
	if v == "" || strings.Trim(v, "0123456789.-") != "" || (len(v) > 1 && v[0] == '0' && v[1] != '.') {
		return v
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n
	}
	if x, err := strconv.ParseFloat(v, 64); err == nil {
		return x
	}
	return v
}

// SheetText keeps a typed value (a programme's title, a person's note)
// that a spreadsheet would run as a formula (=, +, -, @, tab or CR first,
// not a number) as text in a CSV by putting ' before it.
func SheetText(v string) string {
	if v == "" || !strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return v
	}
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return v
	}
	return "'" + v
}
