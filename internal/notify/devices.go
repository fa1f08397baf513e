package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// MaxDevices is how many push subscriptions one user may have; a new one
// beyond it replaces the device that was seen longest ago.
const MaxDevices = 10

// Device is one subscribed browser of a user.
type Device struct {
	ID       string            `json:"id"` // hash of the endpoint
	Sub      push.Subscription `json:"sub"`
	Created  time.Time         `json:"created"`
	LastSeen time.Time         `json:"last_seen"`
}

// Devices stores a tenant's push subscriptions: one hash per user
// (device id → Device) and a hash of users who have any.
type Devices struct {
	st store.Store // tenant-scoped
}

// NewDevices returns the device store of one tenant.
func NewDevices(tenantStore store.Store) *Devices { return &Devices{st: tenantStore} }

func devicesKey(subject string) string { return "push:dev:" + subject }

const usersKey = "push:users"

// DeviceID identifies a subscription by its endpoint.
func DeviceID(endpoint string) string {
	sum := sha256.Sum256([]byte(endpoint))
	return hex.EncodeToString(sum[:12])
}

// Save adds or refreshes a subscription; created reports a new device.
func (d *Devices) Save(ctx context.Context, subject string, sub push.Subscription, now time.Time) (created bool, err error) {
	list, err := d.List(ctx, subject)
	if err != nil {
		return false, err
	}
	dev := Device{ID: DeviceID(sub.Endpoint), Sub: sub, Created: now, LastSeen: now}
	created = true
	for _, old := range list {
		if old.ID == dev.ID {
			dev.Created, created = old.Created, false
		}
	}
	if created && len(list) >= MaxDevices {
		sort.Slice(list, func(i, j int) bool { return list[i].LastSeen.Before(list[j].LastSeen) })
		for _, old := range list[:len(list)-MaxDevices+1] {
			if err := d.st.HDel(ctx, devicesKey(subject), old.ID); err != nil {
				return false, fmt.Errorf("notify: drop oldest device: %w", err)
			}
		}
	}
	raw, err := json.Marshal(dev)
	if err != nil {
		return false, fmt.Errorf("notify: encode device: %w", err)
	}
	if err := d.st.HSet(ctx, devicesKey(subject), dev.ID, raw); err != nil {
		return false, fmt.Errorf("notify: save device: %w", err)
	}
	if err := d.st.HSet(ctx, usersKey, subject, []byte{1}); err != nil {
		return false, fmt.Errorf("notify: save device: %w", err)
	}
	return created, nil
}

// Delete removes the device with endpoint (unsubscribe, or the push
// service said 404/410). Deleting an unknown device is not an error.
func (d *Devices) Delete(ctx context.Context, subject, endpoint string) error {
	if err := d.st.HDel(ctx, devicesKey(subject), DeviceID(endpoint)); err != nil {
		return fmt.Errorf("notify: delete device: %w", err)
	}
	n, err := d.st.HLen(ctx, devicesKey(subject))
	if err != nil {
		return fmt.Errorf("notify: delete device: %w", err)
	}
	if n == 0 {
		if err := d.st.HDel(ctx, usersKey, subject); err != nil {
			return fmt.Errorf("notify: delete device: %w", err)
		}
	}
	return nil
}

// List returns a user's devices.
func (d *Devices) List(ctx context.Context, subject string) ([]Device, error) {
	all, err := d.st.HGetAll(ctx, devicesKey(subject))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("notify: list devices: %w", err)
	}
	out := make([]Device, 0, len(all))
	for _, raw := range all {
		var dev Device
		if json.Unmarshal(raw, &dev) == nil {
			out = append(out, dev)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Created.Before(out[j].Created) })
	return out, nil
}

// deviceSub is the part of a stored Device a push needs: decoding only it
// skips the two timestamps, a good part of the work for 100,000 devices.
type deviceSub struct {
	ID  string            `json:"id"`
	Sub push.Subscription `json:"sub"`
}

// targetsOf returns the push targets of subjects' devices (in subjects'
// order) in one read.
func (d *Devices) targetsOf(ctx context.Context, subjects []string) ([]push.Target, error) {
	keys := make([]string, len(subjects))
	for i, s := range subjects {
		keys[i] = devicesKey(s)
	}
	all, err := d.st.HGetAllMany(ctx, keys...)
	if err != nil {
		return nil, fmt.Errorf("notify: list devices: %w", err)
	}
	out := make([]push.Target, 0, len(subjects))
	for i, m := range all {
		for _, raw := range m {
			var dev deviceSub
			if json.Unmarshal(raw, &dev) == nil {
				out = append(out, push.Target{ID: subjects[i] + "|" + dev.ID, Sub: dev.Sub})
			}
		}
	}
	return out, nil
}

// Users returns the subjects that have at least one device.
func (d *Devices) Users(ctx context.Context) ([]string, error) {
	// Paged: the index has a field per person with a device, and one reply
	// of 100,000 of them outgrew the store's I/O timeout.
	out := []string{}
	err := d.st.HScan(ctx, usersKey, func(s string, _ []byte) error {
		out = append(out, s)
		return nil
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("notify: list users: %w", err)
	}
	sort.Strings(out)
	return out, nil
}
