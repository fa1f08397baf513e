package announce

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// keyAudit is a sorted set of audit entries (JSON members) by time.
const keyAudit = "ann:audit"

// AuditEntry is one admin action.
type AuditEntry struct {
	At     time.Time `json:"at"`
	Tenant string    `json:"tenant"`
	Actor  string    `json:"actor"`  // the admin's name and login, or "api:<token name>"
	Action string    `json:"action"` // create, update, withdraw
	ID     string    `json:"id"`
	Title  string    `json:"title"`
	Nonce  string    `json:"n"` // keeps two equal entries apart in the set
}

// Audit records an admin action.
func (r *Repo) Audit(ctx context.Context, e AuditEntry) error {
	e.At = e.At.UTC()
	e.Nonce = NewID()[:8]
	raw, _ := json.Marshal(e)
	if err := r.st.ZAdd(ctx, keyAudit, string(raw), float64(e.At.UnixMilli())); err != nil {
		return fmt.Errorf("announce: audit: %w", err)
	}
	return nil
}

// AuditLog returns up to count entries, newest first.
func (r *Repo) AuditLog(ctx context.Context, count int) ([]AuditEntry, error) {
	raw, err := r.st.ZRangeByScore(ctx, keyAudit, math.Inf(-1), math.Inf(1), 0, count, true)
	if err != nil {
		return nil, fmt.Errorf("announce: audit log: %w", err)
	}
	out := make([]AuditEntry, 0, len(raw))
	for _, m := range raw {
		var e AuditEntry
		if json.Unmarshal([]byte(m), &e) == nil {
			out = append(out, e)
		}
	}
	return out, nil
}
