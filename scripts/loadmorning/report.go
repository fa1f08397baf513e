package main

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

type reportInput struct {
	users   int
	wall    time.Duration
	cold    []coldResult
	own     []time.Duration
	ownErr  []error
	seen    map[string]map[string]int64
	cpu     map[string]int64 // clock ticks (USER_HZ, 100 on Linux)
	timeout time.Duration
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// report prints the cold latencies beside the upstreams' own, what each
// upstream saw per cold build, CPU, errors and the RESULT line.
func report(w io.Writer, in reportInput) error {
	var durs []time.Duration
	var httpErr, timeouts, srcErr int
	srcStatus := map[string]map[string]int{}
	for _, r := range in.cold {
		switch {
		case r.err != nil && strings.Contains(r.err.Error(), "Timeout"):
			timeouts++
		case r.err != nil || r.status != http.StatusOK:
			httpErr++
		default:
			durs = append(durs, r.dur)
		}
		for s, st := range r.sources {
			if srcStatus[s] == nil {
				srcStatus[s] = map[string]int{}
			}
			srcStatus[s][st]++
			if st != "ok" {
				srcErr++
			}
		}
	}
	var own []time.Duration
	var ownErrs int
	for i, d := range in.own {
		if in.ownErr[i] != nil {
			ownErrs++
			if ownErrs == 1 {
				fmt.Fprintln(w, "first upstream error:", in.ownErr[i])
			}
			continue
		}
		own = append(own, d)
	}
	fmt.Fprintf(w, "\n%d users in %.1f s (ramping up)\n", in.users, in.wall.Seconds())
	fmt.Fprintf(w, "%-28s %8s %8s %8s %8s\n", "", "p50 ms", "p95 ms", "p99 ms", "max ms")
	row := func(name string, ds []time.Duration) {
		fmt.Fprintf(w, "%-28s %8.1f %8.1f %8.1f %8.1f\n", name, ms(percentile(ds, 50)), ms(percentile(ds, 95)),
			ms(percentile(ds, 99)), ms(percentile(ds, 100)))
	}
	row("cold dashboard (Pforte)", durs)
	row("slowest upstream, same user", own)
	fmt.Fprintf(w, "errors: %d HTTP, %d client timeouts (%s), %d source blocks not ok, %d upstream errors on their own\n",
		httpErr, timeouts, in.timeout, srcErr, ownErrs)
	for _, s := range []string{"mail", "calendar", "files"} {
		fmt.Fprintf(w, "  %-8s block status: %v\n", s, srcStatus[s])
	}

	builds := float64(max(len(in.cold), 1))
	fmt.Fprintln(w, "what the upstreams saw per cold build (counting proxies):")
	var total float64
	for _, src := range []string{"imap", "caldav", "webdav"} {
		m := in.seen[src]
		var parts []string
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if k == "busy_us" {
				parts = append(parts, fmt.Sprintf("busy %.1f ms", float64(m[k])/1000/builds))
				continue
			}
			parts = append(parts, fmt.Sprintf("%s %.2f", k, float64(m[k])/builds))
		}
		req := float64(m["commands"])
		if src != "imap" {
			req = 0
			for k, v := range m {
				if k == strings.ToUpper(k) && k != "busy_us" {
					req += float64(v)
				}
			}
		}
		total += req
		fmt.Fprintf(w, "  %-7s %s\n", src, strings.Join(parts, ", "))
	}
	fmt.Fprintln(w, "CPU during the cold run (all processes, children included):")
	names := make([]string, 0, len(in.cpu))
	for k := range in.cpu {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		fmt.Fprintf(w, "  %-9s %6.2f s  %6.1f ms per build\n", k, float64(in.cpu[k])/100, float64(in.cpu[k])*10/builds)
	}
	fmt.Fprintf(w, "RESULT morning users=%d cold_p50_ms=%.1f cold_p95_ms=%.1f cold_p99_ms=%.1f slowest_upstream_p50_ms=%.1f slowest_upstream_p95_ms=%.1f upstream_req_per_build=%.2f imap_cmds_per_build=%.2f errors=%d timeouts=%d source_errors=%d\n",
		in.users, ms(percentile(durs, 50)), ms(percentile(durs, 95)), ms(percentile(durs, 99)),
		ms(percentile(own, 50)), ms(percentile(own, 95)), total/builds, float64(in.seen["imap"]["commands"])/builds,
		httpErr, timeouts, srcErr)
	return nil
}
