package notify

import (
	"context"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/config"
)

// The health page counts devices per push service and lists as silent the
// devices older than 30 days whose person has not had a notification shown
// for 30 days (dead iOS subscriptions accept pushes but never show them).
func TestDeliveryHealthCountsSilentDevices(t *testing.T) {
	for name, root := range outboxStores(t) {
		t.Run(name, func(t *testing.T) {
			e := newOutboxEnv(t, root, config.TenantPush{})
			ctx := context.Background()
			now := time.Now()
			old := now.Add(-40 * 24 * time.Hour)
			for _, subject := range []string{"sub-anna", "sub-carla", "sub-new"} {
				created := old
				if subject == "sub-new" {
					created = now.Add(-24 * time.Hour) // too young to be silent
				}
				if _, err := NewDevices(e.st).Save(ctx, subject, e.srv.NewSubscription(""), created); err != nil {
					t.Fatal(err)
				}
			}
			// Anna's phone showed a notification last week; Carla's never did.
			if err := RecordSeen(ctx, e.st, "a1", "shown", "sub-anna", now.Add(-7*24*time.Hour)); err != nil {
				t.Fatal(err)
			}
			h, err := DeliveryHealth(ctx, e.st, now)
			if err != nil {
				t.Fatal(err)
			}
			if h.Devices != 3 || h.Silent != 1 {
				t.Errorf("health %+v: want 3 devices, 1 silent (Carla's)", h)
			}
			if len(h.Services) != 1 || h.Services[0].Service != e.srv.Host() || h.Services[0].Devices != 3 || h.Services[0].SuccessRate != -1 {
				t.Errorf("services %+v: want one push service with 3 devices and no answers yet", h.Services)
			}
		})
	}
}
