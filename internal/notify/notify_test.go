package notify

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/push/pushtest"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

func stores(t *testing.T) map[string]store.Store {
	bolt, err := store.NewBolt(t.TempDir()+"/p.db", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bolt.Close() })
	rs, err := store.Open(context.Background(), testenv.Server(t, "PFORTE_TEST_REDIS_URL"), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rs.Close() })
	prefix := fmt.Sprintf("notify-%d", time.Now().UnixNano())
	return map[string]store.Store{"bbolt": store.ForTenant(bolt, prefix), "redis": store.ForTenant(rs, prefix)}
}

// VAPID keys are generated once per tenant and never silently replaced:
// instances starting together agree on one pair; only Rotate changes it.
func TestVAPIDKeysGeneratedOnceAndKept(t *testing.T) {
	sealer, _ := auth.NewSealer("0123456789abcdef0123456789abcdef", "vapid test")
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			var wg sync.WaitGroup
			keys := make([]string, 8)
			for i := range keys {
				wg.Add(1)
				go func() {
					defer wg.Done()
					k, err := Keys(ctx, st, "muc", config.TenantPush{}, sealer)
					if err != nil {
						t.Error(err)
						return
					}
					keys[i] = k.PublicKey()
				}()
			}
			wg.Wait()
			for _, k := range keys[1:] {
				if k != keys[0] {
					t.Fatalf("instances starting together got different VAPID keys: %v", keys)
				}
			}
			again, err := Keys(ctx, st, "muc", config.TenantPush{}, sealer)
			if err != nil || again.PublicKey() != keys[0] {
				t.Fatalf("after a restart the key changed: %v", err)
			}
			rotated, err := Rotate(ctx, st, "muc", sealer)
			if err != nil || rotated.PublicKey() == keys[0] {
				t.Fatalf("rotate kept the old key: %v", err)
			}
			if now, _ := Keys(ctx, st, "muc", config.TenantPush{}, sealer); now.PublicKey() != rotated.PublicKey() {
				t.Error("Keys after Rotate does not return the rotated pair")
			}
			if _, err := Keys(ctx, st, "other-tenant", config.TenantPush{}, sealer); err == nil {
				// Same store prefix but another tenant's seal: must not open.
				t.Error("a tenant opened another tenant's sealed VAPID key")
			}
		})
	}
}

func TestConfiguredVAPIDKeysWin(t *testing.T) {
	k, _ := push.GenerateVAPIDKeys()
	sealer, _ := auth.NewSealer("0123456789abcdef0123456789abcdef", "vapid test")
	for _, st := range stores(t) {
		got, err := Keys(context.Background(), st, "muc", config.TenantPush{VAPIDPublicKey: k.PublicKey(), VAPIDPrivateKey: k.PrivateKey()}, sealer)
		if err != nil || got.PublicKey() != k.PublicKey() {
			t.Fatalf("configured keys not used: %v", err)
		}
	}
}

// A user keeps at most MaxDevices subscriptions; the device seen longest
// ago makes room, and refreshing an existing one is not a new device.
func TestDevicesBoundedPerUser(t *testing.T) {
	srv := pushtest.NewServer(t)
	appKeys, _ := push.GenerateVAPIDKeys()
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			d := NewDevices(st)
			t0 := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
			var subs []push.Subscription
			for i := 0; i < MaxDevices+2; i++ {
				sub := srv.NewSubscription(appKeys.PublicKey())
				subs = append(subs, sub)
				if created, err := d.Save(ctx, "anna", sub, t0.Add(time.Duration(i)*time.Minute)); err != nil || !created {
					t.Fatalf("save device %d: created=%v err=%v", i, created, err)
				}
			}
			list, _ := d.List(ctx, "anna")
			if len(list) != MaxDevices {
				t.Fatalf("%d devices, want %d", len(list), MaxDevices)
			}
			for _, dev := range list {
				if dev.Sub.Endpoint == subs[0].Endpoint || dev.Sub.Endpoint == subs[1].Endpoint {
					t.Error("the oldest devices were kept instead of making room")
				}
			}
			if created, _ := d.Save(ctx, "anna", subs[5], t0.Add(time.Hour)); created {
				t.Error("refreshing a known subscription counted as a new device")
			}
			if users, _ := d.Users(ctx); len(users) != 1 || users[0] != "anna" {
				t.Errorf("users with devices = %v", users)
			}
			for _, s := range subs {
				if err := d.Delete(ctx, "anna", s.Endpoint); err != nil {
					t.Fatal(err)
				}
			}
			if users, _ := d.Users(ctx); len(users) != 0 {
				t.Errorf("after deleting every device users = %v", users)
			}
		})
	}
}

func TestQuietHours(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	q := &config.QuietHours{Start: "18:00", End: "07:00", Weekends: true}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, berlin)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct{ now, until string }{
		{"2026-11-23 10:00", ""},                 // Monday morning: open
		{"2026-11-23 18:30", "2026-11-24 07:00"}, // Monday evening
		{"2026-11-24 06:59", "2026-11-24 07:00"}, // Tuesday early
		{"2026-11-27 19:00", "2026-11-30 07:00"}, // Friday evening → Monday 07:00
		{"2026-11-28 12:00", "2026-11-30 07:00"}, // Saturday
		{"2026-10-24 20:00", "2026-10-26 07:00"}, // Saturday before the DST switch
	}
	for _, c := range cases {
		got := QuietUntil(q, at(c.now), berlin)
		want := time.Time{}
		if c.until != "" {
			want = at(c.until)
		}
		if !got.Equal(want) {
			t.Errorf("%s: quiet until %v, want %v", c.now, got, want)
		}
	}
	if !QuietUntil(nil, at("2026-11-23 23:00"), berlin).IsZero() {
		t.Error("no quiet hours configured, but a push was held back")
	}
}
