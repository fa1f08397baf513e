package notify

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"sync"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// svcStatsKey holds, per push service and instance, how its answers went:
// each instance writes only its own field, so none overwrites another's.
const svcStatsKey = "push:svcstats"

// SilentAfter is how long a device may go without confirming a shown
// notification before the health page lists it (dead iOS subscriptions
// accept messages but never show them).
const SilentAfter = 30 * 24 * time.Hour

// serviceStats counts one push service's answers.
type serviceStats struct {
	OK     int       `json:"ok"`
	Failed int       `json:"failed"` // transient failures and refusals, not 404/410
	LastOK time.Time `json:"last_ok"`
}

// tally keeps this instance's answers per tenant and push service.
type tally struct {
	mu sync.Mutex
	m  map[string]map[string]*serviceStats // tenant → service → stats
}

// count notes one answer and returns a copy of the service's totals.
func (t *tally) count(tenant, service string, ok bool, now time.Time) serviceStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = map[string]map[string]*serviceStats{}
	}
	if t.m[tenant] == nil {
		t.m[tenant] = map[string]*serviceStats{}
	}
	s := t.m[tenant][service]
	if s == nil {
		s = &serviceStats{}
		t.m[tenant][service] = s
	}
	if ok {
		s.OK++
		s.LastOK = now
	} else {
		s.Failed++
	}
	return *s
}

// save writes this instance's totals of the services a chunk talked to.
func (t *tally) save(ctx context.Context, st store.Store, tenant, consumer string, services map[string]bool) {
	t.mu.Lock()
	raws := map[string][]byte{}
	for svc := range services {
		if s := t.m[tenant][svc]; s != nil {
			raws[svc], _ = json.Marshal(s)
		}
	}
	t.mu.Unlock()
	for svc, raw := range raws {
		_ = st.HSet(ctx, svcStatsKey, svc+"|"+consumer, raw)
	}
}

// ServiceHealth is one push service as the delivery health page shows it.
type ServiceHealth struct {
	Service     string
	Devices     int
	Delivered   int
	Failed      int
	SuccessRate int // percent of answers that were deliveries; -1: none yet
	LastSuccess time.Time
}

// Health is a tenant's delivery health: devices and answers per push
// service, and the devices that have not confirmed a shown notification
// for SilentAfter.
type Health struct {
	Services []ServiceHealth
	Devices  int
	Silent   int
}

// DeliveryHealth computes the tenant's delivery health as of now.
func DeliveryHealth(ctx context.Context, tenantStore store.Store, now time.Time) (Health, error) {
	var h Health
	by := map[string]*ServiceHealth{}
	get := func(svc string) *ServiceHealth {
		if by[svc] == nil {
			by[svc] = &ServiceHealth{Service: svc}
		}
		return by[svc]
	}
	devices := NewDevices(tenantStore)
	users, err := devices.Users(ctx)
	if err != nil {
		return h, err
	}
	// Paged like the user list: one field per person whose device showed a push.
	shown := map[string][]byte{}
	_ = tenantStore.HScan(ctx, lastShownKey, func(sub string, v []byte) error {
		shown[sub] = v
		return nil
	})
	for _, u := range users {
		list, err := devices.List(ctx, u)
		if err != nil {
			return h, err
		}
		last, _ := time.Parse(time.RFC3339, string(shown[u]))
		for _, dev := range list {
			get(serviceOf(dev.Sub.Endpoint)).Devices++
			h.Devices++
			if now.Sub(dev.Created) >= SilentAfter && now.Sub(last) >= SilentAfter {
				h.Silent++
			}
		}
	}
	stats, _ := tenantStore.HGetAll(ctx, svcStatsKey)
	for field, raw := range stats {
		svc, _, _ := strings.Cut(field, "|")
		var s serviceStats
		if json.Unmarshal(raw, &s) != nil {
			continue
		}
		sh := get(svc)
		sh.Delivered += s.OK
		sh.Failed += s.Failed
		if s.LastOK.After(sh.LastSuccess) {
			sh.LastSuccess = s.LastOK
		}
	}
	for _, sh := range by {
		sh.SuccessRate = -1
		if n := sh.Delivered + sh.Failed; n > 0 {
			sh.SuccessRate = sh.Delivered * 100 / n
		}
		h.Services = append(h.Services, *sh)
	}
	sort.Slice(h.Services, func(i, j int) bool { return h.Services[i].Devices > h.Services[j].Devices })
	return h, nil
}
