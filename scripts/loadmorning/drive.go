package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"gitlab.opencode.de/pforte/pforte/scripts/loadkit"
	"io"
	"math"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// coldResult is one user's cold dashboard as the browser would see it.
type coldResult struct {
	dur     time.Duration
	status  int
	err     error
	sources map[string]string // mail/calendar/files -> ok, error:<kind>
}

// runDrive opens each user's dashboard once, the start times spread so the
// rate ramps up linearly over -ramp (user i starts at ramp·sqrt(i/N)), then
// measures the same users' upstreams on their own at the same ramp.
func runDrive(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("drive", flag.ContinueOnError)
	base := fs.String("base", "", "Pforte's base URL")
	cookies := fs.String("cookies", "", "file of USER<TAB>COOKIE lines")
	counts := fs.String("counts", "", "the counting proxies' /counts URL")
	ramp := fs.Duration("ramp", 60*time.Second, "time over which the users arrive")
	timeout := fs.Duration("timeout", 30*time.Second, "client timeout per dashboard")
	pids := fs.String("pids", "", "NAME=PID,… processes whose CPU time to report")
	var up upstreams
	fs.StringVar(&up.imap, "imap", "", "IMAP host:port (the counting proxy)")
	fs.StringVar(&up.caldav, "caldav", "", "calendar URL with {user} (through the proxy)")
	fs.StringVar(&up.webdav, "webdav", "", "files URL with {user} (through the proxy)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	users, err := loadkit.ReadCookies(*cookies)
	if err != nil {
		return err
	}
	procs, err := parsePIDs(*pids)
	if err != nil {
		return err
	}
	n := len(users)
	if _, err := fetchCounts(*counts, true); err != nil {
		return err
	}

	cpu0 := cpuTimes(procs)
	hc := &http.Client{Timeout: *timeout, Transport: &http.Transport{MaxIdleConnsPerHost: 512}}
	cold := make([]coldResult, n)
	t0 := time.Now()
	rampDo(ctx, n, *ramp, func(i int) { cold[i] = openDashboard(ctx, hc, *base, users[i].Cookie) })
	wall := time.Since(t0)
	cpu1 := cpuTimes(procs)
	seen, err := fetchCounts(*counts, true)
	if err != nil {
		return err
	}

	up.hc = &http.Client{Timeout: *timeout, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	own := make([]time.Duration, n)
	ownErr := make([]error, n)
	rampDo(ctx, n, *ramp, func(i int) { own[i], ownErr[i] = up.slowest(ctx, users[i].Key) })

	return report(stdout, reportInput{users: n, wall: wall, cold: cold, own: own, ownErr: ownErr,
		seen: seen, cpu: diffCPU(cpu0, cpu1), timeout: *timeout})
}

// rampDo calls f(i) for i in [0,n) at ramp·sqrt(i/n) after the start, each
// in its own goroutine, and waits for all.
func rampDo(ctx context.Context, n int, ramp time.Duration, f func(int)) {
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		at := start.Add(time.Duration(float64(ramp) * math.Sqrt(float64(i)/float64(n))))
		select {
		case <-ctx.Done():
			wg.Wait()
			return
		case <-time.After(time.Until(at)):
		}
		wg.Add(1)
		go func() { defer wg.Done(); f(i) }()
	}
	wg.Wait()
}

func openDashboard(ctx context.Context, hc *http.Client, base, cookie string) coldResult {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/dashboard", nil)
	if err != nil {
		return coldResult{err: err}
	}
	req.Header.Set("Cookie", cookie)
	t := time.Now()
	res, err := hc.Do(req)
	if err != nil {
		return coldResult{dur: time.Since(t), err: err}
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	r := coldResult{dur: time.Since(t), status: res.StatusCode, err: err}
	if err == nil && res.StatusCode == http.StatusOK {
		var raw map[string]json.RawMessage
		if json.Unmarshal(body, &raw) == nil {
			r.sources = map[string]string{}
			for _, s := range []string{"mail", "calendar", "files"} {
				var b struct {
					Status    string `json:"status"`
					ErrorKind string `json:"error_kind"`
				}
				_ = json.Unmarshal(raw[s], &b)
				r.sources[s] = b.Status
				if b.ErrorKind != "" {
					r.sources[s] += ":" + b.ErrorKind
				}
			}
		}
	}
	return r
}

func fetchCounts(u string, reset bool) (map[string]map[string]int64, error) {
	if reset {
		u += "?reset=1"
	}
	res, err := http.Get(u) //nolint:gosec // a 127.0.0.1 URL the script passes
	if err != nil {
		return nil, fmt.Errorf("drive: counts: %w", err)
	}
	defer res.Body.Close()
	var out map[string]map[string]int64
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("drive: counts: %w", err)
	}
	return out, nil
}

type proc struct {
	name string
	pid  int
}

func parsePIDs(s string) ([]proc, error) {
	var out []proc
	for _, kv := range strings.Split(s, ",") {
		if kv == "" {
			continue
		}
		name, p, ok := strings.Cut(kv, "=")
		pid, err := strconv.Atoi(p)
		if !ok || err != nil {
			return nil, fmt.Errorf("drive: -pids: %q is not NAME=PID", kv)
		}
		out = append(out, proc{name, pid})
	}
	return out, nil
}

// cpuTimes reads each process's CPU time in clock ticks, its reaped
// children's included (Dovecot runs a process per IMAP connection).
func cpuTimes(procs []proc) map[string]int64 {
	out := map[string]int64{}
	for _, p := range procs {
		raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.pid))
		if err != nil {
			continue
		}
		// Fields after the command name (which may hold spaces) start at state.
		f := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+2:]))
		var sum int64
		for _, i := range []int{11, 12, 13, 14} { // utime stime cutime cstime
			v, _ := strconv.ParseInt(f[i], 10, 64)
			sum += v
		}
		out[p.name] = sum
	}
	return out
}

func diffCPU(a, b map[string]int64) map[string]int64 {
	out := map[string]int64{}
	for k, v := range b {
		out[k] = v - a[k]
	}
	return out
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[max(i, 0)]
}
