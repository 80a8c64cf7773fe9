// Package config reads the platform's configuration from the environment.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is the whole configuration of a tsunagu process.
type Config struct {
	DatabaseURL string // DATABASE_URL
	RedisURL    string // REDIS_URL
	DataDir     string // TSUNAGU_DATA_DIR: where the Bleve indexes live
	Addr        string // TSUNAGU_ADDR: listen address of the web server
	BaseURL     string // TSUNAGU_BASE_URL: public URL, used in emails
	Secret      string // TSUNAGU_SECRET: signs CSRF tokens; at least 32 bytes in production
	Dev         bool   // TSUNAGU_DEV: relaxes cookie Secure flag for http://localhost
	LogLevel    string // TSUNAGU_LOG_LEVEL: debug, info, warn, error
	SessionTTL  time.Duration
	// TrustedProxies (TSUNAGU_TRUSTED_PROXIES, comma-separated addresses or
	// CIDRs) are the reverse proxies whose X-Forwarded-For names the
	// client. None by default: the client is the connection's address, so
	// a forged header cannot dodge the sign-in limits.
	TrustedProxies []string
	// MetricsToken (TSUNAGU_METRICS_TOKEN) is the bearer token a scraper
	// sends to read /metrics. Without it /metrics is served in development
	// only.
	MetricsToken string

	SMTPHost     string // SMTP_HOST: when empty, mail goes to the log and the admin outbox page
	SMTPPort     int    // SMTP_PORT
	SMTPUsername string // SMTP_USERNAME
	SMTPPassword string // SMTP_PASSWORD
	SMTPFrom     string // SMTP_FROM
}

// known lists every TSUNAGU_ variable the program reads, so a misspelt one
// fails at start instead of being silently ignored.
var known = map[string]bool{
	"TSUNAGU_DATA_DIR": true, "TSUNAGU_ADDR": true, "TSUNAGU_BASE_URL": true,
	"TSUNAGU_SECRET": true, "TSUNAGU_DEV": true, "TSUNAGU_LOG_LEVEL": true,
	"TSUNAGU_SESSION_TTL": true, "TSUNAGU_TRUSTED_PROXIES": true, "TSUNAGU_METRICS_TOKEN": true,
	// Used by the test harness and the Makefile, not by the program itself.
	"TSUNAGU_TEST_DATABASE_URL": true, "TSUNAGU_TEST_REDIS_URL": true,
	"TSUNAGU_LOCAL": true, "TSUNAGU_CHROMIUM": true, "TSUNAGU_SHARED": true,
	"TSUNAGU_PG_PORT": true, "TSUNAGU_REDIS_PORT": true, "TSUNAGU_TEST_LOG": true,
}

// FromEnv builds a Config from getenv (os.Getenv in production), applying
// defaults and validating every value. environ lists the whole environment
// ("KEY=value") so unknown TSUNAGU_ variables can be refused; it may be nil.
func FromEnv(getenv func(string) string, environ []string) (Config, error) {
	var errs []error
	c := Config{
		DatabaseURL:  getenv("DATABASE_URL"),
		RedisURL:     getenv("REDIS_URL"),
		DataDir:      getenv("TSUNAGU_DATA_DIR"),
		Addr:         getenv("TSUNAGU_ADDR"),
		BaseURL:      getenv("TSUNAGU_BASE_URL"),
		Secret:       getenv("TSUNAGU_SECRET"),
		MetricsToken: getenv("TSUNAGU_METRICS_TOKEN"),
		LogLevel:     getenv("TSUNAGU_LOG_LEVEL"),
		SMTPHost:     getenv("SMTP_HOST"),
		SMTPUsername: getenv("SMTP_USERNAME"),
		SMTPPassword: getenv("SMTP_PASSWORD"),
		SMTPFrom:     getenv("SMTP_FROM"),
		SessionTTL:   14 * 24 * time.Hour,
	}
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "TSUNAGU_") && !known[k] {
			errs = append(errs, fmt.Errorf("%s: unknown variable (known: TSUNAGU_DATA_DIR, TSUNAGU_ADDR, TSUNAGU_BASE_URL, TSUNAGU_SECRET, TSUNAGU_DEV, TSUNAGU_LOG_LEVEL, TSUNAGU_SESSION_TTL, TSUNAGU_TRUSTED_PROXIES, TSUNAGU_METRICS_TOKEN)", k))
		}
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = "postgres://localhost:5432/tsunagu?sslmode=disable"
	}
	if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		errs = append(errs, errors.New("DATABASE_URL: must be a postgres:// URL"))
	}
	if c.RedisURL == "" {
		c.RedisURL = "redis://localhost:6379/0"
	}
	if u, err := url.Parse(c.RedisURL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
		errs = append(errs, errors.New("REDIS_URL: must be a redis:// URL"))
	}
	if c.DataDir == "" {
		c.DataDir = "data"
	}
	c.DataDir = filepath.Clean(c.DataDir)
	if c.Addr == "" {
		c.Addr = "localhost:8080"
	}
	if _, port, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("TSUNAGU_ADDR: %q is not host:port", c.Addr))
	} else if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		errs = append(errs, fmt.Errorf("TSUNAGU_ADDR: bad port %q", port))
	}
	if c.BaseURL == "" {
		host, port, _ := net.SplitHostPort(c.Addr)
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "localhost"
		}
		c.BaseURL = "http://" + net.JoinHostPort(host, port)
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, errors.New("TSUNAGU_BASE_URL: must be an http(s) URL"))
	}
	if v := getenv("TSUNAGU_DEV"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("TSUNAGU_DEV: %q is not a boolean", v))
		}
		c.Dev = b
	}
	if c.Secret == "" {
		if !c.Dev {
			errs = append(errs, errors.New("TSUNAGU_SECRET: required (at least 32 characters) unless TSUNAGU_DEV=1"))
		}
		c.Secret = "dev-secret-not-for-production-use-0000"
	} else if len(c.Secret) < 32 {
		errs = append(errs, errors.New("TSUNAGU_SECRET: must be at least 32 characters"))
	}
	switch c.LogLevel {
	case "":
		c.LogLevel = "info"
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("TSUNAGU_LOG_LEVEL: %q is not one of debug, info, warn, error", c.LogLevel))
	}
	if v := getenv("TSUNAGU_SESSION_TTL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Minute {
			errs = append(errs, fmt.Errorf("TSUNAGU_SESSION_TTL: %q is not a duration of at least 1m", v))
		} else {
			c.SessionTTL = d
		}
	}
	for _, p := range strings.Split(getenv("TSUNAGU_TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			errs = append(errs, fmt.Errorf("TSUNAGU_TRUSTED_PROXIES: %q is not an address or CIDR", p))
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	c.SMTPPort = 587
	if v := getenv("SMTP_PORT"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p <= 0 || p > 65535 {
			errs = append(errs, fmt.Errorf("SMTP_PORT: %q is not a port", v))
		}
		c.SMTPPort = p
	}
	if c.SMTPHost != "" && c.SMTPFrom == "" {
		errs = append(errs, errors.New("SMTP_FROM: required when SMTP_HOST is set"))
	}
	if c.SMTPFrom == "" {
		c.SMTPFrom = "Tsunagu <no-reply@localhost>"
	}
	return c, errors.Join(errs...)
}

// Masked returns the configuration as printable key/value pairs with
// passwords and secrets replaced.
func (c Config) Masked() [][2]string {
	return [][2]string{
		{"DATABASE_URL", maskURL(c.DatabaseURL)},
		{"REDIS_URL", maskURL(c.RedisURL)},
		{"TSUNAGU_DATA_DIR", c.DataDir},
		{"TSUNAGU_ADDR", c.Addr},
		{"TSUNAGU_BASE_URL", c.BaseURL},
		{"TSUNAGU_SECRET", mask(c.Secret)},
		{"TSUNAGU_DEV", strconv.FormatBool(c.Dev)},
		{"TSUNAGU_LOG_LEVEL", c.LogLevel},
		{"TSUNAGU_SESSION_TTL", c.SessionTTL.String()},
		{"TSUNAGU_TRUSTED_PROXIES", strings.Join(c.TrustedProxies, ",")},
		{"TSUNAGU_METRICS_TOKEN", mask(c.MetricsToken)},
		{"SMTP_HOST", c.SMTPHost},
		{"SMTP_PORT", strconv.Itoa(c.SMTPPort)},
		{"SMTP_USERNAME", c.SMTPUsername},
		{"SMTP_PASSWORD", mask(c.SMTPPassword)},
		{"SMTP_FROM", c.SMTPFrom},
	}
}

func mask(s string) string {
	if s == "" {
		return ""
	}
	return "********"
}

func maskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable)"
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	return u.String()
}

// FromOS is FromEnv over the process environment.
func FromOS() (Config, error) { return FromEnv(os.Getenv, os.Environ()) }
