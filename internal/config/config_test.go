package config

import (
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestFromEnv(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		c, err := FromEnv(env(map[string]string{"TSUNAGU_SECRET": strings.Repeat("s", 40), "DATABASE_URL": "postgres://u:pw@db/x"}), nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := c.Addr, "localhost:8080"; got != want {
			t.Errorf("Addr = %q, want %q", got, want)
		}
		for _, kv := range c.Masked() {
			if strings.Contains(kv[1], "pw") || strings.Contains(kv[1], "sss") {
				t.Errorf("%s printed a secret: %q", kv[0], kv[1])
			}
		}
	})
	bad := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"ErrSecretMissing", map[string]string{}, "TSUNAGU_SECRET"},
		{"ErrSecretShort", map[string]string{"TSUNAGU_SECRET": "short"}, "TSUNAGU_SECRET"},
		{"ErrBadAddr", map[string]string{"TSUNAGU_DEV": "1", "TSUNAGU_ADDR": "nonsense"}, "TSUNAGU_ADDR"},
		{"ErrBadDev", map[string]string{"TSUNAGU_DEV": "perhaps"}, "TSUNAGU_DEV"},
		{"ErrBadDatabaseURL", map[string]string{"TSUNAGU_DEV": "1", "DATABASE_URL": "mysql://x"}, "DATABASE_URL"},
		{"ErrBadRedisURL", map[string]string{"TSUNAGU_DEV": "1", "REDIS_URL": "http://x"}, "REDIS_URL"},
		{"ErrBadLogLevel", map[string]string{"TSUNAGU_DEV": "1", "TSUNAGU_LOG_LEVEL": "loud"}, "TSUNAGU_LOG_LEVEL"},
		{"ErrBadSMTPPort", map[string]string{"TSUNAGU_DEV": "1", "SMTP_PORT": "x"}, "SMTP_PORT"},
		{"ErrSMTPWithoutFrom", map[string]string{"TSUNAGU_DEV": "1", "SMTP_HOST": "mail"}, "SMTP_FROM"},
		{"ErrBadTrustedProxy", map[string]string{"TSUNAGU_DEV": "1", "TSUNAGU_TRUSTED_PROXIES": "10.0.0.0/8, proxy.local"}, "TSUNAGU_TRUSTED_PROXIES"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FromEnv(env(tc.env), nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want mention of %s", err, tc.want)
			}
		})
	}
	t.Run("ErrUnknownVariable", func(t *testing.T) {
		_, err := FromEnv(env(map[string]string{"TSUNAGU_DEV": "1"}), []string{"TSUNAGU_DATADIR=/x"})
		if err == nil || !strings.Contains(err.Error(), "TSUNAGU_DATADIR") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestTrustedProxies(t *testing.T) {
	c, err := FromEnv(env(map[string]string{"TSUNAGU_DEV": "1"}), nil)
	if err != nil || len(c.TrustedProxies) != 0 {
		t.Fatalf("default trusted proxies = %v (%v), want none", c.TrustedProxies, err)
	}
	c, err = FromEnv(env(map[string]string{"TSUNAGU_DEV": "1", "TSUNAGU_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.1"}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(c.TrustedProxies, ","), "10.0.0.0/8,192.0.2.1"; got != want {
		t.Fatalf("trusted proxies = %q, want %q", got, want)
	}
}
