package files

import (
	"strings"

	"gitlab.opencode.de/pforte/pforte/internal/itemurl"
)

// link is a file's web link: from the item template when set, else from
// WebURL as before.
func (c *Client) link(rel, fileID string) string {
	if c.item.IsZero() {
		return webLink(c.web, rel, fileID)
	}
	dir, name := "/", rel
	if i := strings.LastIndexByte(rel, '/'); i >= 0 {
		dir, name = "/"+rel[:i], rel[i+1:]
	}
	return c.item.Expand(map[string]string{"path": "/" + rel, "dir": dir, "name": name, "fileid": fileID})
}

// webLink fills the placeholders of the WebURL template (documented on
// Client.Fetch) for the file at rel with the server's file id.
func webLink(template, rel, fileID string) string {
	if template == "" || !strings.Contains(template, "{") {
		return template
	}
	dir := "/"
	if i := strings.LastIndexByte(rel, '/'); i >= 0 {
		dir = "/" + rel[:i]
	}
	return strings.NewReplacer(
		"{path}", itemurl.EscapePath("/"+rel),
		"{dir}", itemurl.EscapePath(dir),
		"{fileid}", itemurl.Escape(fileID),
	).Replace(template)
}

// webURLProbe fills the placeholders with harmless values so New can check
// that the template is a URL.
func webURLProbe(template string) string {
	return strings.NewReplacer("{path}", "/p", "{dir}", "/d", "{fileid}", "1").Replace(template)
}
