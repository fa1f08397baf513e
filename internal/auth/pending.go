package auth

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// FlowTTL bounds how long a sign-in may take and how long an anonymous
// session (demo form token) lives.
const FlowTTL = 15 * time.Minute

// maxPendingFlows is how many sign-ins one browser may have started and not
// finished (a few tabs). Repeating /login with one cookie used to add a flow
// each time and never drop one.
const maxPendingFlows = 3

// Keys in the anonymous session: the pending flows, oldest first, as
// "state unix-seconds", and each sealed flow under its state.
const (
	flowList   = "flows"
	flowPrefix = "flow:"
)

// FlowSession is the anonymous session a sign-in waits in (Fiber's
// session.Session is one).
type FlowSession interface {
	Get(key string) any
	Set(key string, val any)
	Delete(key string)
	SetExpiry(exp time.Duration)
}

// AddFlow keeps f sealed (for tenantID) in the anonymous session: at most
// maxPendingFlows (the oldest go), each valid for FlowTTL, and the session
// itself expires FlowTTL after the last sign-in started.
func AddFlow(sess FlowSession, s *Sealer, tenantID string, f Flow, now time.Time) {
	kept := pendingFlows(sess, now)
	for len(kept) >= maxPendingFlows {
		st, _, _ := strings.Cut(kept[0], " ")
		sess.Delete(flowPrefix + st)
		kept = kept[1:]
	}
	raw, _ := json.Marshal(f)
	kept = append(kept, f.State+" "+strconv.FormatInt(now.Unix(), 10))
	sess.Set(flowList, kept)
	sess.Set(flowPrefix+f.State, s.Seal(raw, []byte("flow:"+tenantID)))
	sess.SetExpiry(FlowTTL)
}

// TakeFlow removes the sealed flow of state and returns it when it is
// still valid: each state works once and only for FlowTTL.
func TakeFlow(sess FlowSession, state string, now time.Time) ([]byte, bool) {
	sealed, ok := sess.Get(flowPrefix + state).([]byte)
	sess.Delete(flowPrefix + state)
	kept := pendingFlows(sess, now)
	valid := false
	for i, e := range kept {
		if st, _, _ := strings.Cut(e, " "); st == state {
			valid = true
			kept = append(kept[:i:i], kept[i+1:]...)
			break
		}
	}
	sess.Set(flowList, kept)
	sess.SetExpiry(FlowTTL)
	return sealed, ok && valid
}

// OpenFlow opens a flow TakeFlow returned; a flow sealed for another tenant
// or state is refused.
func OpenFlow(s *Sealer, tenantID, state string, sealed []byte) (Flow, bool) {
	var f Flow
	raw, err := s.Open(sealed, []byte("flow:"+tenantID))
	if err != nil || json.Unmarshal(raw, &f) != nil || f.State != state {
		return Flow{}, false
	}
	return f, true
}

// pendingFlows lists the flows not yet expired, dropping expired ones.
func pendingFlows(sess FlowSession, now time.Time) []string {
	list, _ := sess.Get(flowList).([]string)
	kept := make([]string, 0, len(list)+1)
	for _, e := range list {
		st, at, _ := strings.Cut(e, " ")
		started, err := strconv.ParseInt(at, 10, 64)
		if err != nil || now.Unix()-started >= int64(FlowTTL.Seconds()) {
			sess.Delete(flowPrefix + st)
			continue
		}
		kept = append(kept, e)
	}
	return kept
}
