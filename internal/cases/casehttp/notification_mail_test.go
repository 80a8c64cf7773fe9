package casehttp_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
)

// TestNotificationMailChoice: staff read their notifications' mail as a
// daily digest unless they choose one each, on the notifications page; a
// bad choice is a 422, never a 500.
func TestNotificationMailChoice(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	coord := env.Client()
	coord.Lang = "en"
	coord.SignInDemo("coordinator")
	u, err := env.App.DB.UserByEmail(ctx, "coordinator@demo.tsunagu.jp")
	if err != nil {
		t.Fatal(err)
	}
	if p := coord.Get("/notifications"); p.Status != http.StatusOK || !strings.Contains(p.Body, `value="daily" checked`) {
		t.Fatalf("notifications page: status %d, the daily digest not chosen for staff", p.Status)
	}
	if r := coord.PostForm("/notifications/mail", "/notifications", url.Values{"mail": {"each"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("choose each: status %d", r.Status)
	}
	if daily, err := env.App.DB.MailsDigest(ctx, u.ID); err != nil || daily {
		t.Fatalf("digest = %v, %v after choosing one each", daily, err)
	}
	if p := coord.Get("/notifications"); !strings.Contains(p.Body, `value="each" checked`) {
		t.Fatalf("the choice is not shown")
	}
	if r := coord.PostForm("/notifications/mail", "/notifications", url.Values{"mail": {"pigeon"}}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad choice: status %d, want 422", r.Status)
	}
	cand := env.Client()
	cand.SignInDemo("candidate")
	if p := cand.Get("/notifications"); p.Status != http.StatusOK || !strings.Contains(p.Body, `value="each" checked`) {
		t.Fatalf("a candidate's default is a mail each: status %d", p.Status)
	}
}
