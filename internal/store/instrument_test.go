package store_test

import (
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

func TestInstrument(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	b := openBolt(t)
	s := store.Instrument(b, reg)
	// A second instrumented store shares the metrics instead of failing.
	s2 := store.Instrument(store.Prefixed(b, "x:"), reg)
	ctx := t.Context()

	must(t, s.Set(ctx, "k", []byte("v"), 0))
	_, err := s.Get(ctx, "missing")
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get of a missing key through Instrument = %v, want ErrNotFound", err)
	}
	must(t, s2.Set(ctx, "k", []byte("v"), 0))
	must(t, b.Close())
	if err := s.Set(ctx, "k", []byte("v"), 0); !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("Set on a closed store = %v", err)
	}

	counts := map[string]int{}
	mfs, err := reg.Gather()
	must(t, err)
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			op := m.GetLabel()[0].GetValue()
			switch mf.GetName() {
			case "pforte_store_duration_seconds":
				counts["duration "+op] = int(m.GetHistogram().GetSampleCount())
			case "pforte_store_errors_total":
				counts["errors "+op] = int(m.GetCounter().GetValue())
			}
		}
	}
	want := map[string]int{"duration set": 3, "duration get": 1, "errors set": 1}
	for k, v := range want {
		if counts[k] != v {
			t.Errorf("%s = %d, want %d (all: %v)", k, counts[k], v, counts)
		}
	}
	if _, ok := counts["errors get"]; ok {
		t.Errorf("a not-found Get was counted as an error: %v", counts)
	}
	if _, ok := counts["duration ping"]; ok {
		t.Errorf("an operation that never ran has a series: %v", counts)
	}
}
