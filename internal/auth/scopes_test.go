package auth

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// A tenant with oidc.offline_access asks for the offline_access scope even
// when its scopes are set explicitly without it; one without it asks only
// for what it configured.
func TestOfflineAccessRequestsScope(t *testing.T) {
	_, cfg := realProvider(t, time.Now)
	for _, c := range []struct {
		offline bool
		want    bool
	}{{false, false}, {true, true}} {
		o := *cfg
		o.Scopes, o.OfflineAccess = []string{"groups"}, c.offline
		p, err := newProvider(context.Background(), &o, &http.Client{Timeout: 5 * time.Second}, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := p.AuthURL(NewFlow("/", "http://127.0.0.1:1/auth/callback"))
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(raw)
		scopes := " " + u.Query().Get("scope") + " "
		if got := strings.Contains(scopes, " offline_access "); got != c.want {
			t.Errorf("offline_access %v: scope %q", c.offline, scopes)
		}
		if strings.Count(scopes, "offline_access") > 1 || !strings.Contains(scopes, " groups ") {
			t.Errorf("offline_access %v: scope %q", c.offline, scopes)
		}
	}
}
