package pushtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// maxBody is the largest message a push service must accept (RFC 8291 §4).
const maxBody = 4096

// httpError is a refusal with the status a real push service would send.
type httpError struct {
	status int
	reason string
}

func refuse(status int, format string, args ...any) *httpError {
	return &httpError{status: status, reason: fmt.Sprintf(format, args...)}
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	msg, rcv, herr := s.check(r)
	if herr != nil {
		s.mu.Lock()
		s.rejected = append(s.rejected, Rejection{Status: herr.status, Reason: herr.reason})
		s.mu.Unlock()
		http.Error(w, herr.reason, herr.status)
		return
	}
	s.mu.Lock()
	rcv.attempts++
	var next answer
	if len(rcv.script) > 0 {
		next = rcv.script[0]
		if next.status > 0 {
			rcv.script = rcv.script[1:]
		}
	}
	if next.status == 0 && !s.opts.Fast {
		rcv.messages = append(rcv.messages, msg)
	}
	s.mu.Unlock()
	if status := max(next.status, -next.status); status != 0 {
		if next.retryAfter != "" {
			w.Header().Set("Retry-After", next.retryAfter)
		}
		http.Error(w, "programmed answer", status)
		return
	}
	n := s.accepted.Add(1)
	w.Header().Set("Location", s.srv.URL+"/message/"+strconv.FormatInt(n, 10))
	w.WriteHeader(http.StatusCreated)
}

// check applies the rules of RFC 8030, 8291 and 8292 to one request.
func (s *Server) check(r *http.Request) (Message, *receiver, *httpError) {
	var msg Message
	if r.Method != http.MethodPost {
		return msg, nil, refuse(http.StatusMethodNotAllowed, "method %s not allowed", r.Method)
	}
	s.mu.Lock()
	rcv := s.subs[subID(r.URL.Path)]
	s.mu.Unlock()
	if rcv == nil {
		return msg, nil, refuse(http.StatusNotFound, "no such subscription")
	}
	if herr := s.checkVAPID(r.Header.Get("Authorization"), rcv.appKey); herr != nil {
		return msg, nil, herr
	}
	ttl, err := strconv.Atoi(r.Header.Get("TTL"))
	if err != nil || ttl < 0 {
		return msg, nil, refuse(http.StatusBadRequest, "TTL header missing or not a non-negative integer")
	}
	msg.TTL = ttl
	msg.ContentType = r.Header.Get("Content-Type")
	if vals := r.Header.Values("Urgency"); len(vals) > 0 {
		switch msg.Urgency = vals[0]; msg.Urgency {
		case "very-low", "low", "normal", "high":
		default:
			return msg, nil, refuse(http.StatusBadRequest, "invalid Urgency %q", msg.Urgency)
		}
	}
	if vals := r.Header.Values("Topic"); len(vals) > 0 {
		msg.Topic = vals[0]
		if !validTopic(msg.Topic) {
			return msg, nil, refuse(http.StatusBadRequest, "invalid Topic %q", msg.Topic)
		}
	}
	if ce := r.Header.Get("Content-Encoding"); ce != "aes128gcm" {
		return msg, nil, refuse(http.StatusUnsupportedMediaType, "Content-Encoding must be aes128gcm, is %q", ce)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return msg, nil, refuse(http.StatusBadRequest, "reading body: %v", err)
	}
	if len(body) > maxBody {
		return msg, nil, refuse(http.StatusRequestEntityTooLarge, "body larger than %d bytes", maxBody)
	}
	if s.opts.Fast {
		return msg, rcv, nil
	}
	msg.Body = body
	msg.Payload, err = Decrypt(body, rcv.priv, rcv.auth)
	if err != nil {
		return msg, nil, refuse(http.StatusBadRequest, "cannot decrypt: %v", err)
	}
	return msg, rcv, nil
}

// checkVAPID verifies "vapid t=JWT, k=KEY" (RFC 8292 §3): an ES256 JWT signed
// by k, aud this origin, exp in the future and at most 24 hours away, sub a
// mailto: or https: contact.
func (s *Server) checkVAPID(header, appKey string) *httpError {
	scheme, params, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "vapid") {
		return refuse(http.StatusUnauthorized, "Authorization must use the vapid scheme")
	}
	var token, key string
	for p := range strings.SplitSeq(params, ",") {
		name, val, _ := strings.Cut(strings.TrimSpace(p), "=")
		switch name {
		case "t":
			token = val
		case "k":
			key = val
		}
	}
	if token == "" || key == "" {
		return refuse(http.StatusUnauthorized, "vapid t= or k= missing")
	}
	if appKey != "" && key != appKey {
		return refuse(http.StatusForbidden, "VAPID key differs from the subscription's applicationServerKey")
	}
	if s.opts.Fast {
		return nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(key)
	if err != nil {
		return refuse(http.StatusUnauthorized, "k is not unpadded base64url")
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), raw)
	if err != nil {
		return refuse(http.StatusUnauthorized, "k is not a P-256 public key: %v", err)
	}
	now := s.opts.Now()
	claims := jwt.MapClaims{}
	_, err = jwt.ParseWithClaims(token, claims, func(*jwt.Token) (any, error) { return pub, nil },
		jwt.WithValidMethods([]string{"ES256"}), jwt.WithAudience(s.Origin()),
		jwt.WithExpirationRequired(), jwt.WithTimeFunc(func() time.Time { return now }))
	if err != nil {
		return refuse(http.StatusUnauthorized, "invalid VAPID JWT: %v", err)
	}
	exp, err := claims.GetExpirationTime()
	if err != nil || exp.After(now.Add(24*time.Hour)) {
		return refuse(http.StatusUnauthorized, "VAPID JWT exp more than 24 hours ahead")
	}
	sub, _ := claims["sub"].(string)
	if !strings.HasPrefix(sub, "mailto:") && !strings.HasPrefix(sub, "https:") {
		return refuse(http.StatusUnauthorized, "VAPID JWT sub must be a mailto: or https: URI, is %q", sub)
	}
	return nil
}

// validTopic: at most 32 characters of the base64url alphabet (RFC 8030 §5.4).
func validTopic(t string) bool {
	if t == "" || len(t) > 32 {
		return false
	}
	for _, c := range []byte(t) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
