package ratelimit

import "time"

// Rate limits, kept in the tenant's store so they hold across instances
// (docs/security.md explains the figures). A whole city's staff (8,000
// people) may reach Pforte from one NAT address, so per-IP limits on sign-in
// are generous; failures and per-user limits are strict.
var (
	// SignIn: starts of sign-in (/login) and returns from the provider
	// (/auth/callback) per client IP. A morning rush of 8,000 sign-ins over
	// half an hour is ~270 a minute, each one /login plus one callback.
	SignIn = Limit{Name: "signin", Max: 600, Window: time.Minute}
	// APIToken: requests per API token on /api/announcements.
	APIToken = Limit{Name: "apitoken", Max: 600, Window: time.Minute}
	// APITokenFailure: wrong API tokens per client IP.
	APITokenFailure = Limit{Name: "apitoken-fail", Max: 10, Window: time.Minute}
	// PushSubscribe: push subscriptions saved per user (a few devices a day).
	PushSubscribe = Limit{Name: "push-subscribe", Max: 20, Window: time.Hour}
)
