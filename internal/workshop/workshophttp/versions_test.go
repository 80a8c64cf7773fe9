package workshophttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// readyWorkshop makes a workshop with an accepted lecturer, ready to be
// scheduled, and returns its id.
func readyWorkshop(t *testing.T, env *apptest.Env, topic string) int64 {
	t.Helper()
	ctx := context.Background()
	db := env.App.DB
	var company, cand int64
	if err := db.GetContext(ctx, &company, `INSERT INTO companies (name) VALUES ($1) RETURNING id`, topic+" KK"); err != nil {
		t.Fatal(err)
	}
	if err := db.GetContext(ctx, &cand, `INSERT INTO candidates (name, headline, locale, visibility, speaker_opt_in)
		VALUES ('Lecturer', 'Teacher', 'en', 'companies', TRUE) RETURNING id`); err != nil {
		t.Fatal(err)
	}
	w := &tsunagu.Workshop{CompanyID: company, Topic: topic, Audience: 20, PreferredDates: []time.Time{time.Now().AddDate(0, 0, 10)}, Language: "en"}
	if err := db.CreateWorkshop(ctx, w, ""); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := db.InTx(ctx, func(tx *postgres.Tx) error {
		if err := postgres.ProposeLecturer(ctx, tx, w.ID, cand, nil, now); err != nil {
			return err
		}
		return postgres.SetLecturerStatus(ctx, tx, w.ID, cand, tsunagu.LecturerAccepted, now)
	}); err != nil {
		t.Fatal(err)
	}
	return w.ID
}

func storedPlace(t *testing.T, env *apptest.Env, id int64) string {
	t.Helper()
	var place string
	if err := env.App.DB.GetContext(context.Background(), &place, `SELECT place FROM workshops WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	return place
}

func apiPost(t *testing.T, c *apptest.Client, path, body string, headers ...string) *apptest.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.CSRF("/about"))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.Do(req)
}

// TestConcurrentWorkshopSchedule: two coordinators schedule one workshop
// from the same version, through the API (If-Match, then the body's
// version) and through the page: the first is saved, the second answers
// 409 and the first's place stays; on the page the second keeps what
// they typed, sees the place saved meanwhile, and can save again.
func TestConcurrentWorkshopSchedule(t *testing.T) {
	env := apptest.New(t, apptest.Options{Seed: true})
	a, b := env.ClientFor(t), env.ClientFor(t)
	a.SignInDemo("coordinator")
	b.SignInDemo("admin")
	at := time.Now().AddDate(0, 0, 20).UTC().Truncate(time.Minute)
	schedule := func(place string, version int64) string {
		if version > 0 {
			return fmt.Sprintf(`{"scheduled_at":%q,"place":%q,"version":%d}`, at.Format(time.RFC3339), place, version)
		}
		return fmt.Sprintf(`{"scheduled_at":%q,"place":%q}`, at.Format(time.RFC3339), place)
	}

	for _, via := range []string{"IfMatch", "BodyVersion"} {
		t.Run("API"+via, func(t *testing.T) {
			id := readyWorkshop(t, env, "API "+via)
			path := fmt.Sprintf("/api/v1/workshops/%d", id)
			ra, rb := a.Get(path), b.Get(path)
			tag := ra.Header.Get("ETag")
			if ra.Status != http.StatusOK || tag == "" || rb.Header.Get("ETag") != tag {
				t.Fatalf("GET %s: status %d, ETags %q and %q", path, ra.Status, tag, rb.Header.Get("ETag"))
			}
			var w struct{ Version int64 }
			json.Unmarshal([]byte(ra.Body), &w)
			send := func(c *apptest.Client, place string) *apptest.Response {
				if via == "IfMatch" {
					return apiPost(t, c, path+"/schedule", schedule(place, 0), "If-Match", tag)
				}
				return apiPost(t, c, path+"/schedule", schedule(place, w.Version))
			}
			r := send(a, "Room A")
			if r.Status != http.StatusOK {
				t.Fatalf("first schedule: status %d %s", r.Status, r.Body)
			}
			if got := r.Header.Get("ETag"); got == "" || got == tag {
				t.Errorf("first schedule answered ETag %q, want a new one (read %q)", got, tag)
			}
			r = send(b, "Room B")
			if got, want := r.Status, http.StatusConflict; got != want {
				t.Errorf("second schedule from the same version: status = %d, want %d (%s)", got, want, r.Body)
			}
			var e struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			json.Unmarshal([]byte(r.Body), &e)
			if e.Error.Code != "conflict" || e.Error.Message == "" || strings.Contains(e.Error.Message, "error.") {
				t.Errorf("conflict body = %s, want code conflict and a translated message", r.Body)
			}
			if got, want := storedPlace(t, env, id), "Room A"; got != want {
				t.Errorf("place = %q, want %q (the acknowledged schedule)", got, want)
			}
		})
	}
	t.Run("APIWithoutVersion", func(t *testing.T) {
		id := readyWorkshop(t, env, "API no version")
		path := fmt.Sprintf("/api/v1/workshops/%d/schedule", id)
		for _, place := range []string{"Room A", "Room B"} {
			if r := apiPost(t, a, path, schedule(place, 0)); r.Status != http.StatusOK {
				t.Fatalf("schedule without If-Match or version: status %d %s, want 200 (as before)", r.Status, r.Body)
			}
		}
		if r := apiPost(t, a, path, schedule("Room C", 0), "If-Match", `"soon"`); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("If-Match naming no version: status %d %s, want 422", r.Status, r.Body)
		}
	})

	t.Run("Page", func(t *testing.T) {
		a.SetLanguage("en")
		id := readyWorkshop(t, env, "Page")
		page := fmt.Sprintf("/workshops/%d", id)
		versionRe := regexp.MustCompile(`action="` + page + `/schedule"[^>]*>.*?name="version" value="(\d+)"`)
		versionOf := func(body string) string {
			m := versionRe.FindStringSubmatch(strings.ReplaceAll(body, "\n", " "))
			if m == nil {
				t.Fatalf("the schedule form carries no version")
			}
			return m[1]
		}
		mine, theirs := versionOf(a.Get(page).Body), versionOf(b.Get(page).Body)
		when := at.In(i18n.Zone).Format("2006-01-02T15:04")
		r := b.PostForm(page+"/schedule", page, url.Values{"scheduled_at": {when}, "place": {"Their hall"}, "version": {theirs}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("their schedule: status %d", r.Status)
		}
		r = a.PostForm(page+"/schedule", page, url.Values{"scheduled_at": {when}, "place": {"My room typed meanwhile"}, "version": {mine}})
		if got, want := r.Status, http.StatusConflict; got != want {
			t.Fatalf("my schedule from the old version: status = %d, want %d", got, want)
		}
		for _, want := range []string{`value="My room typed meanwhile"`, "Their hall", "Someone else changed", `id="conflict"`} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("conflict page lacks %q", want)
			}
		}
		if got, want := storedPlace(t, env, id), "Their hall"; got != want {
			t.Errorf("place = %q, want %q (their acknowledged schedule)", got, want)
		}
		again := versionOf(r.Body)
		if again == mine {
			t.Errorf("the form still carries the old version %s", again)
		}
		r = a.PostForm(page+"/schedule", page, url.Values{"scheduled_at": {when}, "place": {"My room typed meanwhile"}, "version": {again}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("schedule again after seeing theirs: status %d", r.Status)
		}
		if got, want := storedPlace(t, env, id), "My room typed meanwhile"; got != want {
			t.Errorf("place = %q after saving again, want %q", got, want)
		}
	})
}
