package main

import (
	"context"
	"net/http"
)

// grantRevoker ends every grant of a user at a client (the example
// storage's TerminateSession deletes their access and refresh tokens).
type grantRevoker interface {
	TerminateSession(ctx context.Context, userID, clientID string) error
}

// revokeGrantsHandler serves POST /test/revoke-grants (loopback only): the
// provider forgets every access and refresh token of the user `sub` at the
// client `client_id`, as when an administrator ends a Keycloak user's
// offline sessions or the user withdraws consent. A refresh with any of
// those refresh tokens then answers invalid_grant.
func revokeGrantsHandler(r grantRevoker) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		if !fromLoopback(req) {
			http.Error(w, "test endpoint: loopback only", http.StatusForbidden)
			return
		}
		if req.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		sub, client := req.FormValue("sub"), req.FormValue("client_id")
		if sub == "" || client == "" {
			http.Error(w, "sub and client_id are required", http.StatusBadRequest)
			return
		}
		if err := r.TerminateSession(req.Context(), sub, client); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}
