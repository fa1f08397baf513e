package web

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// /metrics shows per-route counts and latencies. By default it answers on
// the main listener, on every tenant host, to anyone; metrics_listen moves
// it to an address of its own (then the main listener answers 404) and
// metrics_token requires a bearer token wherever it answers
// (docs/config.md, docs/security.md).

// guardMetrics lets /metrics answer on the main listener only when it has
// no address of its own, and only with the token when one is set.
func (s *Server) guardMetrics(c *fiber.Ctx) error {
	if s.Config.MetricsListen != "" {
		return fiber.ErrNotFound
	}
	if !s.metricsAllowed(c.Get(fiber.HeaderAuthorization)) {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
		return fiber.NewError(fiber.StatusUnauthorized, "metrics need Authorization: Bearer <metrics_token>")
	}
	return c.Next()
}

// MetricsHandler serves /metrics on metrics_listen (with the same token
// check) and nothing else.
func (s *Server) MetricsHandler() http.Handler {
	prom := promhttp.HandlerFor(s.Metrics, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/metrics" {
			http.NotFound(w, r)
			return
		}
		if !s.metricsAllowed(r.Header.Get("Authorization")) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "metrics need Authorization: Bearer <metrics_token>", http.StatusUnauthorized)
			return
		}
		prom.ServeHTTP(w, r)
	})
}

// metricsAllowed checks the bearer token when one is configured.
func (s *Server) metricsAllowed(authz string) bool {
	want := s.Config.MetricsToken
	if want == "" {
		return true
	}
	sent, ok := strings.CutPrefix(authz, "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(sent), []byte(want)) == 1
}
