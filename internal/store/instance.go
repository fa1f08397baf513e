package store

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"strconv"
)

// NewInstanceID names this process in leases and claims kept in the store
// (host, process id and a random part, so a restarted process is another
// instance): which instance holds work shows in the store, and a lease
// taken over is told apart from its own.
func NewInstanceID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return host + "-" + strconv.Itoa(os.Getpid()) + "-" + hex.EncodeToString(b)
}
