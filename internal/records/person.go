package records

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/offline"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// Person is everything Pforte keeps about one signed-in person in one
// tenant: the copy for "Meine Daten" (Art. 15 DSGVO). The JSON shape is
// what people download; extend it, never rename.
type Person struct {
	Tenant      string    `json:"tenant"`
	Subject     string    `json:"subject"`
	GeneratedAt time.Time `json:"generated_at"`
	// Profile is what Pforte noted at the last sign-in (name, groups, time).
	Profile json.RawMessage `json:"profile,omitempty"`
	// Read and Acknowledged map announcement ids to the time.
	Read         map[string]string `json:"read"`
	Acknowledged map[string]string `json:"acknowledged"`
	// PushShown and PushOpened map announcement ids to when a device
	// showed or opened its push.
	PushShown  map[string]string `json:"push_shown"`
	PushOpened map[string]string `json:"push_opened"`
	// Devices are the browsers subscribed to push (endpoint, keys, times).
	Devices []json.RawMessage `json:"devices"`
	// AppPasswords names the sources with a stored app password; the
	// password itself is kept encrypted and never shown again.
	AppPasswords []string `json:"app_passwords"`
	// Reminders is the meeting reminder setting (lead time, which
	// meetings), absent when reminders are off.
	Reminders json.RawMessage `json:"reminders,omitempty"`
	// Sessions counts the signed-in sessions (browsers) open now.
	Sessions int `json:"sessions"`
	// BackgroundAccess says whether a refresh token is kept for meeting
	// reminders (oidc.offline_access); the token itself is never shown.
	BackgroundAccess bool `json:"background_access"`
	// About points to what each item is for and how long it is kept.
	About string `json:"about"`
}

// perPerson are the hashes holding one field per person, keyed by
// announcement id after the prefix.
var perPerson = []string{"ann:read:", "ann:ack:", "push:shown:", "push:clicked:"}

// CollectPerson gathers a person's data from a tenant's store.
func CollectPerson(ctx context.Context, ts store.Store, tenant, subject string, now time.Time) (*Person, error) {
	p := &Person{Tenant: tenant, Subject: subject, GeneratedAt: now.UTC(), Read: map[string]string{},
		Acknowledged: map[string]string{}, PushShown: map[string]string{}, PushOpened: map[string]string{},
		Devices: []json.RawMessage{}, AppPasswords: []string{},
		About: "docs/privacy.md of Pforte: what each item is for, how long it is kept and who receives it"}
	if v, err := ts.HGet(ctx, "ann:users", subject); err == nil {
		p.Profile = json.RawMessage(v)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("records: person: %w", err)
	}
	if v, err := ts.HGet(ctx, "rem:prefs", subject); err == nil {
		p.Reminders = json.RawMessage(v)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("records: person: %w", err)
	}
	into := map[string]map[string]string{"ann:read:": p.Read, "ann:ack:": p.Acknowledged, "push:shown:": p.PushShown, "push:clicked:": p.PushOpened}
	for _, prefix := range perPerson {
		err := eachField(ctx, ts, prefix, subject, func(key string, v []byte) {
			into[prefix][strings.TrimPrefix(key, prefix)] = string(v)
		})
		if err != nil {
			return nil, err
		}
	}
	devs, err := ts.HGetAll(ctx, "push:dev:"+subject)
	if err != nil {
		return nil, fmt.Errorf("records: person: %w", err)
	}
	for _, id := range sortedKeys(devs) {
		p.Devices = append(p.Devices, json.RawMessage(devs[id]))
	}
	accts, err := ts.HGetAll(ctx, "acct:"+subject)
	if err != nil {
		return nil, fmt.Errorf("records: person: %w", err)
	}
	p.AppPasswords = append(p.AppPasswords, sortedKeys(accts)...)
	n, err := ts.HLen(ctx, "sessidx:sub:"+subject)
	if err != nil {
		return nil, fmt.Errorf("records: person: %w", err)
	}
	p.Sessions = int(n)
	if p.BackgroundAccess, err = offline.Kept(ctx, ts, subject); err != nil {
		return nil, err
	}
	return p, nil
}

// eachField calls fn for every hash under prefix that has a field subject.
func eachField(ctx context.Context, ts store.Store, prefix, subject string, fn func(key string, v []byte)) error {
	keys, err := ts.Keys(ctx, prefix)
	if err != nil {
		return fmt.Errorf("records: person: %w", err)
	}
	for _, k := range keys {
		v, err := ts.HGet(ctx, k, subject)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("records: person: %w", err)
		}
		fn(k, v)
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
