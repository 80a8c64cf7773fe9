package profilehttp

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Suggester gives the taxonomy normaliser once its index is open.
type Suggester interface {
	Normalizer(ctx context.Context) (*taxonomy.Normalizer, error)
}

func init() {
	type suggestions struct {
		Results []suggestion `json:"results" validate:"required"`
	}
	params := []string{"q", "lang", "limit:integer"}
	thttp.DocumentAPI(
		thttp.APIOp{Method: "GET", Path: "/taxonomy/skills", ID: "suggestSkills", Tag: "taxonomy", Query: params, Response: suggestions{},
			Summary: "Suggest ESCO skills for typed text"},
		thttp.APIOp{Method: "GET", Path: "/taxonomy/occupations", ID: "suggestOccupations", Tag: "taxonomy", Query: params, Response: suggestions{},
			Summary: "Suggest ESCO occupations for a typed job title"},
	)
}

// TaxonomyRoutes registers the suggestion endpoints: JSON under
// /api/v1/taxonomy for programs, and <option> lists under /suggest for the
// forms' datalists (htmx). Any signed-in user may ask.
func TaxonomyRoutes(s Suggester) func(r *thttp.Router) {
	return func(r *thttp.Router) {
		h := &taxonomyHandlers{srv: r.Server, s: s}
		r.API.GET("/taxonomy/skills", r.Server.SignedIn(), r.Server.JSON(http.StatusOK, h.api(false)))
		r.API.GET("/taxonomy/occupations", r.Server.SignedIn(), r.Server.JSON(http.StatusOK, h.api(true)))
		r.Engine.GET("/suggest/skills", r.Server.SignedIn(), h.options(false))
		r.Engine.GET("/suggest/occupations", r.Server.SignedIn(), h.options(true))
	}
}

type taxonomyHandlers struct {
	srv *thttp.Server
	s   Suggester
}

type suggestion struct {
	URI   string  `json:"uri"`
	Label string  `json:"label"`
	Score float64 `json:"score"`
}

// suggest validates the query and asks the normaliser.
func (h *taxonomyHandlers) suggest(c *gin.Context, q, lang string, limit int, occupations bool) ([]suggestion, error) {
	var v tsunagu.Validation
	q = strings.TrimSpace(q)
	switch {
	case q == "":
		v.Add("q", "error.required", nil)
	case utf8.RuneCountInString(q) > 200:
		v.Add("q", "error.too_long", map[string]any{"Max": 200})
	}
	if lang != "" && !i18n.Supported(lang) {
		v.Add("lang", "error.choice", nil)
	}
	if limit < 1 || limit > 50 {
		v.Add("limit", "error.range", map[string]any{"Min": 1, "Max": 50})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if lang == "" {
		lang = h.srv.Printer(c).Lang
	}
	// The index opens in the background when the server starts; until it
	// is ready the answer is 503, not a long wait.
	wctx, wcancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	n, err := h.s.Normalizer(wctx)
	wcancel()
	if err != nil {
		if wctx.Err() != nil && c.Request.Context().Err() == nil {
			return nil, tsunagu.Errorf(tsunagu.EUNAVAILABLE, "error.suggestions_starting")
		}
		return nil, fmt.Errorf("taxonomy index: %w", err)
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 10*time.Second)
	defer cancel()
	find := n.Skills
	if occupations {
		find = n.Occupations
	}
	rs, err := find(ctx, q, lang, limit)
	if err != nil {
		return nil, err
	}
	out := make([]suggestion, 0, len(rs))
	for _, r := range rs {
		out = append(out, suggestion{URI: r.URI, Label: r.Label, Score: r.Score})
	}
	return out, nil
}

// api handles GET /api/v1/taxonomy/skills and /api/v1/taxonomy/occupations.
func (h *taxonomyHandlers) api(occupations bool) thttp.HandlerFunc {
	return func(c *gin.Context) (any, error) {
		limit := 10
		if l := c.Query("limit"); l != "" {
			n, err := strconv.Atoi(l)
			if err != nil {
				n = -1
			}
			limit = n
		}
		rs, err := h.suggest(c, c.Query("q"), c.Query("lang"), limit, occupations)
		return gin.H{"results": rs}, err
	}
}

var optionsTemplate = template.Must(template.New("options").Parse(
	`{{range .}}<option value="{{.Label}}" data-uri="{{.URI}}"></option>{{end}}`))

// options handles GET /suggest/skills and /suggest/occupations: <option>
// elements for a form's datalist. The query is the q parameter or, as htmx
// sends an input by its own name, the first parameter given.
func (h *taxonomyHandlers) options(occupations bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		q := c.Query("q")
		if q == "" {
			for _, vs := range c.Request.URL.Query() {
				if len(vs) > 0 {
					q = vs[0]
					break
				}
			}
		}
		c.Header("Content-Type", "text/html; charset=utf-8")
		if strings.TrimSpace(q) == "" {
			c.Status(http.StatusOK)
			return
		}
		rs, err := h.suggest(c, q, "", 8, occupations)
		if err != nil {
			if code := tsunagu.ErrorCode(err); code == tsunagu.EINVALID || code == tsunagu.EUNAVAILABLE {
				c.Status(http.StatusOK) // an empty list: nothing to suggest
				return
			}
			h.srv.Fail(c, err)
			return
		}
		c.Status(http.StatusOK)
		optionsTemplate.Execute(c.Writer, rs)
	}
}
