package announce

import (
	"context"
	"html/template"
	"time"
)

// AdminActor is a signed-in admin as the audit log names them: their name,
// and their login when it differs.
func AdminActor(name, username, tenantID string) Actor {
	if username != "" && username != name {
		name = name + " (" + username + ")"
	}
	return Actor{Name: name, Tenant: tenantID, Via: ViaUI}
}

// TokenActor is a tool using the tenant's API token called name.
func TokenActor(name, tenantID string) Actor {
	return Actor{Name: "api:" + name, Tenant: tenantID, Via: ViaAPI}
}

// Full is the whole record, as writers (API tokens, admins) get it.
type Full struct {
	*Announcement
	BodyHTML template.HTML `json:"body_html"`
	Status   string        `json:"status"`
}

// FullOf is a with its body rendered and its status as of now.
func (s *Service) FullOf(a *Announcement, now time.Time) Full {
	return Full{Announcement: a, BodyHTML: s.HTML(a.Body), Status: a.Status(now)}
}

// AllFull is every announcement of tenantID as writers get it (FullOf).
func (s *Service) AllFull(ctx context.Context, tenantID string, now time.Time) ([]Full, error) {
	all, err := s.Repo(tenantID).All(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Full, 0, len(all))
	for _, a := range all {
		out = append(out, s.FullOf(a, now))
	}
	return out, nil
}
