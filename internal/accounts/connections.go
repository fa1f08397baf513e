package accounts

import "context"

// Connection is one source of the settings page ("Konten verbinden"): how
// it authenticates and, for app passwords, whether one is stored (never
// the password itself).
type Connection struct {
	Source    string
	Auth      string // bearer | password | master
	Connected bool
	Username  string
}

// Connections lists the tenant's configured sources for the person with
// subject and login username, in the order of Sources.
func (r *Resolver) Connections(ctx context.Context, subject, username string) ([]Connection, error) {
	var out []Connection
	for _, src := range Sources {
		mode := r.AuthOf(src)
		if mode == "" {
			continue
		}
		row := Connection{Source: src, Auth: mode, Username: username}
		if mode == AuthPassword {
			a, ok, err := r.accts.Get(ctx, subject, src)
			if err != nil {
				return nil, err
			}
			row.Connected = ok
			if ok {
				row.Username = a.Username
			}
		}
		out = append(out, row)
	}
	return out, nil
}
