package apptest

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// TestCheckExchange shows that the check refuses what the document does
// not describe, and lets bad input refused by the server pass.
func TestCheckExchange(t *testing.T) {
	router, err := apiSpec()
	if err != nil {
		t.Fatal(err)
	}
	exchange := func(method, path, reqBody string, status int, respBody string) string {
		req := httptest.NewRequest(method, path, strings.NewReader(reqBody))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer tsu_x")
		rec := &recorder{ResponseWriter: httptest.NewRecorder(), status: status}
		rec.Header().Set("Content-Type", "application/json; charset=utf-8")
		rec.body.WriteString(respBody)
		return checkExchange(router, req, []byte(reqBody), rec)
	}
	for _, c := range []struct {
		name, method, path, req string
		status                  int
		resp                    string
		bad                     string // what the message names; "" for no message
	}{
		{"OK", "GET", "/roles/7", "", 200, `{"id": 7, "title": "Accountant", "workplace": "onsite", "employment_type": "full_time", "status": "open"}`, ""},
		{"ErrBodyOffSchema", "GET", "/roles/7", "", 200, `{"id": "seven"}`, "response"},
		{"ErrEnumOffList", "GET", "/roles/7", "", 200, `{"id": 7, "title": "A", "workplace": "moon", "employment_type": "full_time", "status": "open"}`, "workplace"},
		{"ErrErrorShape", "GET", "/roles/7", "", 404, `{"message": "gone"}`, "response"},
		{"BadInputRefused", "POST", "/roles", `{"title": 5}`, 422, `{"error": {"code": "invalid", "message": "m", "fields": {"title": "t"}}}`, ""},
		{"ErrBadInputAccepted", "POST", "/roles", `{"title": 5}`, 201, `{"id": 7, "title": "A", "workplace": "onsite", "employment_type": "full_time", "status": "open"}`, "refuses the request"},
		{"ErrUndocumentedRoute", "GET", "/no-such-route", "", 200, `{}`, "no documented operation"},
		{"UnknownRoute404", "GET", "/no-such-route", "", 404, `{"error": {"code": "not_found", "message": "m"}}`, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			msg := exchange(c.method, c.path, c.req, c.status, c.resp)
			if c.bad == "" && msg != "" {
				t.Fatalf("unexpected mismatch: %s", msg)
			}
			if c.bad != "" && !strings.Contains(msg, c.bad) {
				t.Fatalf("message %q does not name %q", msg, c.bad)
			}
		})
	}
}
