package web

import (
	"math"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/ratelimit"
)

// The limits and their figures are in ratelimit (limits.go); a store
// outage fails open (rateLimit).

// limitSignIn counts sign-in requests per client IP.
func (s *Server) limitSignIn(c *fiber.Ctx) error {
	if err := s.rateLimit(c, ratelimit.SignIn, clientIP(c, s.proxies)); err != nil {
		return err
	}
	return c.Next()
}

// limitAPIToken counts requests that carry a bearer token on
// /api/announcements: per token name when it is valid, per client IP when
// it is not (a guessing client gets 429 instead of 401 once over the limit).
// Requests without a token are the signed-in browser's and pass.
func (s *Server) limitAPIToken(c *fiber.Ctx) error {
	name, sent, ok := apiToken(c, tenantOf(c).APITokens)
	switch {
	case !sent:
	case ok:
		if err := s.rateLimit(c, ratelimit.APIToken, name); err != nil {
			return err
		}
	default:
		if err := s.rateLimit(c, ratelimit.APITokenFailure, clientIP(c, s.proxies)); err != nil {
			return err
		}
	}
	return c.Next()
}

// limitPushSubscribe counts push subscriptions per signed-in user; it runs
// after requireUser.
func (s *Server) limitPushSubscribe(c *fiber.Ctx) error {
	if err := s.rateLimit(c, ratelimit.PushSubscribe, userOf(c).Subject); err != nil {
		return err
	}
	return c.Next()
}

// rateLimit counts one request under l for key and returns a 429 error with
// Retry-After once the limit is reached. When the store cannot count, it
// lets the request pass (fails open, see docs/security.md): a store outage
// must not lock a whole city out, and the handlers behind answer 503 on
// their own when they need the store.
func (s *Server) rateLimit(c *fiber.Ctx, l ratelimit.Limit, key string) error {
	res, err := ratelimit.Allow(c.UserContext(), s.tenantStore(c), l, key, s.Now())
	if err != nil {
		s.Logger.Warn("rate limit not counted", "limit", l.Name, "request_id", c.Locals(localRequestID), "err", err)
		return nil
	}
	c.Set("RateLimit-Limit", strconv.FormatInt(l.Max, 10))
	c.Set("RateLimit-Remaining", strconv.FormatInt(res.Remaining, 10))
	if res.Allowed {
		return nil
	}
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(res.RetryAfter.Seconds()))))
	return fiber.NewError(fiber.StatusTooManyRequests, "too many requests: try again in "+
		strconv.Itoa(int(math.Ceil(res.RetryAfter.Seconds())))+" s")
}
