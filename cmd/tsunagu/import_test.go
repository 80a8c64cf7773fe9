package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/dbtest"
)

// importEnv runs commands against a fresh database.
func importEnv(t *testing.T) (*Env, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	vars := map[string]string{
		"DATABASE_URL": dbtest.NewDatabaseURL(t),
		"REDIS_URL":    "redis://127.0.0.1:1/0",
		"TSUNAGU_DEV":  "1",
	}
	var stdout, stderr bytes.Buffer
	return &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return vars[k] }}, &stdout, &stderr
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportCommand(t *testing.T) {
	e, stdout, _ := importEnv(t)
	ctx := context.Background()
	good := writeFile(t, "good.jsonl", `{"id": "cand-1", "name": "Amina K.", "location": {"country": "JP", "prefecture": "Tokyo"}, "skills": [{"label": "bookkeeping"}], "languages": [{"code": "ja", "level": "N3"}]}
{"id": "cand-2", "name": "Omar S.", "skills": [{"label": "welding"}], "languages": [{"code": "ar", "level": "native"}]}
`)
	t.Run("OK", func(t *testing.T) {
		stdout.Reset()
		if err := run(ctx, []string{"import", "candidates", good}, e); err != nil {
			t.Fatalf("import: %v\n%s", err, stdout)
		}
		if !strings.Contains(stdout.String(), "2 created") {
			t.Errorf("summary: %s", stdout)
		}
	})
	t.Run("OKTwiceChangesNothing", func(t *testing.T) {
		stdout.Reset()
		if err := run(ctx, []string{"import", "candidates", good}, e); err != nil {
			t.Fatalf("import: %v", err)
		}
		if !strings.Contains(stdout.String(), "0 created, 0 updated, 2 unchanged") {
			t.Errorf("summary: %s", stdout)
		}
	})
	t.Run("ErrRejectedLinesExitOne", func(t *testing.T) {
		stdout.Reset()
		bad := writeFile(t, "bad.jsonl", "{\"id\": \"ok\", \"name\": \"A\"}\n{\"id\": \"x\"}\nnot json\n")
		err := run(ctx, []string{"import", "candidates", bad}, e)
		if !errors.Is(err, errRejected) {
			t.Fatalf("err = %v, want errRejected", err)
		}
		for _, want := range []string{"line 2 (x): rejected: name: required", "line 3: rejected: not a JSON object", "1 created", "2 rejected"} {
			if !strings.Contains(stdout.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, stdout)
			}
		}
	})
	t.Run("OKRoles", func(t *testing.T) {
		stdout.Reset()
		roles := writeFile(t, "roles.jsonl", `{"id": "role-1", "company": "Sakura Logistics", "title": "Accounting staff", "workplace": "onsite", "required_skills": [{"label": "bookkeeping"}], "languages": [{"code": "ja", "level": "N2"}]}`+"\n")
		if err := run(ctx, []string{"import", "roles", roles}, e); err != nil {
			t.Fatalf("import roles: %v\n%s", err, stdout)
		}
		if !strings.Contains(stdout.String(), "1 created") {
			t.Errorf("summary: %s", stdout)
		}
	})
	t.Run("ErrUsage", func(t *testing.T) {
		if err := run(ctx, []string{"import", "people", good}, e); !errors.Is(err, errUsage) {
			t.Errorf("err = %v, want errUsage", err)
		}
	})
}
