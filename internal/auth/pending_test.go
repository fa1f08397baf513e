package auth

import (
	"testing"
	"time"
)

type mapSession map[string]any

func (m mapSession) Get(k string) any        { return m[k] }
func (m mapSession) Set(k string, v any)     { m[k] = v }
func (m mapSession) Delete(k string)         { delete(m, k) }
func (m mapSession) SetExpiry(time.Duration) {}

// A sign-in's state works once, only for FlowTTL, only for its tenant, and
// one browser keeps at most a few pending sign-ins.
func TestPendingFlows(t *testing.T) {
	s, err := NewSealer("0123456789abcdef0123456789abcdef", "test")
	if err != nil {
		t.Fatal(err)
	}
	sess, now := mapSession{}, time.Unix(1_800_000_000, 0)
	var flows []Flow
	for i := 0; i < maxPendingFlows+1; i++ {
		f := NewFlow("/", "https://p/cb")
		flows = append(flows, f)
		AddFlow(sess, s, "t1", f, now)
	}
	if _, ok := TakeFlow(sess, flows[0].State, now); ok {
		t.Error("the oldest flow survived more than maxPendingFlows sign-ins")
	}
	sealed, ok := TakeFlow(sess, flows[1].State, now)
	if f, opened := OpenFlow(s, "t1", flows[1].State, sealed); !ok || !opened || f.Nonce != flows[1].Nonce {
		t.Fatalf("a fresh flow was refused: taken %v, opened %v", ok, opened)
	}
	if _, ok := TakeFlow(sess, flows[1].State, now); ok {
		t.Error("a state worked twice")
	}
	sealed, _ = TakeFlow(sess, flows[2].State, now)
	if _, ok := OpenFlow(s, "t2", flows[2].State, sealed); ok {
		t.Error("another tenant opened the flow")
	}
	if _, ok := TakeFlow(sess, flows[3].State, now.Add(FlowTTL)); ok {
		t.Error("a flow outlived FlowTTL")
	}
}
