package store

import (
	"context"
	"strings"
)

// Durability is what Pforte found out about whether its store keeps
// records: announcements, the audit log, receipts, push subscriptions and
// app passwords live only there, so a Redis without persistence or with an
// evicting memory policy loses them silently.
type Durability struct {
	// Checked is false when the check could not run (a managed Redis that
	// refuses CONFIG and INFO); Reason then says why.
	Checked bool   `json:"checked"`
	Reason  string `json:"reason,omitempty"`
	// Persistence is "aof everysec", "rdb 3600 1 …", "aof always + rdb …",
	// "embedded file" or "none".
	Persistence string `json:"persistence,omitempty"`
	// MaxmemoryPolicy is Redis' maxmemory-policy ("" for the embedded store).
	MaxmemoryPolicy string `json:"maxmemory_policy,omitempty"`
	// Problems says, one sentence each, what to set and why.
	Problems []string `json:"problems,omitempty"`
}

// Volatile reports a store known to lose records on restart or under memory
// pressure. A check that could not run is not volatile: Pforte says so and
// goes on (managed Redis services forbid CONFIG but are persistent).
func (d Durability) Volatile() bool { return d.Checked && len(d.Problems) > 0 }

// Problem texts, also the fix an operator applies.
const (
	problemNoPersistence = "Redis keeps no persistence (appendonly no, save \"\"): a restart loses every announcement, receipt, push subscription and app password. Set appendonly yes and appendfsync everysec (docs/store.md)"
	problemEviction      = "Redis maxmemory-policy is %s: under memory pressure Redis deletes records (announcements, audit log, subscriptions). Set maxmemory-policy noeviction and give Redis enough memory (docs/store.md)"
)

// CheckDurability inspects the store beneath s. The embedded bbolt file
// syncs every write to disk and never evicts; Redis is asked with CONFIG GET,
// or INFO where CONFIG is forbidden. ctx bounds the check.
func CheckDurability(ctx context.Context, s Store) Durability {
	switch b := unwrap(s).(type) {
	case *Redis:
		return b.durability(ctx)
	case *Bolt:
		return Durability{Checked: true, Persistence: "embedded file"}
	}
	return Durability{Reason: "unknown store"}
}

// unwrap returns the backend beneath instrumenting wrappers.
func unwrap(s Store) Store {
	for {
		w, ok := s.(interface{ Unwrap() Store })
		if !ok {
			return s
		}
		s = w.Unwrap()
	}
}

func (r *Redis) durability(ctx context.Context) Durability {
	cfg, err := r.client.ConfigGet(ctx, "*").Result()
	if err != nil || cfg["appendonly"] == "" {
		return r.durabilityFromInfo(ctx, err)
	}
	d := Durability{Checked: true, MaxmemoryPolicy: cfg["maxmemory-policy"]}
	var parts []string
	if cfg["appendonly"] == "yes" {
		parts = append(parts, "aof "+cfg["appendfsync"])
	}
	if save := strings.TrimSpace(cfg["save"]); save != "" {
		parts = append(parts, "rdb "+save)
	}
	d.Persistence = strings.Join(parts, " + ")
	d.judge()
	return d
}

// durabilityFromInfo is the fallback for a Redis that refuses CONFIG (many
// managed services): INFO still tells whether AOF is on and the policy.
func (r *Redis) durabilityFromInfo(ctx context.Context, configErr error) Durability {
	info, err := r.client.Info(ctx, "persistence", "memory").Result()
	if err != nil {
		reason := "CONFIG GET and INFO refused"
		if configErr != nil {
			reason += ": " + redisErr(ctx, "config get", configErr).Error()
		}
		return Durability{Reason: reason + "; make sure Redis persists (AOF) and does not evict (docs/store.md)"}
	}
	fields := map[string]string{}
	for _, line := range strings.Split(info, "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), ":"); ok {
			fields[k] = v
		}
	}
	d := Durability{Checked: true, MaxmemoryPolicy: fields["maxmemory_policy"]}
	if fields["aof_enabled"] == "1" {
		d.Persistence = "aof"
	} else {
		// INFO does not show the snapshot schedule: without AOF we cannot
		// tell, so we say so instead of guessing.
		return Durability{Reason: "CONFIG GET refused and INFO shows no AOF; cannot tell whether RDB snapshots are configured (docs/store.md)", MaxmemoryPolicy: d.MaxmemoryPolicy}
	}
	d.judge()
	return d
}

// judge fills Problems from Persistence and MaxmemoryPolicy.
func (d *Durability) judge() {
	if d.Persistence == "" {
		d.Persistence = "none"
		d.Problems = append(d.Problems, problemNoPersistence)
	}
	if p := d.MaxmemoryPolicy; p != "" && p != "noeviction" {
		d.Problems = append(d.Problems, strings.Replace(problemEviction, "%s", p, 1))
	}
}

// Unwrap returns the measured store, so CheckDurability sees the backend.
func (m *instrumented) Unwrap() Store { return m.s }
