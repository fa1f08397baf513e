// Package upstream holds what the workplace connectors (mail, calendar,
// files) share: the credential they are given and the typed errors they
// return, so the dashboard can tell the user what is wrong and what to do.
package upstream

import (
	"context"
	"errors"
	"fmt"
	"net"
)

// Kind classifies why an upstream call failed.
type Kind string

// The kinds of upstream failure the dashboard explains to users.
const (
	KindAuth        Kind = "auth"        // credentials refused: reconnect the account or sign in again
	KindUnreachable Kind = "unreachable" // connection refused, DNS, TLS: the service is down
	KindTimeout     Kind = "timeout"     // no answer in time
	KindBadData     Kind = "bad_data"    // the server answered something we cannot read
	KindNotSetUp    Kind = "not_set_up"  // no credential yet (e.g. app password not entered)
)

// Error is a connector failure with a kind. Its message never contains
// credentials or tokens.
type Error struct {
	Source string // "mail", "calendar", "files"
	Kind   Kind
	Err    error
	// Reason, when set, replaces the dashboard's generic reason for Kind:
	// what an admin must change (e.g. a refused token exchange).
	Reason string
}

func (e *Error) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("%s: %s", e.Source, e.Kind)
	}
	return fmt.Sprintf("%s: %s: %v", e.Source, e.Kind, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of err, classifying plain network and context
// errors that were not wrapped by a connector. Unknown errors are
// KindUnreachable.
func KindOf(err error) Kind {
	var ue *Error
	if errors.As(err, &ue) {
		return ue.Kind
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return KindTimeout
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return KindTimeout
	}
	return KindUnreachable
}

// Wrap returns err as an *Error of the given kind for source, keeping an
// existing kind (and a timeout) when err already carries one.
func Wrap(source string, kind Kind, err error) error {
	if err == nil {
		return nil
	}
	var ue *Error
	if errors.As(err, &ue) {
		return err
	}
	if kind != KindTimeout && KindOf(err) == KindTimeout {
		kind = KindTimeout
	}
	return &Error{Source: source, Kind: kind, Err: err}
}
