package calendar

import (
	"net/url"
	"strings"
)

// JoinURL finds the video meeting link in an event's properties, each
// given as "NAME:value" (for example "LOCATION:Raum 3, https://meet.jit.si/x").
// Conference properties (CONFERENCE, X-GOOGLE-CONFERENCE,
// X-MICROSOFT-SKYPETEAMSMEETINGURL and the like) are searched first and
// any https link in them counts; then URL, LOCATION and DESCRIPTION, and
// any other property, in the order given, where only links of known
// meeting services count (Jitsi, BigBlueButton, Element/Matrix, OpenTalk,
// Zoom, Teams, Webex, Google Meet). A value without a property name is
// free text. It returns "" when there is none; a result is always an
// http(s) URL.
func JoinURL(props ...string) string {
	rank := func(name string) int {
		switch {
		case isConferenceProp(name):
			return 0
		case name == "URL":
			return 1
		case name == "LOCATION":
			return 2
		case name == "DESCRIPTION":
			return 3
		default:
			return 4
		}
	}
	for want := 0; want <= 4; want++ {
		for _, p := range props {
			name, value := splitProp(p)
			if rank(name) != want {
				continue
			}
			for _, raw := range findURLs(value) {
				link, u := cleanURL(raw)
				if u == nil {
					continue
				}
				if (want == 0 && u.Scheme == "https") || isMeetingURL(u) {
					return link
				}
			}
		}
	}
	return ""
}

// splitProp splits "NAME:value" when NAME looks like an iCalendar property
// name (its parameters, ";VALUE=URI", are dropped).
func splitProp(p string) (name, value string) {
	head, value, ok := strings.Cut(p, ":")
	if !ok {
		return "", p
	}
	name, _, _ = strings.Cut(head, ";")
	name = strings.ToUpper(name)
	if name == "" || name == "HTTP" || name == "HTTPS" {
		return "", p
	}
	for _, r := range name {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return "", p
		}
	}
	return name, value
}

// isConferenceProp reports whether a property names a meeting link:
// CONFERENCE (RFC 7986) and the vendors' X- properties.
func isConferenceProp(name string) bool {
	name = strings.ToUpper(name)
	return name == "CONFERENCE" ||
		strings.HasPrefix(name, "X-") && (strings.HasSuffix(name, "CONFERENCE") ||
			strings.HasSuffix(name, "MEETINGURL") || strings.HasSuffix(name, "JOINURL") ||
			strings.HasSuffix(name, "MEETING-URL") || strings.HasSuffix(name, "JOIN-URL"))
}

// findURLs returns the http(s) links in free text. It matches the scheme
// byte by byte: strings.ToLower may change the length of non-ASCII text.
func findURLs(s string) []string {
	var out []string
	for i := 0; i < len(s) && len(out) < 50; i++ {
		if s[i] != 'h' && s[i] != 'H' {
			continue
		}
		if !hasPrefixFold(s[i:], "https://") && !hasPrefixFold(s[i:], "http://") {
			continue
		}
		end := i
		for end < len(s) && !isURLStop(s[end]) {
			end++
		}
		out = append(out, s[i:end])
		i = end
	}
	return out
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func isURLStop(c byte) bool {
	return c <= ' ' || c == '<' || c == '>' || c == '"' || c == '\'' || c == '\\' || c == '`' || c == '|' || c == '^' || c == '{' || c == '}' || c == 0x7f
}

// cleanURL strips trailing punctuation and accepts only absolute http(s)
// URLs with a host and without user info. The link is returned as written
// (re-encoding would change fragments such as matrix.to's "#/#room"),
// with its scheme in lower case.
func cleanURL(raw string) (string, *url.URL) {
	raw = strings.TrimRight(raw, ".,;:!?)]*")
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.Hostname() == "" {
		return "", nil
	}
	return u.Scheme + raw[len(u.Scheme):], u
}

// isMeetingURL recognises the meeting services municipalities use.
func isMeetingURL(u *url.URL) bool {
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	path := strings.ToLower(u.EscapedPath())
	hasRoom := len(strings.Trim(path, "/")) > 0
	under := func(domain string) bool { return host == domain || strings.HasSuffix(host, "."+domain) }
	switch {
	case under("teams.microsoft.com"):
		return strings.HasPrefix(path, "/l/meetup-join/") || strings.HasPrefix(path, "/meet/")
	case under("teams.live.com"):
		return strings.HasPrefix(path, "/meet/")
	case under("zoom.us"), under("zoom.com"), under("zoomgov.com"):
		return strings.HasPrefix(path, "/j/") || strings.HasPrefix(path, "/my/") || strings.HasPrefix(path, "/w/") || strings.HasPrefix(path, "/wc/")
	case under("webex.com"):
		return hasRoom
	case host == "meet.google.com":
		return hasRoom
	case host == "matrix.to":
		return strings.Contains(u.Fragment, "/") || hasRoom
	case under("element.io"), strings.HasPrefix(host, "element."), strings.HasPrefix(host, "call.element."):
		return hasRoom || u.Fragment != ""
	case strings.Contains(host, "opentalk"):
		return hasRoom
	case strings.HasPrefix(host, "bbb.") || strings.Contains(host, ".bbb.") || strings.Contains(host, "bigbluebutton"),
		strings.Contains(path, "/b/") || strings.Contains(path, "/bigbluebutton/"):
		return hasRoom
	case host == "meet.jit.si", strings.Contains(host, "jitsi"), strings.HasPrefix(host, "meet."):
		return hasRoom
	}
	return false
}
