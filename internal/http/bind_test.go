package http

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

type bindIn struct {
	Name  string    `json:"name" validate:"required,max=10,line"`
	Count int       `json:"count" validate:"range=0 5"`
	At    time.Time `json:"at"`
	Tags  []string  `json:"tags"`
	Inner struct {
		Note string `json:"note"`
	} `json:"inner"`
}

// selfChecked validates itself in its service: the binder leaves it be.
type selfChecked struct {
	Name string `json:"name" validate:"required"`
}

func (selfChecked) Validate() error { return nil }

func bindBody(body string, v any, strict bool) error {
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodPost, "/api/v1/x", strings.NewReader(body))
	if strict {
		return BindJSONStrict(c, v)
	}
	return BindJSON(c, v)
}

func TestBindJSON(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		strict     bool
		field      string // "" for an error on no field
		id         string // "" for no error
	}{
		{"OK", `{"name":"Amina","count":2,"at":"2027-01-02T03:04:05Z","tags":["a"]}`, false, "", ""},
		{"OKTrailingSpace", "{\"name\":\"A\"}\n \t", false, "", ""},
		{"OKUnknownFieldLoose", `{"name":"A","colour":"red"}`, false, "", ""},
		{"ErrUnknownFieldStrict", `{"name":"A","colour":"red"}`, true, "colour", "error.unknown_field"},
		{"ErrTrailingValue", `{"name":"A"}{"name":"B"}`, false, "", "error.bad_json"},
		{"ErrTrailingGarbage", `{"name":"A"} x`, false, "", "error.bad_json"},
		{"ErrEmpty", ``, false, "", "error.bad_json"},
		{"ErrNotJSON", `{name:"A"}`, false, "", "error.bad_json"},
		{"ErrArray", `[]`, false, "", "error.bad_json"},
		{"ErrRawNUL", "{\"name\":\"A\x00\"}", false, "", "error.bad_json"},
		{"ErrWrongType", `{"name":"A","count":"two"}`, false, "count", "error.json_type"},
		{"ErrFraction", `{"name":"A","count":2.5}`, false, "count", "error.json_type"},
		{"ErrNestedType", `{"name":"A","inner":{"note":7}}`, false, "inner", "error.json_type"},
		{"ErrDate", `{"name":"A","at":"tomorrow"}`, false, "at", "error.json_type"},
		{"ErrNUL", `{"name":"A","inner":{"note":"a\u0000b"}}`, false, "inner.note", tsunagu.MsgInvalidText},
		{"ErrNULInList", `{"name":"A","tags":["ok","\u0000"]}`, false, "tags[1]", tsunagu.MsgInvalidText},
		{"OKInvalidUTF8", "{\"name\":\"A\xff\"}", false, "", ""},
		{"ErrTooLarge", `{"name":"` + strings.Repeat("a", DefaultBodyLimit) + `"}`, false, "", "error.body_too_large"},
		{"ErrRequiredTag", `{"count":1}`, false, "name", tsunagu.MsgRequired},
		{"ErrRangeTag", `{"name":"A","count":6}`, false, "count", tsunagu.MsgOutOfRange},
		{"ErrLineTag", `{"name":"a\nb"}`, false, "name", tsunagu.MsgInvalidText},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var in bindIn
			err := bindBody(tc.body, &in, tc.strict)
			if tc.id == "" {
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
				return
			}
			e := tsunagu.AsError(err)
			wantCode := tsunagu.EINVALID
			if tc.id == "error.body_too_large" {
				wantCode = tsunagu.ETOOLARGE
			}
			if e == nil || e.Code != wantCode {
				t.Fatalf("err = %v, want %s", err, wantCode)
			}
			if tc.field == "" {
				if got := e.Message; got != tc.id || len(e.Fields) != 0 {
					t.Errorf("message %q fields %v, want %q and no field", got, e.Fields, tc.id)
				}
				return
			}
			if got := e.Fields[tc.field].ID; got != tc.id {
				t.Errorf("Fields[%q] = %q, want %q (all: %v)", tc.field, got, tc.id, e.Fields)
			}
		})
	}
	t.Run("SelfValidatingLeftToItsService", func(t *testing.T) {
		if err := bindBody(`{}`, &selfChecked{}, false); err != nil {
			t.Errorf("err = %v, want nil", err)
		}
	})
	t.Run("MapBody", func(t *testing.T) {
		var m map[string]any
		if err := bindBody(`{"a":1}`, &m, false); err != nil || m["a"] != 1.0 {
			t.Errorf("err = %v, m = %v", err, m)
		}
	})
}
