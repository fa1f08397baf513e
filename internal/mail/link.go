package mail

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"gitlab.opencode.de/pforte/pforte/internal/itemurl"
)

// linkTemplate builds a message's webmail link from Options.WebItemURL,
// else Options.WebURL.
type linkTemplate struct {
	raw  string
	item itemurl.Template
}

// parseLinks parses both templates of opts.
func parseLinks(opts Options) (linkTemplate, error) {
	l, err := parseLinkTemplate(opts.WebURL)
	if err != nil {
		return l, err
	}
	l.item, err = itemurl.Parse(opts.WebItemURL, itemurl.Mail())
	if err != nil {
		return l, fmt.Errorf("mail: web item url %q: %w", opts.WebItemURL, err)
	}
	return l, nil
}

func parseLinkTemplate(raw string) (linkTemplate, error) {
	if raw == "" {
		return linkTemplate{}, nil
	}
	// Check the URL as it will look with placeholders filled in.
	u, err := url.Parse(linkTemplate{raw: raw}.expand(1, "id@example.org"))
	if err != nil {
		return linkTemplate{}, fmt.Errorf("mail: web url: %w", err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return linkTemplate{}, fmt.Errorf("mail: web url %q: want an absolute http(s) URL", raw)
	}
	return linkTemplate{raw: raw}, nil
}

// expand fills in {uid} and {message_id}. The Message-ID comes from the
// sender, so it is escaped to stay one URL component wherever the
// placeholder sits, in a path or in a query.
func (l linkTemplate) expand(uid uint32, messageID string) string {
	if !l.item.IsZero() {
		return l.item.Expand(map[string]string{
			"uid": strconv.FormatUint(uint64(uid), 10), "message_id": messageID, "folder": inbox})
	}
	if l.raw == "" || !strings.Contains(l.raw, "{") {
		return l.raw
	}
	return strings.NewReplacer(
		"{uid}", strconv.FormatUint(uint64(uid), 10),
		"{message_id}", escapeComponent(messageID),
	).Replace(l.raw)
}

// escapeComponent escapes s for a path segment as well as a query value:
// QueryEscape turns space into "+", which a path would keep literally.
func escapeComponent(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}
