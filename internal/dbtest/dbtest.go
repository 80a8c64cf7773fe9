// Package dbtest gives tests their own throwaway PostgreSQL database, cloned
// from a migrated template database, and their own Redis database number, so
// test packages run in parallel against the real services without touching
// each other.
//
// It reads TSUNAGU_TEST_DATABASE_URL (a URL to any database on a server where
// the user may create databases) and TSUNAGU_TEST_REDIS_URL; `make test` sets
// both. Without them the tests fail with a message saying so: they never
// silently skip.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/migrations"
)

// DatabaseURL returns the admin URL tests connect with, failing tb if unset.
func DatabaseURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("TSUNAGU_TEST_DATABASE_URL")
	if u == "" {
		tb.Fatal("TSUNAGU_TEST_DATABASE_URL is not set: run the tests with `make test`, which starts PostgreSQL and Redis")
	}
	return u
}

// RedisBaseURL returns the Redis URL tests use, failing tb if unset.
func RedisBaseURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("TSUNAGU_TEST_REDIS_URL")
	if u == "" {
		tb.Fatal("TSUNAGU_TEST_REDIS_URL is not set: run the tests with `make test`, which starts PostgreSQL and Redis")
	}
	return u
}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// NewDatabaseURL creates a fresh database cloned from the migrated template
// and returns its URL. The database is dropped when tb ends.
func NewDatabaseURL(tb testing.TB) string {
	tb.Helper()
	admin := DatabaseURL(tb)
	templateOnce.Do(func() { templateName, templateErr = ensureTemplate(admin) })
	if templateErr != nil {
		tb.Fatalf("prepare template database: %v", templateErr)
	}
	db, err := sql.Open("postgres", admin)
	if err != nil {
		tb.Fatalf("open admin database: %v", err)
	}
	defer db.Close()
	name := "tsunagu_t_" + randomHex(6)
	var lastErr error
	for i := 0; i < 20; i++ {
		_, lastErr = db.Exec(fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, templateName))
		if lastErr == nil {
			break
		}
		// Another package may be cloning the same template this instant.
		time.Sleep(time.Duration(50+i*50) * time.Millisecond)
	}
	if lastErr != nil {
		tb.Fatalf("create test database: %v", lastErr)
	}
	tb.Cleanup(func() {
		db, err := sql.Open("postgres", admin)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec(fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name))
	})
	return withDatabase(admin, name)
}

// NewDB returns an open connection pool to a fresh migrated database.
func NewDB(tb testing.TB) *postgres.DB {
	tb.Helper()
	u := NewDatabaseURL(tb)
	db, err := postgres.Open(context.Background(), u)
	if err != nil {
		tb.Fatalf("open test database: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// ensureTemplate builds, once per set of migrations, a migrated database to
// clone from. Its name carries a hash of the migration files, so a changed
// migration gets a new template.
func ensureTemplate(admin string) (string, error) {
	h := sha256.New()
	entries, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		return "", err
	}
	sort.Strings(entries)
	for _, e := range entries {
		b, err := fs.ReadFile(migrations.FS, e)
		if err != nil {
			return "", err
		}
		h.Write([]byte(e))
		h.Write(b)
	}
	sum := h.Sum(nil)
	name := "tsunagu_tmpl_" + hex.EncodeToString(sum[:6])

	ctx := context.Background()
	db, err := sql.Open("postgres", admin)
	if err != nil {
		return "", err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	lock := int64(binary.BigEndian.Uint64(sum[:8]))
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, lock); err != nil {
		return "", fmt.Errorf("lock: %w", err)
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1)`, lock)

	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_build"
	conn.ExecContext(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, building))
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`CREATE DATABASE %s`, building)); err != nil {
		return "", fmt.Errorf("create template: %w", err)
	}
	mdb, err := sql.Open("postgres", withDatabase(admin, building))
	if err != nil {
		return "", err
	}
	err = postgres.Migrate(ctx, mdb)
	mdb.Close()
	if err != nil {
		return "", fmt.Errorf("migrate template: %w", err)
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`ALTER DATABASE %s RENAME TO %s`, building, name)); err != nil {
		return "", fmt.Errorf("rename template: %w", err)
	}
	return name, nil
}

func withDatabase(raw, name string) string {
	u, err := url.Parse(raw)
	if err != nil {
		panic(err)
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// redisDatabases is how many numbered databases the test Redis offers; the
// local Redis of `make test` is started with at least this many.
const redisDatabases = 64

// NewRedisURL reserves an empty Redis database number for tb, flushes it,
// and releases it when tb ends. Reservations live in database 0 with an
// expiry, so a crashed test run frees them by itself.
func NewRedisURL(tb testing.TB) string {
	tb.Helper()
	base := RedisBaseURL(tb)
	opt, err := redis.ParseURL(base)
	if err != nil {
		tb.Fatalf("parse TSUNAGU_TEST_REDIS_URL: %v", err)
	}
	opt.DB = 0
	ctl := redis.NewClient(opt)
	defer ctl.Close()
	ctx := context.Background()
	owner := randomHex(8)
	for n := 1; n < redisDatabases; n++ {
		key := fmt.Sprintf("tsunagu:test:db:%d", n)
		ok, err := ctl.SetNX(ctx, key, owner, 30*time.Minute).Result()
		if err != nil {
			tb.Fatalf("reserve redis database: %v", err)
		}
		if !ok {
			continue
		}
		dbOpt := *opt
		dbOpt.DB = n
		c := redis.NewClient(&dbOpt)
		if err := c.FlushDB(ctx).Err(); err != nil {
			c.Close()
			tb.Fatalf("flush redis database %d: %v", n, err)
		}
		c.Close()
		tb.Cleanup(func() {
			c := redis.NewClient(&dbOpt)
			c.FlushDB(context.Background())
			c.Close()
			ctl := redis.NewClient(opt)
			if v, _ := ctl.Get(context.Background(), key).Result(); v == owner {
				ctl.Del(context.Background(), key)
			}
			ctl.Close()
		})
		u, _ := url.Parse(base)
		u.Path = fmt.Sprintf("/%d", n)
		return u.String()
	}
	tb.Fatalf("no free redis database among %d", redisDatabases)
	return ""
}

// Name returns a short identifier safe for use in database object names.
func Name(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, strings.ToLower(s))
}
