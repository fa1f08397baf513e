package demo

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"path"
	"strings"
)

// loginKey is the request context key of the signed-in demo user.
type loginKey struct{}

func loginFrom(ctx context.Context) (string, bool) {
	login, ok := ctx.Value(loginKey{}).(string)
	return login, ok && login != ""
}

// basicAuth admits requests with a demo user's login and password and
// puts the login in the request context. Passwords are compared in
// constant time, through their hashes so their lengths do not show
// either, and never logged.
func basicAuth(users map[string]string, logger *slog.Logger, next http.Handler) http.Handler {
	hashes := make(map[string][32]byte, len(users))
	for login, password := range users {
		hashes[login] = sha256.Sum256([]byte(password))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		login, password, ok := r.BasicAuth()
		want, known := hashes[login]
		got := sha256.Sum256([]byte(password))
		match := subtle.ConstantTimeCompare(got[:], want[:]) == 1
		if !ok || !known || !match {
			if ok {
				logger.DebugContext(r.Context(), "demo: sign-in refused", "user", login, "method", r.Method, "path", r.URL.Path)
			}
			w.Header().Set("WWW-Authenticate", `Basic realm="Pforte Demo", charset="UTF-8"`)
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), loginKey{}, login)))
	})
}

// ownTree lets a user into prefix/{login}/ and below only; another user's
// tree answers 403. allowRoot admits prefix/ itself (CalDAV discovery
// starts there).
func ownTree(prefix string, allowRoot bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		login, _ := loginFrom(r.Context())
		rest, ok := strings.CutPrefix(path.Clean(r.URL.Path)+"/", prefix+"/")
		seg, _, _ := strings.Cut(rest, "/")
		switch {
		case ok && seg == "" && allowRoot:
		case !ok || seg != login:
			http.Error(w, "Forbidden", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// readOnly lets only reading methods through, so the demo data stays as
// seeded whatever a client does.
func readOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, "PROPFIND", "REPORT":
			next.ServeHTTP(w, r)
		default:
			http.Error(w, "Forbidden: the demo data is read-only", http.StatusForbidden)
		}
	})
}
