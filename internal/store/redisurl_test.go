package store_test

import (
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

func TestParseRedisURL(t *testing.T) {
	tests := []struct {
		url        string
		addrs      string
		db         int
		user, pw   string
		master     string
		sentinelPW string
		cluster    bool
		tls        bool
	}{
		{url: "redis://127.0.0.1:6380/2", addrs: "127.0.0.1:6380", db: 2},
		{url: "redis://redis", addrs: "redis:6379"},
		{url: "redis://:s3cr%2Ft@redis:6379/0", addrs: "redis:6379", pw: "s3cr/t"},
		{url: "redis://pforte:p@ss/w@rd@redis:6379/1", addrs: "redis:6379", db: 1, user: "pforte", pw: "p@ss/w@rd"},
		{url: "rediss://:pw@cache.example.org:6380/3", addrs: "cache.example.org:6380", db: 3, pw: "pw", tls: true},
		{url: "redis://[::1]:6379/0", addrs: "[::1]:6379"},
		{url: "redis-sentinel://:pw@s1:26379,s2:26379,s3/mymaster?db=4&sentinel_password=spw",
			addrs: "s1:26379,s2:26379,s3:26379", db: 4, pw: "pw", master: "mymaster", sentinelPW: "spw"},
		{url: "rediss-sentinel://s1/m", addrs: "s1:26379", master: "m", tls: true},
		{url: "redis-cluster://n1:7000,n2:7001", addrs: "n1:7000,n2:7001", cluster: true},
		{url: "rediss-cluster://:pw@n1", addrs: "n1:6379", pw: "pw", cluster: true, tls: true},
	}
	for _, tc := range tests {
		o, err := store.ParseRedisURL(tc.url)
		if err != nil {
			t.Errorf("%s: %v", tc.url, err)
			continue
		}
		got := strings.Join(o.Addrs, ",")
		if got != tc.addrs || o.DB != tc.db || o.Username != tc.user || o.Password != tc.pw ||
			o.MasterName != tc.master || o.SentinelPassword != tc.sentinelPW || o.IsClusterMode != tc.cluster ||
			(o.TLSConfig != nil) != tc.tls {
			t.Errorf("%s: got addrs %s db %d user %q pw %q master %q sentinel pw %q cluster %v tls %v",
				tc.url, got, o.DB, o.Username, o.Password, o.MasterName, o.SentinelPassword, o.IsClusterMode, o.TLSConfig != nil)
		}
		if o.DialTimeout <= 0 || o.DialTimeout > time.Second || o.MaxRetries > 2 {
			t.Errorf("%s: timeouts not set for fast failure: dial %v retries %d", tc.url, o.DialTimeout, o.MaxRetries)
		}
	}
}

func TestParseRedisURLErrors(t *testing.T) {
	tests := []struct{ url, want string }{
		{"x://:topsecret@host", `unknown scheme "x" (use redis://, rediss://`},
		{"localhost:6379", "missing scheme"},
		{"redis://:topsecret@", "missing host"},
		{"redis://:topsecret@h1,h2", "takes one host"},
		{"redis://:topsecret@host:99999", `bad port "99999"`},
		{"redis://:topsecret@host/abc", `database must be a number >= 0, got "abc"`},
		{"redis-sentinel://:topsecret@host", "needs the master name"},
		{"redis-cluster://:topsecret@host/1", "no path"},
		{"redis://:topsecret@host?dial_timeout=1", `unknown query parameter "dial_timeout"`},
		{"redis://:topsecret@host?sentinel_password=x", `unknown query parameter "sentinel_password"`},
		{"redis://:top%zzsecret@host", "bad escape in the password"},
	}
	for _, tc := range tests {
		_, err := store.ParseRedisURL(tc.url)
		if err == nil {
			t.Errorf("%s: no error", tc.url)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "store: redis_url: ") {
			t.Errorf("%s: error %q, want it to contain %q", tc.url, err, tc.want)
		}
		if strings.Contains(err.Error(), "topsecret") || strings.Contains(err.Error(), "zzsecret") {
			t.Errorf("%s: error shows the password: %q", tc.url, err)
		}
	}
}

func TestRedactRedisURL(t *testing.T) {
	tests := map[string]string{
		"redis://:topsecret@host:6379/0":                            "redis://:xxxxx@host:6379/0",
		"redis://user:topsecret@host/0":                             "redis://user:xxxxx@host/0",
		"redis://host:6379/0":                                       "redis://host:6379/0",
		"redis-sentinel://s1,s2/m?db=1&sentinel_password=topsecret": "redis-sentinel://s1,s2/m?db=1&sentinel_password=xxxxx",
	}
	for in, want := range tests {
		if got := store.RedactRedisURL(in); got != want {
			t.Errorf("RedactRedisURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzParseRedisURL: no input panics, and no error shows the password.
func FuzzParseRedisURL(f *testing.F) {
	for _, s := range []string{"redis://:pw@h:1/2", "redis-sentinel://a,b/m?db=1", "rediss-cluster://[::1]", "redis://@/", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		o, err := store.ParseRedisURL("redis://:Geheimnis42@" + raw)
		if err != nil && strings.Contains(err.Error(), "Geheimnis42") {
			t.Fatalf("error shows the password: %v", err)
		}
		if err == nil && len(o.Addrs) == 0 {
			t.Fatal("no address and no error")
		}
		_, _ = store.ParseRedisURL(raw)
		_ = store.RedactRedisURL(raw)
	})
}
