package logbuf

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// An idle instance's line reaches the log at once: nothing waits for a
// timer, a full buffer or Close.
func TestLineArrivesWithoutClose(t *testing.T) {
	pr, pw := io.Pipe()
	w := New(pw)
	t.Cleanup(func() { _ = pr.Close(); _ = w.Close() })
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(pr).ReadString('\n')
		got <- line
	}()
	fmt.Fprintln(w, `{"msg":"listening"}`)
	select {
	case line := <-got:
		if line != "{\"msg\":\"listening\"}\n" {
			t.Fatalf("the log reader got %q", line)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a logged line never reached the log without Close")
	}
}

// Lines from many goroutines come out whole, each once, each writer's in
// its order; and while the output is busy they gather into few writes.
func TestLinesWholeInOrderAndBatched(t *testing.T) {
	out := &gate{release: make(chan struct{}), entered: make(chan struct{}, 1)}
	w := New(out)
	fmt.Fprintln(w, "first") // the flusher takes it and waits at the gate
	out.waitEntered(t)
	const writers, lines = 8, 500
	var wg sync.WaitGroup
	for g := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range lines {
				fmt.Fprintf(w, "writer %d line %d %s\n", g, i, strings.Repeat("x", i%50))
			}
		}()
	}
	wg.Wait() // all queued while the output was busy
	close(out.release)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	next := make([]int, writers)
	sc := bufio.NewScanner(bytes.NewReader(out.buf.Bytes()))
	sc.Scan()
	if sc.Text() != "first" {
		t.Fatalf("first line %q", sc.Text())
	}
	n := 0
	for sc.Scan() {
		var g, i int
		head, pad, _ := strings.Cut(sc.Text()[len("writer 0 line "):], " ")
		if _, err := fmt.Sscanf(sc.Text(), "writer %d line %d", &g, &i); err != nil || head != fmt.Sprint(i) {
			t.Fatalf("broken line %q: %v", sc.Text(), err)
		}
		if g < 0 || g >= writers || i != next[g] || len(pad) != i%50 {
			t.Fatalf("line %q out of order or cut (want line %d of writer %d)", sc.Text(), next[g], g)
		}
		next[g]++
		n++
	}
	if n != writers*lines {
		t.Fatalf("%d lines came out, want %d", n, writers*lines)
	}
	// 4,000 lines queued behind one busy write: a few writes, not 4,000.
	if out.writes > 3 {
		t.Errorf("%d writes for %d lines queued while the output was busy, want them batched (≤ 3)", out.writes, n+1)
	}
}

// Past maxPending the writer writes itself: a stalled log reader slows
// the writers, nothing is dropped and order holds.
func TestBackpressureKeepsEveryLine(t *testing.T) {
	out := &gate{release: make(chan struct{}), entered: make(chan struct{}, 1)}
	w := New(out)
	fmt.Fprintln(w, "first")
	out.waitEntered(t)
	line := strings.Repeat("y", 1023) + "\n"
	const n = 3 * maxPending / 1024
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range n {
			_, _ = io.WriteString(w, line)
		}
	}()
	close(out.release)
	<-done
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if want := len("first\n") + n*len(line); out.buf.Len() != want {
		t.Fatalf("%d bytes came out, want %d", out.buf.Len(), want)
	}
	if _, err := w.Write([]byte("after close\n")); err != nil || !strings.HasSuffix(out.buf.String(), "after close\n") {
		t.Fatalf("a write after Close: %v; it must go straight out", err)
	}
}

// gate is an output whose first write waits until release is closed.
type gate struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	writes  int
	entered chan struct{}
	release chan struct{}
}

// waitEntered waits for the flusher to reach the gate on its own.
func (g *gate) waitEntered(t *testing.T) {
	t.Helper()
	select {
	case <-g.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the flusher never wrote the first line")
	}
}

func (g *gate) Write(p []byte) (int, error) {
	select {
	case g.entered <- struct{}{}:
		<-g.release
	default:
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.writes++
	return g.buf.Write(p)
}
