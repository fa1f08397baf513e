package dashboard

import (
	"context"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// Try signs in to one source with cred once, as the dashboard would, so an
// app password is checked before it is stored. It returns nil when the
// source accepted it, else an error whose upstream.KindOf says why
// (KindAuth: refused; KindUnreachable, KindTimeout: the server did not
// answer). Content the source sent that cannot be read still proves the
// login, so KindBadData counts as accepted.
func (s Sources) Try(ctx context.Context, source string, cred upstream.Credential, now time.Time, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var err error
	for _, src := range s {
		if src.Name() == source {
			var scratch Snapshot // the data is not kept: only the login counts
			err = src.Fetch(ctx, cred, now, &scratch)
			if err != nil && upstream.KindOf(err) == upstream.KindBadData {
				return nil
			}
			return err
		}
	}
	return &upstream.Error{Source: source, Kind: upstream.KindNotSetUp}
}
