package push

import (
	"crypto/ecdh"
	"crypto/rand"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// The cost of the pieces of one push, without HTTP. Besides ns/op (wall
// time, inflated on a busy machine) each reports cpu-µs/op, the thread's own
// CPU time, which other processes on the machine disturb far less.

const rusageThread = 1 // RUSAGE_THREAD (Linux)

func threadCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(rusageThread, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loopCPU runs fn b.N times on one OS thread and reports its CPU time per op.
func loopCPU(b *testing.B, fn func() error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ResetTimer()
	start := threadCPU()
	for range b.N {
		if err := fn(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((threadCPU()-start).Nanoseconds())/1e3/float64(b.N), "cpu-µs/op")
}

func benchReceiver(b *testing.B) (*ecdh.PublicKey, []byte) {
	priv, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	auth := make([]byte, 16)
	_, _ = rand.Read(auth)
	return priv.PublicKey(), auth
}

func BenchmarkEncrypt(b *testing.B) {
	ua, auth := benchReceiver(b)
	payload := make([]byte, 200)
	for _, c := range []struct {
		name string
		pad  int
	}{{"pad-none", -1}, {"pad-256", 256}, {"pad-4096", MaxPayload + 1}} {
		b.Run(c.name, func(b *testing.B) {
			loopCPU(b, func() error {
				_, err := encrypt(rand.Reader, payload, ua, auth, c.pad)
				return err
			})
		})
	}
}

func BenchmarkVAPIDHeader(b *testing.B) {
	keys, err := GenerateVAPIDKeys()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("cached", func(b *testing.B) {
		v := newVAPIDAuth(keys, "mailto:it@example.org", time.Now)
		loopCPU(b, func() error { _, err := v.header("https://fcm.googleapis.com"); return err })
	})
	b.Run("sign-every-push", func(b *testing.B) {
		v := newVAPIDAuth(keys, "mailto:it@example.org", time.Now)
		v.signEach = true
		loopCPU(b, func() error { _, err := v.header("https://fcm.googleapis.com"); return err })
	})
}

func BenchmarkParseReceiverKey(b *testing.B) {
	keys, _ := GenerateVAPIDKeys()
	p := keys.PublicKey()
	loopCPU(b, func() error { _, err := parseP256Point(p); return err })
}
