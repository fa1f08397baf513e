// Package pforte embeds the templates and static files that live at the top
// of the repository, so the binary carries everything it serves.
package pforte

import "embed"

// Files holds templates/ and static/. It is read once at start.
//
//go:embed templates static
var Files embed.FS
