package main

import (
	"bytes"
	"context"
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
	"sync/atomic"
	"time"
)

type config struct {
	addr, cookies, token  string
	streams, pid, dialers int
}

func drive(ctx context.Context, cfg config, w io.Writer) error {
	users, err := loadkit.ReadCookies(cfg.cookies)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// Other routes, all along: /healthz and a user's /api/announcements.
	var otherOK, otherErr atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		other(ctx, cfg.addr, users[0], &otherOK, &otherErr)
	}()

	rss0 := rssKB(cfg.pid)
	streams := make([]*stream, cfg.streams)
	var ready sync.WaitGroup
	sem := make(chan struct{}, cfg.dialers)
	t0 := time.Now()
	for i := range streams {
		u := users[i%len(users)]
		streams[i] = &stream{addr: cfg.addr, host: u.Key, cookie: u.Cookie}
		ready.Add(1)
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			streams[i].hold(ctx, func() { <-sem; ready.Done() })
		}()
	}
	ready.Wait()
	openTime := time.Since(t0)
	time.Sleep(2 * time.Second) // let the heap settle before reading memory
	rss1 := rssKB(cfg.pid)
	open := 0
	for _, s := range streams {
		if s.connected.Load() {
			open++
		}
	}

	// Publish one announcement per tenant, then wait for the streams that
	// were open at that moment.
	hosts := map[string]bool{}
	for _, u := range users {
		hosts[u.Key] = true
	}
	var openAt []*stream
	for _, s := range streams {
		if s.connected.Load() {
			openAt = append(openAt, s)
		}
	}
	pub := time.Now()
	for h := range hosts {
		if err := publish(ctx, cfg.addr, h, cfg.token); err != nil {
			return err
		}
	}
	deadline := time.Now().Add(15 * time.Second)
	var lat []time.Duration
	for {
		lat = lat[:0]
		for _, s := range openAt {
			if g := s.got.Load(); g != 0 {
				lat = append(lat, time.Duration(g-pub.UnixNano()))
			}
		}
		if len(lat) == len(openAt) || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	wg.Wait()

	var refused int64
	for _, s := range streams {
		refused += s.refused.Load()
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return -1
		}
		return float64(lat[max(int(math.Ceil(p/100*float64(len(lat))))-1, 0)].Microseconds()) / 1000
	}
	// p99 of all streams open at publish: a stream that never got it counts as slowest.
	p99 := pct(99)
	if float64(len(lat)) < 0.99*float64(len(openAt)) {
		p99 = -1
	}
	kb := float64(rss1-rss0) / float64(max(open, 1))
	fmt.Fprintf(w, "%d streams over %d users and %d tenants, opened in %.1f s; %d open at publish\n",
		cfg.streams, len(users), len(hosts), openTime.Seconds(), len(openAt))
	fmt.Fprintf(w, "Pforte RSS %d KB before, %d KB with the streams open: %.1f KB per stream (goal <= 10)\n", rss0, rss1, kb)
	fmt.Fprintf(w, "delivered to %d of %d: p50 %.1f ms, p99 %.1f ms, max %.1f ms (goal p99 <= 1000; -1: not 99 %% delivered)\n",
		len(lat), len(openAt), pct(50), p99, pct(100))
	fmt.Fprintf(w, "other routes meanwhile: %d ok, %d errors; stream connects refused or failed: %d\n",
		otherOK.Load(), otherErr.Load(), refused)
	fmt.Fprintf(w, "RESULT sse streams=%d open=%d kb_per_stream=%.1f deliver_p50_ms=%.1f deliver_p99_ms=%.1f delivered=%d errors=%d stream_refused=%d\n",
		cfg.streams, len(openAt), kb, pct(50), p99, len(lat), otherErr.Load(), refused)
	return nil
}

func rssKB(pid int) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			v, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return v
		}
	}
	return 0
}

func publish(ctx context.Context, addr, host, token string) error {
	body := []byte(`{"title":"Lastprobe: Störung Telefonanlage","body":"Bitte nutzen Sie vorübergehend die Mobilnummern.","severity":"warning"}`)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+"/api/announcements", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Host = host
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		b, _ := io.ReadAll(res.Body)
		return fmt.Errorf("publish on %s: %d %s", host, res.StatusCode, b)
	}
	return nil
}

// other requests /healthz and /api/announcements in turn until ctx ends.
func other(ctx context.Context, addr string, u loadkit.Signed, ok, bad *atomic.Int64) {
	hc := &http.Client{Timeout: 5 * time.Second}
	for i := 0; ctx.Err() == nil; i++ {
		path := "/healthz"
		if i%2 == 1 {
			path = "/api/announcements"
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+path, nil)
		req.Host = u.Key
		req.Header.Set("Cookie", u.Cookie)
		res, err := hc.Do(req)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			bad.Add(1)
		default:
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				ok.Add(1)
			} else {
				bad.Add(1)
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
}
