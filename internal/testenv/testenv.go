// Package testenv gives tests the addresses of the real servers that
// scripts/stack.sh started, and decides what happens when one is missing.
package testenv

import (
	"net"
	"os"
	"os/exec"
	"testing"
)

// Server returns the value of the environment variable name, which
// scripts/stack.sh exports for a running server (for example
// PFORTE_TEST_REDIS_URL). When it is unset the test is skipped on a
// developer's machine but fails under the README's test command
// (PFORTE_TEST_REQUIRE=1), so CI never passes by skipping.
func Server(t testing.TB, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v != "" {
		return v
	}
	if os.Getenv("PFORTE_TEST_REQUIRE") != "" || os.Getenv("CI") != "" {
		t.Fatalf("%s is not set: start the test stack with scripts/test.sh (or scripts/stack.sh up DIR)", name)
	}
	t.Skipf("%s is not set; run scripts/test.sh to start the real servers", name)
	return ""
}

// Binary returns the path of an executable the test stack installs (for
// tests that start their own private server, e.g. to stop and restart it).
// Missing: skip locally, fail under the test command.
func Binary(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("PFORTE_TEST_REQUIRE") != "" || os.Getenv("CI") != "" {
		t.Fatalf("%s not found: scripts/stack.sh install installs it", name)
	}
	t.Skipf("%s not found; run scripts/test.sh", name)
	return ""
}

// FreePort returns a TCP port on 127.0.0.1 that is free right now.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
