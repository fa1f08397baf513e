package web

import (
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/notify"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// subscriptionJSON is what PushSubscription.toJSON() gives in a browser.
func subscriptionJSON(t *testing.T, endpoint string) string {
	t.Helper()
	k, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	secret := make([]byte, 16)
	_, _ = rand.Read(secret)
	b, _ := json.Marshal(map[string]any{"endpoint": endpoint, "expirationTime": nil, "keys": map[string]string{
		"p256dh": base64.RawURLEncoding.EncodeToString(k.PublicKey().Bytes()),
		"auth":   base64.RawURLEncoding.EncodeToString(secret)}})
	return string(b)
}

// Subscribing a device: 201 the first time, 200 on a refresh; bad input
// is a 400 naming the field; only the page (CSRF) may subscribe.
func TestPushSubscriptions(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(hostA)
	c.signIn("employee")
	sub := subscriptionJSON(t, "https://fcm.googleapis.com/fcm/send/device-1")

	res := c.json(http.MethodPost, "/api/push/subscriptions", sub)
	var out struct {
		ID         string `json:"id"`
		MaxDevices int    `json:"max_devices"`
	}
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("subscribe: %d %s", res.StatusCode, readBody(t, res))
	}
	decode(t, res, &out)
	if out.ID != notify.DeviceID("https://fcm.googleapis.com/fcm/send/device-1") || out.MaxDevices != notify.MaxDevices {
		t.Errorf("subscribe answer %+v", out)
	}
	if res := c.json(http.MethodPost, "/api/push/subscriptions", sub); res.StatusCode != http.StatusOK {
		t.Errorf("same device again: %d, want 200", res.StatusCode)
	}
	devices := notify.NewDevices(store.ForTenant(ts.st, "demo"))
	if list, err := devices.List(context.Background(), "demo-erika"); err != nil || len(list) != 1 {
		t.Fatalf("stored devices: %d, %v; want 1", len(list), err)
	}

	wantError(t, c.json(http.MethodPost, "/api/push/subscriptions", subscriptionJSON(t, "https://10.0.0.1/steal")), http.StatusBadRequest, "endpoint: must not be an IP address")
	wantError(t, c.json(http.MethodPost, "/api/push/subscriptions", `{"endpoint":"https://fcm.googleapis.com/x","keys":{"p256dh":"AAAA","auth":"AAAA"}}`), http.StatusBadRequest, "keys.p256dh")
	wantError(t, c.json(http.MethodPost, "/api/push/subscriptions", `not json`), http.StatusBadRequest, "subscription")
	forged := c.do(req{method: http.MethodPost, path: "/api/push/subscriptions", body: sub, header: map[string]string{"Content-Type": "application/json"}})
	wantError(t, forged, http.StatusForbidden, "CSRF")

	wantError(t, c.json(http.MethodDelete, "/api/push/subscriptions", `{}`), http.StatusBadRequest, "endpoint: required")
	if res := c.json(http.MethodDelete, "/api/push/subscriptions", sub); res.StatusCode != http.StatusNoContent {
		t.Fatalf("unsubscribe: %d", res.StatusCode)
	}
	if list, _ := devices.List(context.Background(), "demo-erika"); len(list) != 0 {
		t.Errorf("after unsubscribing: %d devices stored", len(list))
	}
}

// The service worker reports shown/clicked notifications without a CSRF
// token; only announcements the user is targeted by count.
func TestPushEvents(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(hostA)
	c.signIn("employee")
	mine, err := ts.srv.Announce.Create(context.Background(), announce.Actor{Name: "t", Tenant: "demo"}, mustInput(t, `{"title":"A","body":"b","groups":["staff"]}`))
	if err != nil {
		t.Fatal(err)
	}
	notMine, err := ts.srv.Announce.Create(context.Background(), announce.Actor{Name: "t", Tenant: "demo"}, mustInput(t, `{"title":"B","body":"b","groups":["it-admins"]}`))
	if err != nil {
		t.Fatal(err)
	}
	post := func(body string) *http.Response {
		return c.do(req{method: http.MethodPost, path: "/api/push/events", body: body, header: map[string]string{"Content-Type": "application/json"}})
	}
	if res := post(`{"id":"` + mine.ID + `","type":"shown"}`); res.StatusCode != http.StatusNoContent {
		t.Fatalf("shown: %d %s", res.StatusCode, readBody(t, res))
	}
	wantError(t, post(`{"id":"`+notMine.ID+`","type":"clicked"}`), http.StatusNotFound, "no such announcement")
	wantError(t, post(`{"id":"`+mine.ID+`","type":"opened"}`), http.StatusBadRequest, "type: shown or clicked")
	wantError(t, post(`{}`), http.StatusBadRequest, "id: required")
	if f := notify.Figures(context.Background(), store.ForTenant(ts.st, "demo"), mine.ID); f["shown"] != 1 || f["clicked"] != 0 {
		t.Errorf("push figures after one shown event: %v", f)
	}
	anon := ts.client(hostA)
	wantError(t, anon.do(req{method: http.MethodPost, path: "/api/push/events", body: `{"id":"` + mine.ID + `","type":"shown"}`}), http.StatusUnauthorized, "sign in first")
}
