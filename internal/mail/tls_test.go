package mail

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// tlsFront terminates TLS on 127.0.0.1 and passes the bytes on to backend,
// the way a TLS proxy sits in front of many mail servers. The stack's
// Dovecot runs with ssl = no (STACK.md), so this is how implicit TLS meets
// a real IMAP server here. It returns its address and the pool that trusts
// its certificate.
func tlsFront(t *testing.T, backend string) (string, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "imap test"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			front, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer front.Close()
				back, err := net.Dial("tcp", backend)
				if err != nil {
					return
				}
				defer back.Close()
				go func() { _, _ = io.Copy(back, front); _ = back.Close() }()
				_, _ = io.Copy(front, back)
			}()
		}
	}()
	t.Cleanup(func() { _ = ln.Close(); wg.Wait() })
	return ln.Addr().String(), roots
}

func TestFetchOverImplicitTLS(t *testing.T) {
	t.Parallel()
	cred := freshMailbox(t)
	seed(t, cred, mail{From: "Ordnungsamt <ordnung@stadt.example>", Subject: "Verschlüsselt",
		Date: time.Now(), Received: time.Now()})
	addr, roots := tlsFront(t, imapAddr(t))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	c, err := New(Options{Addr: addr, TLSConfig: &tls.Config{RootCAs: roots}}) // TLS defaults to implicit
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Fetch(ctx, cred)
	if err != nil {
		t.Fatal(err)
	}
	if got.Unread != 1 || len(got.Messages) != 1 || got.Messages[0].Subject != "Verschlüsselt" {
		t.Errorf("over TLS: got %+v, want the one unread message", got)
	}

	t.Run("untrusted certificate", func(t *testing.T) {
		c, err := New(Options{Addr: addr, TLS: TLSImplicit})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Fetch(ctx, cred)
		wantKind(t, err, upstream.KindUnreachable)
	})
}
