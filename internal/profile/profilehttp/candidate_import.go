package profilehttp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/importer"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func init() {
	type importPreview struct {
		Job        *postgres.ImportJob  `json:"job" validate:"required"`
		Rejections []importer.Rejection `json:"rejections" validate:"required"`
		Duplicates []importer.Duplicate `json:"duplicates" validate:"required"`
	}
	type importProgress struct {
		Job        *postgres.ImportJob  `json:"job" validate:"required"`
		Percent    int                  `json:"percent" validate:"required"`
		Rejections []importer.Rejection `json:"rejections,omitempty"`
	}
	thttp.DocumentAPI(
		thttp.APIOp{Method: "POST", Path: "/imports", ID: "previewImport", Summary: "Upload a candidate CSV (multipart field \"file\"): a preview with per-row errors, nothing written", Tag: "imports",
			Upload: "file", Response: importPreview{}, Status: 201},
		thttp.APIOp{Method: "POST", Path: "/imports/:id/run", ID: "runImport", Summary: "Run a previewed upload in the background", Tag: "imports", Response: importProgress{}, Status: 202, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "GET", Path: "/imports/:id", ID: "getImport", Summary: "An upload's progress and per-row errors", Tag: "imports", Response: importProgress{}},
	)
}

// ImportJobs keeps coordinator uploads (postgres.DB implements it).
type ImportJobs interface {
	CreateImportJob(ctx context.Context, j *postgres.ImportJob) error
	ImportJobByID(ctx context.Context, id int64) (*postgres.ImportJob, error)
	QueueImportJob(ctx context.Context, id int64, taskType string) error
}

const maxUploadBytes = 5 << 20

// registerImport adds the coordinator's upload pages (on the /coordinator
// group) and their API.
func (h *Handlers) registerImport(co *gin.RouterGroup, api *gin.RouterGroup) {
	co.GET("/import", h.handleImportForm)
	co.GET("/import/template.csv", h.handleImportTemplate)
	co.POST("/import", h.handleImportPreview)
	co.GET("/import/:id", h.s.HTML("candidate/import_job", h.showImportJob))
	co.POST("/import/:id/run", h.handleImportRun)

	api.POST("/imports", h.s.JSON(http.StatusCreated, h.apiImportPreview))
	api.POST("/imports/:id/run", h.s.JSON(http.StatusAccepted, h.apiImportRun))
	api.GET("/imports/:id", h.s.JSON(http.StatusOK, h.apiImportJob))
}

// handleImportForm handles GET /coordinator/import.
func (h *Handlers) handleImportForm(c *gin.Context) {
	h.s.Render(c, http.StatusOK, "candidate/import", gin.H{"Columns": importer.CSVColumns})
}

// templateExample is the template's example row, one value per
// importer.CSVColumns entry, in the formats the importer reads.
var templateExample = map[string]string{
	"id": "example-1", "name": "Amina Karimi", "email": "amina@example.org", "phone": "090-1234-5678",
	"nationality": "AF", "residence_status": "designated_activities", "residence_expiry": "2027-03-31",
	"headline": "Accountant", "summary": "Ten years of bookkeeping and audit in Kabul.", "prefecture": "Saitama",
	"willing_to_relocate": "yes", "languages": "fa:native; en:C1; ja:N3", "skills": "bookkeeping:advanced:8; MS Excel",
	"work_history": "Senior accountant:6:AF; Shop assistant:1:JP", "education_level": "bachelor",
	"education_field": "Accounting", "education_institution": "Kabul University", "preferred_prefectures": "Saitama; Tokyo",
	"workplace_preference": "onsite", "available_from": "2026-04-01", "visibility": "coordinators",
}

// handleImportTemplate handles GET /coordinator/import/template.csv?lang=:
// the candidate spreadsheet to fill in, with a header row labelled in the
// language (the page's when lang is not one of ours; "氏名 (name)", which
// the importer reads back) and an example row.
func (h *Handlers) handleImportTemplate(c *gin.Context) {
	p := h.s.Printer(c)
	if lang := c.Query("lang"); i18n.Supported(lang) {
		p = h.s.PrinterIn(lang)
	}
	sheet := thttp.Sheet{Name: "tsunagu-candidates-template-" + p.Lang, Header: sheetHeader(p)}
	example := make([]string, 0, len(importer.CSVColumns))
	for _, col := range importer.CSVColumns {
		example = append(example, templateExample[col])
	}
	sheet.Rows = [][]string{example}
	if err := thttp.WriteSheet(c, "csv", sheet); err != nil && !c.Writer.Written() {
		h.s.Fail(c, err)
	}
}

// sheetHeader is the header row of the candidate spreadsheet in p's
// language: each column's label with its name in brackets ("氏名 (name)"),
// which the importer reads back.
func sheetHeader(p *i18n.Printer) []string {
	header := make([]string, 0, len(importer.CSVColumns))
	for _, col := range importer.CSVColumns {
		label := col
		for _, id := range []string{"profile.field." + col, "profile.section." + col, "import.column." + col} {
			if t := p.T(id); t != id {
				label = t
				break
			}
		}
		header = append(header, label+" ("+col+")")
	}
	return header
}

// maxExportRows bounds a list export (an import takes as many).
const maxExportRows = importer.MaxCSVRows

// handleCandidateExport handles GET /coordinator/candidates/export/:format
// (csv or xlsx) with the list's filters (?q=&visibility=): every profile
// the list finds, up to maxExportRows, as the candidate spreadsheet, so a
// file edited in Excel imports back. The service audits each page read
// as a list of full profiles.
func (h *Handlers) handleCandidateExport(c *gin.Context) {
	f := candidateFilter(c)
	f.Offset, f.Limit = 0, thttp.MaxLimit
	sheet := thttp.Sheet{Name: "tsunagu-candidates-" + i18n.LocalTime(time.Now()).Format(i18n.DateLayout), Header: sheetHeader(h.s.Printer(c))}
	for len(sheet.Rows) < maxExportRows {
		list, total, err := h.Candidates.ListCandidates(c.Request.Context(), f)
		if err != nil {
			h.s.Fail(c, err)
			return
		}
		for _, cand := range list {
			sheet.Rows = append(sheet.Rows, importer.CSVRow(cand))
		}
		f.Offset += len(list)
		if len(list) == 0 || f.Offset >= total {
			break
		}
	}
	if err := thttp.WriteSheet(c, c.Param("format"), sheet); err != nil && !c.Writer.Written() {
		h.s.Fail(c, err)
	}
}

// preview reads an uploaded CSV, checks every row without writing a
// profile, and stores the upload with its per-row errors.
func (h *Handlers) preview(c *gin.Context) (*postgres.ImportJob, *importer.Summary, error) {
	ctx := c.Request.Context()
	u := thttp.CurrentUser(c)
	if !tsunagu.Can(u, tsunagu.ActCandidateImport, tsunagu.Subject{}) {
		return nil, nil, thttp.ErrForbidden
	}
	fh, err := c.FormFile("file")
	if err != nil {
		var v tsunagu.Validation
		v.Add("file", tsunagu.MsgRequired, nil)
		return nil, nil, v.Err()
	}
	if fh.Size > maxUploadBytes {
		var v tsunagu.Validation
		v.Add("file", "error.file_too_large", map[string]any{"Max": "5 MB"})
		return nil, nil, v.Err()
	}
	f, err := fh.Open()
	if err != nil {
		return nil, nil, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	lines, err := importer.CSVToJSONL(io.LimitReader(f, maxUploadBytes))
	if err != nil {
		var v tsunagu.Validation
		if te := (*importer.TextError)(nil); errors.As(err, &te) {
			v.Add("file", te.MessageID(), map[string]any{"File": fh.Filename, "Line": te.Line})
		} else {
			v.Add("file", "error.csv_unreadable", map[string]any{"Reason": err.Error()})
		}
		return nil, nil, v.Err()
	}
	opt := importer.Options{Candidates: h.Candidates, DryRun: true, LineOffset: 1}
	if h.Duplicates != nil {
		if opt.Likely, err = h.Duplicates.DuplicateChecker(ctx); err != nil {
			return nil, nil, err
		}
	}
	sum, err := importer.Import(ctx, bytes.NewReader(lines), importer.KindCandidates, opt)
	if err != nil {
		return nil, nil, err
	}
	errs, _ := json.Marshal(sum.Rejections)
	j := &postgres.ImportJob{Kind: importer.KindCandidates, Filename: fh.Filename, CreatedBy: &u.ID, Content: lines, Total: sum.Lines, Rejected: sum.Rejected, Errors: errs}
	if err := h.Imports.CreateImportJob(ctx, j); err != nil {
		return nil, nil, err
	}
	return j, sum, nil
}

// handleImportPreview handles POST /coordinator/import: the preview of an
// upload, row by row, before anything is written.
func (h *Handlers) handleImportPreview(c *gin.Context) {
	j, sum, err := h.preview(c)
	if err != nil {
		h.s.RenderForm(c, "candidate/import", gin.H{"Columns": importer.CSVColumns}, err)
		return
	}
	h.s.Render(c, http.StatusOK, "candidate/import_job", gin.H{"Job": j, "Summary": sum, "Good": sum.Lines - sum.Rejected, "Preview": true})
}

// importJob loads an upload its uploader (or an admin) may see.
func (h *Handlers) importJob(c *gin.Context) (*postgres.ImportJob, error) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		return nil, err
	}
	u := thttp.CurrentUser(c)
	if !tsunagu.Can(u, tsunagu.ActCandidateImport, tsunagu.Subject{}) {
		return nil, thttp.ErrNotFound
	}
	j, err := h.Imports.ImportJobByID(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	var sub tsunagu.Subject
	if j.CreatedBy != nil {
		sub.OwnerUserID = *j.CreatedBy
	}
	if !tsunagu.Can(u, tsunagu.ActImportJob, sub) {
		return nil, thttp.ErrNotFound
	}
	return j, nil
}

// runImport queues the previewed upload of the :id path parameter.
func (h *Handlers) runImport(c *gin.Context) (*postgres.ImportJob, error) {
	j, err := h.importJob(c)
	if err != nil {
		return nil, err
	}
	return j, h.Imports.QueueImportJob(c.Request.Context(), j.ID, h.ImportTask)
}

// handleImportRun handles POST /coordinator/import/:id/run: queue the
// previewed upload; its page then shows the progress.
func (h *Handlers) handleImportRun(c *gin.Context) {
	j, err := h.runImport(c)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/coordinator/import/%d", j.ID))
}

// importErrors decodes a job's stored rejections.
func importErrors(j *postgres.ImportJob) []importer.Rejection {
	var rs []importer.Rejection
	json.Unmarshal(j.Errors, &rs)
	return rs
}

// showImportJob handles GET /coordinator/import/:id: progress (the page
// refreshes itself while the job runs) and per-row errors.
func (h *Handlers) showImportJob(c *gin.Context) (any, error) {
	j, err := h.importJob(c)
	if err != nil {
		return nil, err
	}
	return gin.H{"Job": j, "Rejections": importErrors(j), "Running": j.Status == "queued" || j.Status == "running"}, nil
}

// apiImportPreview handles POST /api/v1/imports (multipart "file").
func (h *Handlers) apiImportPreview(c *gin.Context) (any, error) {
	j, sum, err := h.preview(c)
	if err != nil {
		return nil, err
	}
	return gin.H{"job": j, "rejections": sum.Rejections, "duplicates": sum.Duplicates}, nil
}

// apiImportRun handles POST /api/v1/imports/:id/run.
func (h *Handlers) apiImportRun(c *gin.Context) (any, error) {
	j, err := h.runImport(c)
	if err == nil {
		j, err = h.Imports.ImportJobByID(c.Request.Context(), j.ID)
	}
	if err != nil {
		return nil, err
	}
	return gin.H{"job": j, "percent": j.Percent()}, nil
}

// apiImportJob handles GET /api/v1/imports/:id.
func (h *Handlers) apiImportJob(c *gin.Context) (any, error) {
	j, err := h.importJob(c)
	if err != nil {
		return nil, err
	}
	return gin.H{"job": j, "percent": j.Percent(), "rejections": importErrors(j)}, nil
}
