package store

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Timeouts chosen so that a dead or unreachable Redis makes a request fail in
// about a second (and the web layer answers 503) instead of hanging it.
const (
	redisDialTimeout = 500 * time.Millisecond
	redisIOTimeout   = 500 * time.Millisecond
	redisPoolTimeout = time.Second
)

// Pool sizing (docs/store.md, docs/security.md "Overload"). With go-redis'
// defaults (10 connections per CPU, a second's wait for one) 2,000
// concurrent clients on 2 cores failed 10.5 % of requests with 503 while
// Redis itself was far from busy: the requests only queued for a
// connection. A larger pool and a longer wait for a connection make
// overload cost latency first. The wait only applies when every
// connection is busy: a dead Redis still fails each command within the
// I/O timeouts above.
const (
	redisPoolPerCPU      = 32
	redisPoolMin         = 64
	redisPoolWaitTimeout = 5 * time.Second
)

// redisSchemes lists the accepted URL forms; see docs/store.md.
var redisSchemes = map[string]struct {
	tls      bool
	kind     string // "single", "sentinel" or "cluster"
	defaults string // default port
}{
	"redis":           {false, "single", "6379"},
	"rediss":          {true, "single", "6379"},
	"redis-sentinel":  {false, "sentinel", "26379"},
	"rediss-sentinel": {true, "sentinel", "26379"},
	"redis-cluster":   {false, "cluster", "6379"},
	"rediss-cluster":  {true, "cluster", "6379"},
}

// ParseRedisURL turns a redis_url setting into client options:
//
//	redis://[[user]:password@]host[:port][/db]
//	rediss://...                                          (TLS)
//	redis-sentinel://[[user]:password@]host1:26379,host2:26379/mymaster[?db=0&sentinel_password=...]
//	redis-cluster://[[user]:password@]host1:6379,host2:6379
//
// (rediss-sentinel:// and rediss-cluster:// use TLS.) Errors name the problem
// and never contain the password.
func ParseRedisURL(raw string) (*redis.UniversalOptions, error) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return nil, fmt.Errorf("store: redis_url: missing scheme (use redis://host:6379/0, rediss://, redis-sentinel:// or redis-cluster://)")
	}
	kind, ok := redisSchemes[strings.ToLower(scheme)]
	if !ok {
		return nil, fmt.Errorf("store: redis_url: unknown scheme %q (use redis://, rediss://, redis-sentinel://, rediss-sentinel://, redis-cluster:// or rediss-cluster://)", scheme)
	}
	authority, path, query := splitURLRest(rest)
	opts := &redis.UniversalOptions{
		DialTimeout:           redisDialTimeout,
		DialerRetries:         1,
		ReadTimeout:           redisIOTimeout,
		WriteTimeout:          redisIOTimeout,
		PoolSize:              max(redisPoolMin, redisPoolPerCPU*runtime.GOMAXPROCS(0)),
		PoolTimeout:           redisPoolWaitTimeout,
		MaxRetries:            1,
		MinRetryBackoff:       8 * time.Millisecond,
		MaxRetryBackoff:       100 * time.Millisecond,
		ContextTimeoutEnabled: true,
		DisableIdentity:       true,
	}
	if kind.tls {
		opts.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if userinfo, hosts, found := cutLast(authority, "@"); found {
		user, pw, _ := strings.Cut(userinfo, ":")
		var err error
		if opts.Username, err = url.PathUnescape(user); err != nil {
			return nil, fmt.Errorf("store: redis_url: bad escape in the user name")
		}
		if opts.Password, err = url.PathUnescape(pw); err != nil {
			return nil, fmt.Errorf("store: redis_url: bad escape in the password")
		}
		authority = hosts
	}
	for _, h := range strings.Split(authority, ",") {
		addr, err := hostPort(h, kind.defaults)
		if err != nil {
			return nil, err
		}
		opts.Addrs = append(opts.Addrs, addr)
	}
	if len(opts.Addrs) > 1 && kind.kind == "single" {
		return nil, fmt.Errorf("store: redis_url: %s:// takes one host; use redis-sentinel:// or redis-cluster:// for several", scheme)
	}
	path = strings.Trim(path, "/")
	switch kind.kind {
	case "single":
		if path != "" {
			db, err := parseDB(path)
			if err != nil {
				return nil, err
			}
			opts.DB = db
		}
	case "sentinel":
		if path == "" {
			return nil, fmt.Errorf("store: redis_url: sentinel URL needs the master name as its path (redis-sentinel://host:26379/mymaster)")
		}
		name, err := url.PathUnescape(path)
		if err != nil {
			return nil, fmt.Errorf("store: redis_url: bad escape in the master name")
		}
		opts.MasterName = name
	case "cluster":
		if path != "" {
			return nil, fmt.Errorf("store: redis_url: a cluster URL has no path (Redis Cluster has only database 0)")
		}
		opts.IsClusterMode = true
	}
	if err := applyRedisQuery(opts, query, kind.kind); err != nil {
		return nil, err
	}
	return opts, nil
}

// applyRedisQuery reads the few query parameters Pforte accepts.
func applyRedisQuery(opts *redis.UniversalOptions, query, kind string) error {
	if query == "" {
		return nil
	}
	values, err := url.ParseQuery(query)
	if err != nil {
		return fmt.Errorf("store: redis_url: malformed query string")
	}
	for name, vs := range values {
		v := vs[len(vs)-1]
		switch {
		case name == "db" && kind != "cluster":
			if opts.DB, err = parseDB(v); err != nil {
				return err
			}
		case name == "pool_size":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 10000 {
				return fmt.Errorf("store: redis_url: pool_size must be a number from 1 to 10000, got %q", v)
			}
			opts.PoolSize = n
		case name == "pool_timeout":
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 || d > time.Minute {
				return fmt.Errorf("store: redis_url: pool_timeout must be a duration like 5s (at most 1m), got %q", v)
			}
			opts.PoolTimeout = d
		case name == "sentinel_username" && kind == "sentinel":
			opts.SentinelUsername = v
		case name == "sentinel_password" && kind == "sentinel":
			opts.SentinelPassword = v
		default:
			return fmt.Errorf("store: redis_url: unknown query parameter %q for this scheme (accepted: db, pool_size, pool_timeout; for sentinel also sentinel_username, sentinel_password)", name)
		}
	}
	return nil
}

func parseDB(s string) (int, error) {
	db, err := strconv.Atoi(s)
	if err != nil || db < 0 {
		return 0, fmt.Errorf("store: redis_url: database must be a number >= 0, got %q", s)
	}
	return db, nil
}

func hostPort(h, defaultPort string) (string, error) {
	if h == "" {
		return "", fmt.Errorf("store: redis_url: missing host")
	}
	host, port, err := net.SplitHostPort(h)
	if err != nil {
		// No port given (or a bare IPv6 address in brackets).
		host, port = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]"), defaultPort
	}
	if host == "" || strings.ContainsAny(host, " /?#@") {
		return "", fmt.Errorf("store: redis_url: bad host %q", host)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("store: redis_url: bad port %q", port)
	}
	return net.JoinHostPort(host, port), nil
}

// splitURLRest splits what follows "scheme://" into authority, path and query.
func splitURLRest(rest string) (authority, path, query string) {
	rest, _, _ = strings.Cut(rest, "#")
	rest, query, _ = strings.Cut(rest, "?")
	// The password may contain '/', so the authority ends at the first '/'
	// after the last '@'.
	at := strings.LastIndex(rest, "@")
	slash := strings.Index(rest[at+1:], "/")
	if slash < 0 {
		return rest, "", query
	}
	return rest[:at+1+slash], rest[at+1+slash:], query
}

func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return "", s, false
	}
	return s[:i], s[i+len(sep):], true
}

// RedactRedisURL returns raw with the password and the sentinel password
// replaced, for logs and error messages.
func RedactRedisURL(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return "(unparseable redis_url)"
	}
	authority, path, query := splitURLRest(rest)
	if userinfo, hosts, found := cutLast(authority, "@"); found {
		user, _, _ := strings.Cut(userinfo, ":")
		authority = user + ":xxxxx@" + hosts
	}
	out := scheme + "://" + authority + path
	if query != "" {
		if values, err := url.ParseQuery(query); err == nil {
			if values.Has("sentinel_password") {
				values.Set("sentinel_password", "xxxxx")
			}
			out += "?" + values.Encode()
		}
	}
	return out
}
