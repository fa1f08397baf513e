package announce

import (
	"context"
	"slices"
	"time"
)

// DeviceCounter counts the push devices of the given users (notify.Devices
// implements it; declared here so announce does not import notify).
type DeviceCounter interface {
	CountDevices(ctx context.Context, subjects []string) (int, error)
}

// Estimate is what publishing an announcement would reach: the known users
// of its audience (see KnownUser), their push devices when it is pushed,
// and the target groups no known user belongs to (most likely typos).
type Estimate struct {
	Audience      int      `json:"audience"`
	Devices       int      `json:"devices"`
	UnknownGroups []string `json:"unknown_groups"`
}

// Estimate counts who a would reach without storing anything. devices may
// be nil (then Devices stays 0); it is only asked when a is pushed.
func (r *Repo) Estimate(ctx context.Context, a *Announcement, devices DeviceCounter) (Estimate, error) {
	users, err := r.Users(ctx)
	if err != nil {
		return Estimate{}, err
	}
	est := Estimate{UnknownGroups: UnknownGroups(a.Groups, KnownGroups(users))}
	subjects := make([]string, 0, len(users))
	for _, u := range users {
		if a.Targets(u.Groups) {
			subjects = append(subjects, u.Subject)
		}
	}
	est.Audience = len(subjects)
	if a.Push && devices != nil && len(subjects) > 0 {
		if est.Devices, err = devices.CountDevices(ctx, subjects); err != nil {
			return Estimate{}, err
		}
	}
	return est, nil
}

// KnownGroups returns every group a known user belongs to, sorted: the
// groups an author can target with effect.
func KnownGroups(users []KnownUser) []string {
	out := []string{}
	for _, u := range users {
		for _, g := range u.Groups {
			if !slices.Contains(out, g) {
				out = append(out, g)
			}
		}
	}
	slices.Sort(out)
	return out
}

// Groups returns the groups of all known users (see KnownGroups).
func (r *Repo) Groups(ctx context.Context) ([]string, error) {
	users, err := r.Users(ctx)
	if err != nil {
		return nil, err
	}
	return KnownGroups(users), nil
}

// UnknownGroups returns the targets that are not among known, in order.
func UnknownGroups(targets, known []string) []string {
	out := []string{}
	for _, g := range targets {
		if _, found := slices.BinarySearch(known, g); !found {
			out = append(out, g)
		}
	}
	return out
}

// DryRun applies in to a copy of base (nil: a new announcement) and
// estimates its reach; nothing is stored. Problems with in come back as
// field errors (all of them), and then the estimate is empty.
func (r *Repo) DryRun(ctx context.Context, base *Announcement, in Input, now time.Time, devices DeviceCounter) (*Announcement, Estimate, []*FieldError, error) {
	a := &Announcement{Groups: []string{}}
	if base != nil {
		cp := *base
		a = &cp
	}
	if errs := ApplyAll(a, in, base == nil, now); len(errs) > 0 {
		return a, Estimate{UnknownGroups: []string{}}, errs, nil
	}
	est, err := r.Estimate(ctx, a, devices)
	return a, est, nil, err
}
