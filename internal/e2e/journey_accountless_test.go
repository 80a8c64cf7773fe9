package e2e_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/e2e"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/web"
)

// journeyWidth is the viewport width of the journeys' tabs: a small phone.
const journeyWidth = 375

// journeyShots keeps a journey's screenshots: in $E2E_ARTIFACTS_DIR when
// set, else in the test's temporary folder.
func journeyShots(t *testing.T) func(tab *e2e.Tab, name string) {
	dir := os.Getenv(e2e.EnvArtifacts)
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	prefix := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
	return func(tab *e2e.Tab, name string) {
		t.Helper()
		if w := e2e.Run(tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > journeyWidth {
			t.Errorf("%s: the page is %d px wide on a %d px phone", name, w, journeyWidth)
		}
		png := e2e.Run(tab, chromedp.FullScreenshot(100))
		if err := os.WriteFile(filepath.Join(dir, prefix+"_"+name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// journeyTab opens a tab at phone width.
func journeyTab(t *testing.T, b *e2e.Browser) *e2e.Tab {
	tab := b.NewTab(t)
	tab.Do(chromedp.EmulateViewport(journeyWidth, 812, chromedp.EmulateMobile))
	return tab
}

// journeyClick follows the link or presses the button sel and waits for the page.
func journeyClick(tab *e2e.Tab, sel string) { tab.Submit(sel) }

// journeyInviteLinkRE finds an invitation link in a mail's text.
var journeyInviteLinkRE = regexp.MustCompile(`https?://\S+/invitations/[A-Za-z0-9_-]+`)

// TestBrowserJourneyAccountless is issue 12's first journey, in Japanese
// and in English, each tab on a 375 px phone: a coordinator enters a person
// without an account by the form (in the language the person reads),
// opens their case, suggests them for a role and records the consent they
// gave by phone; the company follows the name in its pipeline to the full
// profile; the coordinator introduces them and invites them by e-mail; the
// person follows the link in the mail the platform wrote (read on the
// admin outbox page), sets a password and so claims the profile; the
// company invites them to an interview; the person signs in again and sees
// what awaits them, their notifications and the consent recorded for
// them, which they may withdraw.
func TestBrowserJourneyAccountless(t *testing.T) {
	b := e2e.NewBrowser(t)
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	db := env.App.DB
	cat, err := i18n.Load(web.Locales)
	if err != nil {
		t.Fatal(err)
	}
	// The demo company account belongs to a company with an open role.
	company, err := db.UserByEmail(ctx, seed.DemoUsers[1].Email)
	if err != nil {
		t.Fatal(err)
	}
	var co, role int64
	if err := db.GetContext(ctx, &co, `INSERT INTO companies (name) VALUES ('Kaede Trading') RETURNING id`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO company_members (company_id, user_id) VALUES ($1, $2)`, co, company.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.GetContext(ctx, &role, `INSERT INTO roles (company_id, title, description, workplace, employment_type, salary_min, salary_max, prefecture, status)
		VALUES ($1, 'Export clerk', 'Paperwork for shipments to the Gulf.', 'onsite', 'full_time', 3200000, 4000000, 'Osaka', 'open') RETURNING id`, co); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct{ lang, name, email, phone string }{
		{"ja", "Yusuf Karimi", "yusuf.journey@example.org", "090-5555-6666"},
		{"en", "Leila Nasser", "leila.journey@example.org", "080-7777-8888"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			T := func(id string, data ...any) string { return cat.Printer(tc.lang).T(id, data...) }
			shot := journeyShots(t)

			// The coordinator enters the person by the form.
			coord := journeyTab(t, b)
			coord.SignIn(env.URL, seed.DemoUsers[2].Email, seed.DemoPassword)
			coord.SetLanguage(tc.lang)
			coord.Navigate(env.URL + "/coordinator/candidates")
			journeyClick(coord, `a[href="/coordinator/candidates/new"]`)
			coord.Do(
				chromedp.SetValue(chromedp.CSS(`#f-name`), tc.name),
				chromedp.SetValue(chromedp.CSS(`#f-email`), tc.email),
				chromedp.SetValue(chromedp.CSS(`#f-phone`), tc.phone),
				chromedp.SetValue(chromedp.CSS(`#f-locale`), tc.lang),
				chromedp.SetValue(chromedp.CSS(`#f-headline`), "Customs paperwork"),
			)
			shot(coord, "1-new-candidate")
			journeyClick(coord, `form[action="/coordinator/candidates"] button[type=submit]`)
			candPath := coord.Path()
			var cand int64
			if _, err := fmt.Sscanf(candPath, "/coordinator/candidates/%d", &cand); err != nil {
				t.Fatalf("after saving the new profile at %s: %v", candPath, err)
			}
			if got := coord.Text("main h1"); !strings.Contains(got, tc.name) {
				t.Fatalf("profile page heading %q, want the name %q", got, tc.name)
			}

			// Open the case and suggest the role.
			coord.Navigate(env.URL + "/coordinator/cases/new")
			coord.Do(chromedp.SetValue(chromedp.CSS(`#f-candidate_id`), fmt.Sprint(cand)))
			journeyClick(coord, `form[action="/coordinator/cases"] button[type=submit]`)
			casePath := coord.Path()
			if !strings.HasPrefix(casePath, "/coordinator/cases/") {
				t.Fatalf("after opening the case at %s", casePath)
			}
			if got := coord.Text("main"); !strings.Contains(got, tc.name) {
				t.Fatalf("case page does not name %q", tc.name)
			}
			coord.Do(chromedp.SetValue(chromedp.CSS(`#f-role`), fmt.Sprint(role)))
			journeyClick(coord, `form[action$="/introductions"] button[type=submit]`)
			if got := coord.Text("main"); !strings.Contains(got, "Export clerk") || !strings.Contains(got, T("cases.intro.suggested")) {
				t.Fatalf("case page lacks the suggested introduction:\n%s", got)
			}

			// Record the consent the person gave by phone.
			journeyClick(coord, `a.record-consent`)
			if got := coord.Text("main h1"); got != T("cases.record.title") {
				t.Fatalf("record form heading %q, want %q", got, T("cases.record.title"))
			}
			words := "Yes, please introduce me to Kaede Trading (phone call, " + tc.lang + ")."
			coord.Do(
				chromedp.Click(chromedp.CSS(`input[name=answer][value=consent]`), chromedp.NodeVisible),
				chromedp.SetValue(chromedp.CSS(`#f-method`), "phone"),
				chromedp.SetValue(chromedp.CSS(`#f-words`), words),
			)
			shot(coord, "2-record-consent")
			journeyClick(coord, `form.record-consent-form button[type=submit]`)
			if got := coord.Path(); got != casePath {
				t.Fatalf("after recording at %s, want %s", got, casePath)
			}
			if got, want := coord.Text(".recorded-consent"), T("cases.method.phone"); !strings.Contains(got, want) {
				t.Errorf("case page shows %q, want the method %q", got, want)
			}
			if got := coord.Text("ol.timeline"); !strings.Contains(got, words) {
				t.Errorf("timeline lacks the words recorded %q:\n%s", words, got)
			}
			shot(coord, "3-case-recorded")

			// The company follows the name in its pipeline to the full profile.
			comp := journeyTab(t, b)
			comp.SignIn(env.URL, company.Email, seed.DemoPassword)
			comp.SetLanguage(tc.lang)
			comp.Navigate(env.URL + "/company/pipeline")
			if got := comp.Text("main"); !strings.Contains(got, T("cases.pipeline.recorded")) {
				t.Errorf("pipeline lacks %q:\n%s", T("cases.pipeline.recorded"), got)
			}
			shot(comp, "4-pipeline")
			journeyClick(comp, fmt.Sprintf(`a.full-profile[href="/company/candidates/%d/profile"]`, cand))
			page := comp.Text("main")
			for _, want := range []string{tc.name, tc.email, tc.phone} {
				if !strings.Contains(page, want) {
					t.Errorf("full profile lacks %q:\n%s", want, page)
				}
			}
			for _, own := range []string{T("profile.section.identity"), T("profile.section.wishes")} {
				if strings.Contains(page, own) { // "About you (private)" is the candidate's own wording
					t.Errorf("the company's view of the profile speaks to the candidate: %q", own)
				}
			}
			if !strings.Contains(page, T("profile.view.identity")) {
				t.Errorf("the company's view lacks %q", T("profile.view.identity"))
			}
			shot(comp, "5-full-profile")

			// The coordinator introduces the person and invites them by e-mail.
			coord.Navigate(env.URL + casePath)
			coord.Do(chromedp.SetValue(chromedp.CSS(`form[action^="/coordinator/introductions/"][action$="/move"] select[name=stage]`), "introduced"))
			journeyClick(coord, `form[action^="/coordinator/introductions/"][action$="/move"] button[type=submit]`)
			coord.Navigate(env.URL + candPath)
			journeyClick(coord, `#invite-candidate`)
			coord.Do(chromedp.Click(chromedp.CSS(`input[name="how"][value="email"]`), chromedp.NodeVisible))
			journeyClick(coord, `form[action$="/invite"] button[type="submit"]`)
			if got := coord.Text("main"); !strings.Contains(got, T("flash.invitation_sent")) {
				t.Errorf("no word that the invitation went: %q", got)
			}

			// The mail the platform wrote, as the admin outbox page shows it
			// (no SMTP here: the development outbox keeps the real text).
			admin := journeyTab(t, b)
			admin.SignIn(env.URL, seed.DemoUsers[3].Email, seed.DemoPassword)
			admin.Navigate(env.URL + "/admin/outbox")
			mail := e2e.Run(admin, chromedp.Evaluate[string](fmt.Sprintf(`(() => {
				for (const tr of document.querySelectorAll("main tbody tr")) {
					if (tr.cells[0].textContent.trim() === %q) return tr.cells[1].querySelector("pre").textContent;
				}
				return "";
			})()`, tc.email)))
			link := journeyInviteLinkRE.FindString(mail)
			if link == "" {
				t.Fatalf("no invitation mail with a link to %s in the outbox:\n%s", tc.email, mail)
			}
			if !strings.Contains(mail, strings.SplitN(T("mail.invite.body"), "\n", 2)[0]) {
				t.Errorf("the invitation is not in %q:\n%s", tc.lang, mail)
			}

			// The person follows the link and claims the profile.
			person := journeyTab(t, b)
			person.Navigate(link)
			if got := person.Lang(); got != tc.lang {
				t.Errorf("invitation page in %q, want %q", got, tc.lang)
			}
			if got := person.Text("main"); !strings.Contains(got, tc.name) || !strings.Contains(got, tc.email) {
				t.Errorf("invitation page does not name the profile and address:\n%s", got)
			}
			pw := "Cherry blossom " + tc.lang + " 2026!"
			person.Do(
				chromedp.SetValue(chromedp.CSS("#f-display_name"), strings.Fields(tc.name)[0]),
				chromedp.SetValue(chromedp.CSS("#f-password"), pw),
				chromedp.SetValue(chromedp.CSS("#f-password_confirm"), pw),
			)
			shot(person, "6-invitation")
			journeyClick(person, `form[action^="/invitations/"] button[type="submit"]`)
			if got := person.Path(); got != "/me" {
				t.Fatalf("after claiming: at %s, want /me", got)
			}
			person.SignOut()

			// The company invites them to an interview.
			comp.Navigate(env.URL + "/company/pipeline")
			journeyClick(comp, `form[action$="/feedback"] button[name=verdict][value=yes]`)

			// The person signs in and sees what awaits them.
			person.SignIn(env.URL, tc.email, pw)
			if got := person.Lang(); got != tc.lang {
				t.Errorf("home page in %q, want %q", got, tc.lang)
			}
			home := person.Text("main")
			if want := T("cases.home.unread", map[string]any{"Count": 1}); !strings.Contains(home, want) {
				t.Errorf("home page lacks %q:\n%s", want, home)
			}
			shot(person, "7-home")
			journeyClick(person, `main a[href="/notifications"]`)
			notes := person.Text("main")
			for _, want := range []string{
				T("notify.step.interviewing", map[string]any{"Company": "Kaede Trading", "Role": "Export clerk"}),
			} {
				if !strings.Contains(notes, want) {
					t.Errorf("notifications lack %q:\n%s", want, notes)
				}
			}
			shot(person, "8-notifications")

			// The consent recorded for them, which they may withdraw.
			person.Navigate(env.URL + "/me/introductions")
			intros := person.Text("main")
			if want := T("cases.method.phone"); !strings.Contains(person.Text(".recorded-consent"), want) {
				t.Errorf("my introductions do not show the consent recorded by %q:\n%s", want, intros)
			}
			if want := T("cases.my.identity_recorded"); !strings.Contains(person.Text(".identity-shared"), want) {
				t.Errorf("my introductions do not say Kaede Trading has my identity by a recorded consent (%q):\n%s", want, intros)
			}
			shot(person, "9-my-introductions")
		})
	}
}
