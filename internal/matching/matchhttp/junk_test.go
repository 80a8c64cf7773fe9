package matchhttp_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestMatchPageJunkQuery: the match page, its API and the company card
// answer junk query values and ids without a 500: filters that mean
// nothing fall back to "any", the page still lists the visible match, and
// an id that is not a candidate or role is 404.
func TestMatchPageJunkQuery(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	long := strings.Repeat("x", 10000)
	queries := []string{
		"sort=" + url.QueryEscape("'; DROP TABLE roles;--"), "sort=", "sort=" + long, "sort[]=score",
		"japanese=N9", "japanese=-1", "japanese=7", "japanese=99999999999999999999", "japanese=" + url.QueryEscape("日本語"), "japanese=n3",
		"prefecture=Atlantis", "prefecture=" + url.QueryEscape("東京都") + "&prefecture=Osaka", "prefecture=" + long,
		"near=maybe", "near=", "near=0&near=1&near=zzz", "near=" + long,
		"limit=-5", "limit=0", "limit=99999999999", "limit=abc", "limit=1e9",
		"japanese=N3&prefecture=Tokyo&sort=zzz&near=0&limit=-1",
	}
	for _, role := range []string{"company", "coordinator"} {
		c := f.client(t, role)
		for _, q := range queries {
			for _, base := range []string{"/roles/%d/matches?", "/api/v1/roles/%d/matches?"} {
				path := fmt.Sprintf(base, f.roleA) + q
				r := c.Get(path)
				if r.Status != http.StatusOK {
					t.Errorf("%s %.80s: status %d\n%.300s", role, path, r.Status, r.Body)
				}
			}
		}
		// A NUL or bytes that are not UTF-8 are refused at the edge with a
		// per-field error (issue 11, item 14), never a 5xx.
		for _, q := range []string{"prefecture=%00", "q=%ff%fe"} {
			for _, base := range []string{"/roles/%d/matches?", "/api/v1/roles/%d/matches?"} {
				path := fmt.Sprintf(base, f.roleA) + q
				if r := c.Get(path); r.Status != http.StatusUnprocessableEntity {
					t.Errorf("%s %.80s: status %d, want 422", role, path, r.Status)
				}
			}
		}
		// Values that name no filter mean "any": the visible match stays listed.
		for _, q := range []string{"japanese=N9", "japanese=-1", "prefecture=Atlantis", "sort=zzz", "near=maybe", "limit=-5", "limit=abc"} {
			if r := c.Get(fmt.Sprintf("/roles/%d/matches?", f.roleA) + q); !strings.Contains(r.Body, cardOf(f.visible)) {
				t.Errorf("%s ?%s: the visible match is not listed", role, q)
			}
		}
		for _, id := range []string{"abc", "0", "-1", "1.5", "99999999", "99999999999999999999", "%20", "1%2F2"} {
			for _, base := range []string{"/roles/%s/matches", "/api/v1/roles/%s/matches"} {
				path := fmt.Sprintf(base, id)
				if r := c.Get(path); r.Status != http.StatusNotFound {
					t.Errorf("%s %s: status %d, want 404", role, path, r.Status)
				}
			}
		}
	}
	comp := f.client(t, "company")
	for _, id := range []string{"abc", "0", "-1", "1.5", "99999999", "99999999999999999999", "%20", "1e3", fmt.Sprint(f.hidden)} {
		path := "/company/candidates/" + id
		if r := comp.Get(path); r.Status != http.StatusNotFound {
			t.Errorf("company %s: status %d, want 404\n%.300s", path, r.Status, r.Body)
		}
		path = "/api/v1/candidates/" + id + "/workshops"
		if r := comp.Get(path); r.Status != http.StatusNotFound {
			t.Errorf("company %s: status %d, want 404\n%.300s", path, r.Status, r.Body)
		}
	}
	if r := comp.Get(fmt.Sprintf("/company/candidates/%d?x=zz&lang=zz", f.visible)); r.Status != http.StatusOK {
		t.Errorf("card with junk query: status %d", r.Status)
	}
	// Bytes that are not UTF-8 are refused at the edge (issue 11, item 14).
	if r := comp.Get(fmt.Sprintf("/company/candidates/%d?x=%%ff&lang=zz", f.visible)); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("card with non-UTF-8 query: status %d, want 422", r.Status)
	}
	coord := f.client(t, "coordinator")
	for _, id := range []string{"abc", "0", "-1", "99999999", "99999999999999999999"} {
		path := "/api/v1/candidates/" + id + "/workshops"
		if r := coord.Get(path); r.Status != http.StatusNotFound {
			t.Errorf("coordinator %s: status %d, want 404\n%.300s", path, r.Status, r.Body)
		}
		for _, p := range []string{"/workshops/" + id, "/api/v1/workshops/" + id} {
			if r := coord.Get(p); r.Status != http.StatusNotFound {
				t.Errorf("coordinator %s: status %d, want 404\n%.300s", p, r.Status, r.Body)
			}
		}
	}
	for _, table := range []string{"nope", "..%2F..%2Fetc%2Fpasswd", "training%00", "TRAINING", "%20training", strings.Repeat("t", 5000), "training.csv"} {
		path := "/coordinator/outcomes/csv/" + table
		// A NUL in the path is refused at the edge (422) before routing.
		if r := coord.Get(path); r.Status != http.StatusNotFound && !(strings.Contains(table, "%00") && r.Status == http.StatusUnprocessableEntity) {
			t.Errorf("%.80s: status %d, want 404", path, r.Status)
		}
	}
	for _, table := range []string{"training", "training_programmes", "workshops"} {
		path := "/coordinator/outcomes/csv/" + table
		if r := coord.Get(path); r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
			t.Errorf("%s: status %d %s", path, r.Status, r.Header.Get("Content-Type"))
		}
		// A period that is no period is the person's error, never a 5xx
		// nor a file of every figure under a name that says otherwise.
		for _, q := range []string{"?from=garbage&to=2026-13-45", "?from=2030-01-01&to=2020-01-01", "?programme=x", "?programme=999999"} {
			if r := coord.Get(path + q); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s%s: status %d, want 422", path, q, r.Status)
			}
		}
		if r := comp.Get("/coordinator/outcomes/csv/" + table); r.Status != http.StatusNotFound && r.Status != http.StatusForbidden {
			t.Errorf("company outcomes csv %s: status %d", table, r.Status)
		}
	}
	for q, want := range map[string]int{"": http.StatusOK, "?section=zz": http.StatusOK, "?from=garbage": http.StatusUnprocessableEntity} {
		if r := coord.Get("/coordinator/outcomes" + q); r.Status != want {
			t.Errorf("outcomes%s: status %d, want %d", q, r.Status, want)
		}
	}
	if r := coord.Get("/coordinator/outcomes?section=%ff"); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("outcomes?section=%%ff: status %d, want 422", r.Status)
	}
}
