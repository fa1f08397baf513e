// Package records knows which of a tenant's keys are records that must
// survive (announcements, the audit log, receipts, devices, VAPID keys,
// sealed app passwords) and which are sessions and caches that may go. On
// that knowledge it builds backup and restore (Export, Import), the
// retention sweep, and a person's data: the copy (Art. 15 DSGVO) and the
// erasure (Art. 17).
package records

import "strings"

// Type is how a record is stored.
type Type byte

// The store's three kinds of value.
const (
	TypeString Type = 's'
	TypeHash   Type = 'h'
	TypeZSet   Type = 'z'
)

// kind is one family of keys in a tenant's store.
type kind struct {
	prefix string // the key, or its start when exact is false
	exact  bool
	typ    Type
	what   string // for people: docs/privacy.md uses the same words
}

// kinds lists every family of record keys, longest prefix first where two
// overlap ("ann:read:" before "ann:"). A family missing here is not
// exported: Export reports such keys, and the round-trip test fails on
// them, so a new record kind cannot be forgotten silently.
var kinds = []kind{
	{"ann:index", true, TypeZSet, "announcement index"},
	{"ann:live", true, TypeZSet, "announcement index"},
	{"ann:due", true, TypeZSet, "announcement index"},
	{"ann:audit", true, TypeZSet, "audit log"},
	{"ann:users", true, TypeHash, "known users (name, groups, last sign-in)"},
	{"ann:read:", false, TypeHash, "read receipts"},
	{"ann:ack:", false, TypeHash, "acknowledgement receipts"},
	{"ann:published:", false, TypeString, "publication done (once-only marker)"},
	{"ann:expired:", false, TypeString, "expiry done (once-only marker)"},
	{"ann:", false, TypeString, "announcement"},
	{"push:vapid", true, TypeString, "VAPID key pair (private key sealed)"},
	{"push:users", true, TypeHash, "users with push devices"},
	{"push:delayed", true, TypeZSet, "pushes held back by quiet hours"},
	{"push:dev:", false, TypeHash, "push devices (subscriptions)"},
	{"push:stats:", false, TypeHash, "push delivery figures"},
	{"push:fig:", false, TypeHash, "push delivery figures (per outbox chunk)"},
	{"push:lastshown", true, TypeHash, "when a person's device last showed a push"},
	{"push:shown:", false, TypeHash, "push shown receipts"},
	{"push:clicked:", false, TypeHash, "push opened receipts"},
	{"acct:", false, TypeHash, "app passwords (sealed)"},
	{"rem:prefs", true, TypeHash, "meeting reminder settings"},
	{"rem:status", true, TypeHash, "why meeting reminders stopped"},
}

// transient lists key families that are not records: sessions, their
// index, caches, rate-limit counters and short-lived claims. They are
// neither exported nor reported.
// The push outbox (work in flight, its per-chunk records and the push
// services' health) lives for a push's TTL: a restore starts without it.
var transient = []string{"sess:", "sessidx:", "usr:", "dash:", "nav:", "xchg:", "ratelimit:", "push:claim:", "retention:",
	"push:outbox", "push:pub:", "push:rec:", "push:svcpause:", "push:svcstats",
	"rem:run:"} // meeting reminders' schedule: rebuilt from rem:prefs by the next plan

// kindOf returns the family of key; ok is false for transient and unknown keys.
func kindOf(key string) (k kind, ok bool) {
	for _, k := range kinds {
		if key == k.prefix || (!k.exact && strings.HasPrefix(key, k.prefix)) {
			return k, true
		}
	}
	return kind{}, false
}

// isTransient reports keys that may be lost without losing a record.
func isTransient(key string) bool {
	for _, p := range transient {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}
