// Package pushtest is a strict local stand-in for a browser vendor's push
// service (RFC 8030) for tests: it creates subscriptions with real receiver
// keys, checks every request's VAPID header (RFC 8292) and RFC 8030 headers,
// decrypts every message (RFC 8291) and refuses anything malformed the way
// a real service does. It is the only fake Pforte's tests allow.
package pushtest

import (
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/push"
)

// Options configure a Server.
type Options struct {
	// Fast skips the ES256 signature check and the decryption (messages are
	// counted, not recorded) so a benchmark measures the sender rather than
	// the receiver. Header checks stay on. Never use it in tests.
	Fast bool
	// HTTP2 lets clients use HTTP/2 (like FCM); otherwise HTTP/1.1 only.
	HTTP2 bool
	// Now is the service's clock for the JWT expiry; nil means time.Now.
	Now func() time.Time
}

// Message is one accepted message as the browser would see it.
type Message struct {
	Payload []byte
	// Body is the encrypted body as it arrived.
	Body    []byte
	TTL     int
	Urgency string
	Topic   string
	// ContentType is the media type of the payload the sender declared
	// ("application/notification+json" for Declarative Web Push).
	ContentType string
}

// Rejection is a refused request and the reason, for test failure messages.
type Rejection struct {
	Status int
	Reason string
}

// Server is the fake push service. Its methods are safe for concurrent use.
type Server struct {
	srv      *httptest.Server
	opts     Options
	accepted atomic.Int64

	mu       sync.Mutex
	subs     map[string]*receiver
	rejected []Rejection
}

// receiver is one subscription: the browser's keys and what it received.
type receiver struct {
	priv     *ecdh.PrivateKey
	auth     []byte
	appKey   string // applicationServerKey the subscription is bound to, or ""
	messages []Message
	attempts int
	script   []answer
}

// answer is a programmed response.
type answer struct {
	status     int
	retryAfter string
}

// New starts a TLS push service on 127.0.0.1. Close it when done.
func New(opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, subs: make(map[string]*receiver)}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.handle))
	s.srv.EnableHTTP2 = opts.HTTP2
	s.srv.StartTLS()
	return s
}

// NewServer starts a Server that is closed when the test ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := New(Options{})
	t.Cleanup(s.Close)
	return s
}

// Close stops the service.
func (s *Server) Close() { s.srv.Close() }

// Origin is the service's origin, the VAPID "aud" it expects.
func (s *Server) Origin() string { return s.srv.URL }

// Host is "127.0.0.1:port", for push.Validate's allowHosts.
func (s *Server) Host() string { return strings.TrimPrefix(s.srv.URL, "https://") }

// Client returns push.NewHTTPClient() trusting the service's certificate.
func (s *Server) Client() *http.Client {
	c := push.NewHTTPClient()
	tr := c.Transport.(*http.Transport)
	tr.TLSClientConfig = s.srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	return c
}

// CertificatePEM returns the service's self-signed TLS certificate, for
// clients in other processes (the benchmark's Node sender).
func (s *Server) CertificatePEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.srv.Certificate().Raw})
}

// NewSubscription creates a subscription the way PushManager.subscribe does:
// fresh receiver keys and an endpoint on this service. When
// applicationServerKey is not empty, messages signed with another VAPID key
// are refused with 403.
func (s *Server) NewSubscription(applicationServerKey string) push.Subscription {
	priv, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		panic("pushtest: " + err.Error()) // crypto/rand never fails on Linux
	}
	auth := make([]byte, 16)
	_, _ = rand.Read(auth)
	idRaw := make([]byte, 16)
	_, _ = rand.Read(idRaw)
	id := hex.EncodeToString(idRaw)
	s.mu.Lock()
	s.subs[id] = &receiver{priv: priv, auth: auth, appKey: applicationServerKey}
	s.mu.Unlock()
	enc := base64.RawURLEncoding
	return push.Subscription{
		Endpoint: s.srv.URL + "/push/" + id,
		Keys:     push.Keys{P256dh: enc.EncodeToString(priv.PublicKey().Bytes()), Auth: enc.EncodeToString(auth)},
	}
}

// ReceiverKeys returns the subscription's private ECDH key and auth secret,
// which only the browser knows (for independent decryption checks).
func (s *Server) ReceiverKeys(sub push.Subscription) (*ecdh.PrivateKey, []byte) {
	r := s.lookup(sub)
	if r == nil {
		return nil, nil
	}
	return r.priv, r.auth
}

// Answer makes the next times requests to sub get status (with Retry-After
// retryAfter when not empty) after they passed all checks; times < 0 means
// forever. Use it for 410, 429 and 500.
func (s *Server) Answer(sub push.Subscription, status, times int, retryAfter string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.subs[subID(sub.Endpoint)]
	if r == nil {
		return
	}
	if times < 0 {
		r.script = append(r.script, answer{status: -status, retryAfter: retryAfter})
		return
	}
	for range times {
		r.script = append(r.script, answer{status: status, retryAfter: retryAfter})
	}
}

// Messages returns the decrypted messages sub received, in order.
func (s *Server) Messages(sub push.Subscription) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.subs[subID(sub.Endpoint)]; r != nil {
		return append([]Message(nil), r.messages...)
	}
	return nil
}

// Attempts is how many requests for sub passed the checks (answered 201 or
// with a programmed status).
func (s *Server) Attempts(sub push.Subscription) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.subs[subID(sub.Endpoint)]; r != nil {
		return r.attempts
	}
	return 0
}

// Accepted is how many messages were accepted with 201, over all subscriptions.
func (s *Server) Accepted() int64 { return s.accepted.Load() }

// Rejections lists every refused request.
func (s *Server) Rejections() []Rejection {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Rejection(nil), s.rejected...)
}

func (s *Server) lookup(sub push.Subscription) *receiver {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.subs[subID(sub.Endpoint)]
}

func subID(endpoint string) string {
	_, id, _ := strings.Cut(endpoint, "/push/")
	return id
}
