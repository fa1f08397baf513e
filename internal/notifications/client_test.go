package notifications

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

func newStandIn(t *testing.T) (*testenv.Nextcloud, *Client) {
	t.Helper()
	nc := testenv.NewNextcloud(t)
	nc.AddUser("alice", "app-pw")
	nc.AddToken("tok-alice", "alice")
	c, err := New(Options{URL: nc.URL + "/", HTTPClient: &http.Client{Timeout: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	return nc, c
}

// The user sees how many notifications they have and the newest five,
// newest first, with only http(s) links; app password and token both work.
func TestFetchCountsAndKeepsNewestFive(t *testing.T) {
	nc, c := newStandIn(t)
	base := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	for i := range 7 {
		nc.Notify("alice", NCNotification(i, base))
	}
	nc.Notify("alice", testenv.NCNotification{App: "evil", Subject: "<script>x</script>", Time: base.Add(time.Hour), Link: "javascript:alert(1)"})
	nc.Notify("bob", testenv.NCNotification{App: "files", Subject: "not alice's", Time: base})
	for _, cred := range []upstream.Credential{{Username: "alice", Password: "app-pw"}, {Username: "alice", Token: "tok-alice"}} {
		sum, err := c.Fetch(context.Background(), cred)
		if err != nil {
			t.Fatalf("%v: %v", cred, err)
		}
		if sum.Count != 8 || len(sum.Newest) != Newest {
			t.Fatalf("%v: count %d, newest %d; want 8 and %d", cred, sum.Count, len(sum.Newest), Newest)
		}
		if sum.Newest[0].App != "evil" || sum.Newest[0].Link != "" || sum.Newest[0].Subject != "<script>x</script>" {
			t.Errorf("newest = %+v; want the evil one first, its javascript: link dropped, its text kept as text", sum.Newest[0])
		}
		if got := sum.Newest[1]; got.Subject != "Subject 6" || got.Link != "https://cloud.example/n/6" || !got.Time.Equal(base.Add(6*time.Minute)) {
			t.Errorf("second = %+v; want Subject 6 with its link and time", got)
		}
	}
}

// NCNotification is the i-th sample notification.
func NCNotification(i int, base time.Time) testenv.NCNotification {
	return testenv.NCNotification{App: "files", Subject: fmt.Sprintf("Subject %d", i),
		Time: base.Add(time.Duration(i) * time.Minute), Link: fmt.Sprintf("https://cloud.example/n/%d", i)}
}

// Refused credentials are an auth error (the page says: reconnect); the
// stand-in refuses as Nextcloud does.
func TestFetchRefusals(t *testing.T) {
	nc, c := newStandIn(t)
	for _, cred := range []upstream.Credential{{Username: "alice", Password: "wrong"}, {Username: "alice", Token: "forged"}, {}} {
		_, err := c.Fetch(context.Background(), cred)
		if upstream.KindOf(err) != upstream.KindAuth {
			t.Errorf("%v: err = %v; want kind auth", cred, err)
		}
	}
	// The stand-in is strict: without OCS-APIRequest Nextcloud answers 412.
	req, _ := http.NewRequest(http.MethodGet, nc.URL+Endpoint, nil)
	req.SetBasicAuth("alice", "app-pw")
	req.Header.Set("Accept", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusPreconditionFailed {
		t.Errorf("without OCS-APIRequest: %d; want 412", res.StatusCode)
	}
	nc.NoNotifiers = true
	sum, err := c.Fetch(context.Background(), upstream.Credential{Username: "alice", Password: "app-pw"})
	if err != nil || sum.Count != 0 || sum.Newest == nil {
		t.Errorf("204 (no notifiers): %+v, %v; want an empty summary", sum, err)
	}
}

// A server that is not Nextcloud's OCS API is bad data, a dead one unreachable.
func TestFetchBadAnswers(t *testing.T) {
	c, err := New(Options{URL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Fetch(context.Background(), upstream.Credential{Token: "t"}); upstream.KindOf(err) != upstream.KindUnreachable {
		t.Errorf("dead server: %v; want unreachable", err)
	}
	if _, err := New(Options{URL: "ftp://cloud.example"}); err == nil {
		t.Error("ftp URL accepted")
	}
}
