package notify

import (
	"context"
	"errors"
	"fmt"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// CountDevices returns how many push devices the given users have in all
// (announce.DeviceCounter): what a push to them would be sent to. Only
// users in the device index are asked, so a large audience without
// devices costs one read.
func (d *Devices) CountDevices(ctx context.Context, subjects []string) (int, error) {
	has := map[string]struct{}{}
	err := d.st.HScan(ctx, usersKey, func(s string, _ []byte) error {
		has[s] = struct{}{}
		return nil
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return 0, fmt.Errorf("notify: count devices: %w", err)
	}
	n := 0
	for _, s := range subjects {
		if _, ok := has[s]; !ok {
			continue
		}
		c, err := d.st.HLen(ctx, devicesKey(s))
		if err != nil {
			return 0, fmt.Errorf("notify: count devices: %w", err)
		}
		n += int(c)
	}
	return n, nil
}
