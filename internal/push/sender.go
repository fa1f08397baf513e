package push

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults of Config.
const (
	defaultPadBlock    = 256
	defaultMaxAttempts = 5
	defaultBaseDelay   = time.Second
	defaultMaxDelay    = 5 * time.Minute
	// maxDrain is how much of a response body is read so the connection can
	// be reused; push services answer with a few hundred bytes at most.
	maxDrain  = 64 << 10
	maxDetail = 256
)

// Config configures a Sender. Keys and Subject are required.
type Config struct {
	// Keys is the VAPID key pair.
	Keys *VAPIDKeys
	// Subject is the contact push services may use: a bare e-mail address,
	// a "mailto:" URI or an "https:" URL.
	Subject string
	// Client sends the requests; nil means NewHTTPClient().
	Client *http.Client
	// PadBlock rounds encrypted payloads up to a multiple of this many bytes
	// so their length reveals less (0: 256 bytes; negative: no padding).
	PadBlock int
	// MaxAttempts is how often Deliver tries one message (0: 5).
	MaxAttempts int
	// BaseDelay is Deliver's first backoff, doubled per attempt (0: 1 s).
	BaseDelay time.Duration
	// MaxDelay caps the backoff; a Retry-After longer than this ends the
	// attempts (0: 5 min).
	MaxDelay time.Duration
	// Now and Sleep are the clock; nil means the real one. Sleep must return
	// ctx.Err() early when ctx is done.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// Sender encrypts and sends Web Push messages. Build one at start and share
// it: it caches one signed VAPID header per push service origin and reuses
// connections. It is safe for concurrent use.
type Sender struct {
	cfg    Config
	client *http.Client
	auth   *vapidAuth
}

// NewSender validates cfg and fills in the defaults.
func NewSender(cfg Config) (*Sender, error) {
	if cfg.Keys == nil {
		return nil, errors.New("push: new sender: VAPID keys missing")
	}
	subject, err := normalizeSubject(cfg.Subject)
	if err != nil {
		return nil, err
	}
	if cfg.PadBlock == 0 {
		cfg.PadBlock = defaultPadBlock
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = defaultMaxAttempts
	}
	if cfg.BaseDelay <= 0 {
		cfg.BaseDelay = defaultBaseDelay
	}
	if cfg.MaxDelay <= 0 {
		cfg.MaxDelay = defaultMaxDelay
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	client := cfg.Client
	if client == nil {
		client = NewHTTPClient()
	}
	return &Sender{cfg: cfg, client: client, auth: newVAPIDAuth(cfg.Keys, subject, cfg.Now)}, nil
}

// NewHTTPClient returns a client for push services: bounded timeouts, many
// idle connections per host (a few push services receive all messages), the
// environment's proxy, and no redirects (a push service never redirects; an
// endpoint that does must not steer the server elsewhere).
func NewHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 64
	t.IdleConnTimeout = 90 * time.Second
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = 30 * time.Second
	return &http.Client{
		Transport:     t,
		Timeout:       60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func normalizeSubject(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(s, "https://"):
		if u, err := url.Parse(s); err != nil || u.Host == "" {
			return "", errors.New("push: new sender: subject must be an https URL or an e-mail address")
		}
		return s, nil
	case strings.HasPrefix(s, "mailto:"):
		s = strings.TrimPrefix(s, "mailto:")
	}
	if at := strings.IndexByte(s, '@'); at <= 0 || at == len(s)-1 || strings.ContainsAny(s, " <>,") {
		return "", errors.New("push: new sender: subject must be an https URL or an e-mail address")
	}
	return "mailto:" + s, nil
}

// PublicKey is the VAPID public key for the page (applicationServerKey).
func (s *Sender) PublicKey() string { return s.cfg.Keys.PublicKey() }

// Send encrypts payload for sub and posts it once. HTTP answers are reported
// in the Result; the error is non-nil only when no answer was received (bad
// subscription keys, options or payload, or a network error), and then
// Result.Outcome says whether a retry may help.
func (s *Sender) Send(ctx context.Context, sub Subscription, payload []byte, opts Options) (Result, error) {
	res := Result{Attempts: 1, Outcome: OutcomeFailed}
	req, err := s.newRequest(ctx, sub, payload, opts)
	if err != nil {
		res.Err = err
		return res, err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			res.Outcome = OutcomeRetry
		}
		res.Err = fmt.Errorf("push: send: %w", err)
		return res, res.Err
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, maxDetail))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrain))

	res.Status = resp.StatusCode
	res.Outcome = classify(resp.StatusCode)
	res.Gone = res.Outcome == OutcomeGone
	res.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), s.cfg.Now())
	if res.Outcome != OutcomeDelivered {
		res.Err = fmt.Errorf("push: send: %s answered %d: %s", req.URL.Host, resp.StatusCode, bytes.TrimSpace(head))
	}
	return res, nil
}

func (s *Sender) newRequest(ctx context.Context, sub Subscription, payload []byte, opts Options) (*http.Request, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	u, err := url.Parse(sub.Endpoint)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
		return nil, fieldErr("endpoint", "must be an https URL")
	}
	ua, err := parseP256Point(sub.Keys.P256dh)
	if err != nil {
		return nil, fieldErr("keys.p256dh", err.Error())
	}
	authSecret, err := decodeBase64(sub.Keys.Auth)
	if err != nil || len(authSecret) != 16 {
		return nil, fieldErr("keys.auth", "must be 16 bytes, base64url")
	}
	body, err := encrypt(rand.Reader, payload, ua, authSecret, s.cfg.PadBlock)
	if err != nil {
		return nil, err
	}
	authz, err := s.auth.header(u.Scheme + "://" + u.Host)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sub.Endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("push: send: %w", err)
	}
	h := req.Header
	h["Authorization"] = []string{authz}
	h["Content-Encoding"] = []string{"aes128gcm"}
	h["Content-Type"] = []string{"application/octet-stream"}
	if opts.ContentType != "" {
		h["Content-Type"] = []string{opts.ContentType}
	}
	h["Ttl"] = []string{opts.ttlHeader()}
	if opts.Urgency != "" {
		h["Urgency"] = []string{string(opts.Urgency)}
	}
	if opts.Topic != "" {
		h["Topic"] = []string{opts.Topic}
	}
	return req, nil
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
