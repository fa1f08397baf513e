package demo

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/emersion/go-webdav"
	"github.com/emersion/go-webdav/caldav"
)

// filesPrefix roots the WebDAV tree: /webdav/{user}/ is a user's files.
const filesPrefix = "/webdav"

func filesPath(login string) string { return filesPrefix + "/" + login + "/" }

// newDAVHandler serves CalDAV and WebDAV on one port, both behind basic
// auth, each user confined to their own tree. The server root and
// /.well-known/caldav belong to CalDAV, so a client given only the server
// finds the calendars by discovery.
func newDAVHandler(users map[string]string, cals map[string]*calendarSet, filesRoot string, loc *time.Location, logger *slog.Logger) http.Handler {
	cal := &caldav.Handler{Backend: &calendarBackend{sets: cals, loc: loc}, Prefix: caldavPrefix}
	files := &webdav.Handler{FileSystem: webdav.LocalFileSystem(filesRoot)}

	mux := http.NewServeMux()
	mux.Handle("/{$}", readOnly(cal))
	mux.Handle("/.well-known/caldav", cal)
	mux.Handle(caldavPrefix+"/", ownTree(caldavPrefix, true, readOnly(collectionSlash(cal))))
	mux.Handle(filesPrefix+"/", ownTree(filesPrefix, false, readOnly(files)))
	return basicAuth(users, logger, mux)
}

// collectionSlash gives principal, calendar home and calendar paths their
// trailing slash: go-webdav's caldav.Handler compares them exactly and
// answers an empty multistatus for "/caldav/erika", which is what
// go-webdav's own client asks for when given "/caldav/erika/".
func collectionSlash(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest := strings.Trim(strings.TrimPrefix(r.URL.Path, caldavPrefix), "/")
		if !strings.HasSuffix(r.URL.Path, "/") && rest != "" && strings.Count(rest, "/") < 3 {
			r2 := r.Clone(r.Context())
			r2.URL.Path += "/"
			r2.URL.RawPath = ""
			r = r2
		}
		next.ServeHTTP(w, r)
	})
}
