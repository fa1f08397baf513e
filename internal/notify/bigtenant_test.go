package notify

import (
	"context"
	"fmt"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// TestPlanReadsUserListsInPages plans a push on real Redis for a tenant
// whose user list and device index are each several HScan pages long: an
// IT admin's warning to staff must reach every device, not the first
// page's. (The I/O timeout that paging avoids cannot be provoked
// deterministically; scripts/bench-push.sh measures that at 100,000.)
func TestPlanReadsUserListsInPages(t *testing.T) {
	e := newPushEnv(t, config.TenantPush{})
	ctx := context.Background()
	const users = 5*store.HScanPage/2 + 1
	wantDevices := 0
	for i := range users {
		sub := fmt.Sprintf("sub-%05d", i)
		group := "staff"
		if i%5 == 0 {
			group = "council" // known, not targeted
		}
		if err := e.repo.SeeUser(ctx, sub, "Person "+sub, []string{group}, e.clock); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 { // every other person has a phone
			e.device(t, sub)
			if group == "staff" {
				wantDevices++
			}
		}
	}
	all, err := e.repo.Users(ctx)
	if err != nil || len(all) != users {
		t.Fatalf("Users = %d users, %v; want %d", len(all), err, users)
	}
	withDevices, err := NewDevices(e.st).Users(ctx)
	if err != nil || len(withDevices) != (users+1)/2 {
		t.Fatalf("Devices.Users = %d, %v; want %d", len(withDevices), err, (users+1)/2)
	}

	a := e.announcement(t, "critical", "staff")
	est, err := e.repo.Estimate(ctx, a, NewDevices(e.st))
	if err != nil || est.Devices != wantDevices {
		t.Fatalf("Estimate = %+v, %v; want %d devices", est, err, wantDevices)
	}
	stats, err := e.d.plan(ctx, e.tenant, a.ID, false)
	if err != nil || stats.Targets != wantDevices {
		t.Fatalf("plan = %+v, %v; want %d targets (every staff phone)", stats, err, wantDevices)
	}
}
