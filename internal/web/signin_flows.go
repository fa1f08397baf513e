package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2/middleware/session"
)

// maxPendingFlows is how many sign-ins one browser may have started and not
// finished (a few tabs). Repeating /login with one cookie used to add a flow
// each time and never drop one.
const maxPendingFlows = 3

// sessFlowList lists the pending flows of an anonymous session, oldest
// first, as "state unix-seconds".
const sessFlowList = "flows"

// addFlow keeps the sealed flow of a new sign-in in the anonymous session:
// at most maxPendingFlows (the oldest go), each valid for flowTTL, and the
// session itself expires flowTTL after the last sign-in started.
func (s *Server) addFlow(sess *session.Session, state string, sealed []byte) {
	kept := s.pendingFlows(sess)
	for len(kept) >= maxPendingFlows {
		st, _, _ := strings.Cut(kept[0], " ")
		sess.Delete(sessFlowPref + st)
		kept = kept[1:]
	}
	kept = append(kept, state+" "+strconv.FormatInt(s.Now().Unix(), 10))
	sess.Set(sessFlowList, kept)
	sess.Set(sessFlowPref+state, sealed)
	sess.SetExpiry(flowTTL)
}

// takeFlow removes the flow of state and returns it when it is still
// valid: each state works once and only for flowTTL.
func (s *Server) takeFlow(sess *session.Session, state string) ([]byte, bool) {
	sealed, ok := sess.Get(sessFlowPref + state).([]byte)
	sess.Delete(sessFlowPref + state)
	kept := s.pendingFlows(sess)
	valid := false
	for i, e := range kept {
		if st, _, _ := strings.Cut(e, " "); st == state {
			valid = true
			kept = append(kept[:i:i], kept[i+1:]...)
			break
		}
	}
	sess.Set(sessFlowList, kept)
	sess.SetExpiry(flowTTL)
	return sealed, ok && valid
}

// pendingFlows lists the flows not yet expired, dropping expired ones.
func (s *Server) pendingFlows(sess *session.Session) []string {
	list, _ := sess.Get(sessFlowList).([]string)
	now := s.Now().Unix()
	kept := make([]string, 0, len(list)+1)
	for _, e := range list {
		st, at, _ := strings.Cut(e, " ")
		started, err := strconv.ParseInt(at, 10, 64)
		if err != nil || now-started >= int64(flowTTL.Seconds()) {
			sess.Delete(sessFlowPref + st)
			continue
		}
		kept = append(kept, e)
	}
	return kept
}
