// Command faultkit is the helper of scripts/faults.sh.
//
//	faultkit sub HOST            print a valid PushSubscription.toJSON() (fresh P-256 key, 16-byte auth)
//	faultkit load [flags] URL... keep -c connections busy for -d, classify every outcome
//
// load prints one line per second ("t=3 ok=.. s503=.. ...") and a final "TOTAL" line with
// the same counters and the slowest answer. Outcomes: ok (2xx/304), s503, other (other status),
// timeout (no answer within -timeout), refused (connect refused: nobody listens), early
// (connection closed before any response byte: the keep-alive race at shutdown, which a
// browser retries) and cut (the connection broke after the status line: a response cut off
// mid-way; this must never happen).
package main

import (
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: faultkit sub HOST | faultkit load [flags] URL...")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "sub":
		sub(os.Args[2])
	case "load":
		load(os.Args[2:])
	default:
		fmt.Fprintln(os.Stderr, "faultkit: unknown command", os.Args[1])
		os.Exit(2)
	}
}

func sub(host string) {
	key, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	auth := make([]byte, 16)
	_, _ = rand.Read(auth)
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	b64 := base64.RawURLEncoding.EncodeToString
	_ = json.NewEncoder(os.Stdout).Encode(map[string]any{
		"endpoint":       "https://" + host + "/push/" + b64(id),
		"expirationTime": nil,
		"keys":           map[string]string{"p256dh": b64(key.PublicKey().Bytes()), "auth": b64(auth)},
	})
}

const (
	kOK = iota
	k503
	kOther
	kTimeout
	kRefused
	kEarly
	kCut
	nKinds
)

var names = [nKinds]string{"ok", "s503", "other", "timeout", "refused", "early", "cut"}

type counters struct {
	n     [nKinds]atomic.Int64
	maxMs atomic.Int64
}

func (c *counters) line() string {
	var b strings.Builder
	for i, name := range names {
		fmt.Fprintf(&b, "%s=%d ", name, c.n[i].Load())
	}
	fmt.Fprintf(&b, "max_ms=%d", c.maxMs.Load())
	return b.String()
}

func load(args []string) {
	fs := flag.NewFlagSet("load", flag.ExitOnError)
	conns := fs.Int("c", 16, "connections")
	dur := fs.Duration("d", 10*time.Second, "duration")
	timeout := fs.Duration("timeout", 3*time.Second, "per request")
	cookie := fs.String("cookie", "", "Cookie header")
	_ = fs.Parse(args)
	urls := fs.Args()
	tr := &http.Transport{MaxIdleConnsPerHost: *conns, DisableCompression: true}
	client := &http.Client{Transport: tr, Timeout: *timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var total counters
	var sec *counters = &counters{}
	var secMu sync.Mutex
	record := func(k int, d time.Duration) {
		total.n[k].Add(1)
		secMu.Lock()
		sec.n[k].Add(1)
		secMu.Unlock()
		ms := d.Milliseconds()
		for {
			m := total.maxMs.Load()
			if ms <= m || total.maxMs.CompareAndSwap(m, ms) {
				break
			}
		}
	}
	start := time.Now()
	deadline := start.Add(*dur)
	var wg sync.WaitGroup
	for i := 0; i < *conns; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := i; time.Now().Before(deadline); j++ {
				req, _ := http.NewRequest(http.MethodGet, urls[j%len(urls)], nil)
				if *cookie != "" {
					req.Header.Set("Cookie", *cookie)
				}
				t0 := time.Now()
				res, err := client.Do(req)
				if err != nil {
					record(classify(err), time.Since(t0))
					if classify(err) == kRefused {
						time.Sleep(50 * time.Millisecond)
					}
					continue
				}
				n, err := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				d := time.Since(t0)
				switch {
				case err != nil && isTimeout(err):
					record(kTimeout, d)
				case err != nil || (res.ContentLength >= 0 && n != res.ContentLength):
					record(kCut, d)
				case res.StatusCode < 300 || res.StatusCode == 304:
					record(kOK, d)
				case res.StatusCode == 503:
					record(k503, d)
				default:
					record(kOther, d)
				}
			}
		}(i)
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for t := 1; ; t++ {
		select {
		case <-done:
			fmt.Println("TOTAL", total.line())
			return
		case <-tick.C:
			secMu.Lock()
			old := sec
			sec = &counters{}
			secMu.Unlock()
			fmt.Printf("t=%d %s\n", t, strings.TrimSuffix(old.line(), " max_ms=0"))
		}
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func classify(err error) int {
	switch {
	case isTimeout(err):
		return kTimeout
	case errors.Is(err, syscall.ECONNREFUSED):
		return kRefused
	default:
		// The transport reports "EOF"/"connection reset" when the connection died
		// before the status line arrived (it retries idempotent requests once).
		return kEarly
	}
}
