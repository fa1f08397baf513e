package files

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// stalledServer accepts connections and never answers, like a hung backend.
func stalledServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String() + "/remote.php/dav/files/{user}/"
}

// closedPort returns a URL on a port nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr + "/dav/{user}/"
}

func TestFetchErrorKinds(t *testing.T) {
	type errCase struct {
		name string
		url  string
		cred upstream.Credential
		want upstream.Kind
	}
	var tests []errCase
	for _, s := range davServers(t) {
		_, alice := s.sandbox(t, "alice")
		tests = append(tests,
			errCase{s.Name + "/wrong password", alice, upstream.Credential{Username: "alice", Password: "wrong-pw"}, upstream.KindAuth},
			errCase{s.Name + "/unknown user", s.URL, upstream.Credential{Username: "mallory", Password: "alice-pw"}, upstream.KindAuth},
			errCase{s.Name + "/other user's password", alice, upstream.Credential{Username: "alice", Password: s.Passwords["bob"]}, upstream.KindAuth},
			errCase{s.Name + "/no credential yet", alice, upstream.Credential{Username: "alice"}, upstream.KindNotSetUp},
			errCase{s.Name + "/user name leaving the folder", s.URL, upstream.Credential{Username: "alice/../bob", Password: "alice-pw"}, upstream.KindNotSetUp})
		if s.Name == "apache" { // rclone lets every user read every folder
			tests = append(tests, errCase{s.Name + "/other user's folder", strings.ReplaceAll(alice, "{user}", "alice"),
				upstream.Credential{Username: "bob", Password: s.Passwords["bob"]}, upstream.KindAuth})
		}
	}
	tests = append(tests,
		errCase{"stalled server", stalledServer(t), upstream.Credential{Username: "alice", Password: "secret-pw"}, upstream.KindTimeout},
		errCase{"closed port", closedPort(t), upstream.Credential{Username: "alice", Password: "secret-pw"}, upstream.KindUnreachable})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(Options{URL: tt.url})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			files, err := c.Fetch(ctx, tt.cred)
			if err == nil || files != nil {
				t.Fatalf("Fetch = %v, %v; want an error", files, err)
			}
			t.Log(err)
			if got := upstream.KindOf(err); got != tt.want {
				t.Errorf("kind %q (%v), want %q", got, err, tt.want)
			}
			if ue, ok := err.(*upstream.Error); !ok || ue.Source != "files" {
				t.Errorf("err %T %v is not an upstream error from files", err, err)
			}
			if tt.cred.Password != "" && strings.Contains(err.Error(), tt.cred.Password) {
				t.Errorf("error message reveals the password: %v", err)
			}
		})
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	for _, o := range []Options{
		{URL: ""},
		{URL: "ftp://files.example/{user}/"},
		{URL: "/remote.php/dav/files/{user}/"},
		{URL: "https://cloud.example/remote.php/dav/files/{user}/", WebURL: "javascript:alert(1)//{path}"},
		{URL: "https://cloud.example/remote.php/dav/files/{user}/", Limit: -1},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("New(%+v) accepted bad options", o)
		}
	}
}
