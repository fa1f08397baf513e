package accounts

import (
	"errors"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// A wrong app password says "Passwort falsch", a dead server "nicht
// erreichbar"; a forged reason in the URL shows nothing.
func TestRefusal(t *testing.T) {
	if got := Refusal(&upstream.Error{Source: "mail", Kind: upstream.KindAuth}); got != RefusedAuth {
		t.Errorf("refused login: %q", got)
	}
	if got := Refusal(errors.New("dial tcp: refused")); got != RefusedUnreachable {
		t.Errorf("unreachable: %q", got)
	}
	if Refusal(nil) != "" || KnownRefusal("<script>") != "" || KnownRefusal(RefusedAuth) != RefusedAuth {
		t.Error("accepted passwords or unknown reasons must show no refusal")
	}
}
