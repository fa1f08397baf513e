package dashboard

import (
	"net/http"
	"time"
)

// upstreamIdlePerHost is how many idle connections to one upstream server
// (a CalDAV or WebDAV host) are kept for the next dashboard build. Go's
// default is 2: in the morning peak dozens of cold builds, each listing up
// to four WebDAV folders at once and asking CalDAV, share one host, so
// nearly every request opened (and closed) a connection of its own.
const upstreamIdlePerHost = 64

// NewUpstreamClient returns the HTTP client the DAV sources share: its own
// transport (not http.DefaultTransport) that keeps enough idle connections
// per host for concurrent builds. Each source's deadline comes from the
// build's context; timeout bounds a request that has no deadline.
func NewUpstreamClient(timeout time.Duration) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = upstreamIdlePerHost
	t.MaxIdleConns = 4 * upstreamIdlePerHost
	return &http.Client{Timeout: timeout, Transport: t}
}
