package main

import (
	"fmt"
	"io"
	"strings"
)

// dryRunReply is the answer of POST /api/announcements?dry_run=true.
type dryRunReply struct {
	Audience      *int     `json:"audience"`
	Devices       int      `json:"devices"`
	UnknownGroups []string `json:"unknown_groups"`
}

// print tells whom the announcement would reach; unknown groups are an
// error so a script stops before a typo reaches nobody.
func (r dryRunReply) print(w io.Writer) error {
	if r.Audience == nil {
		return fmt.Errorf("announce: dry run: the server sent no audience (older Pforte?)")
	}
	fmt.Fprintf(w, "dry run: would reach %d people, push to %d devices; nothing was stored\n", *r.Audience, r.Devices)
	if len(r.UnknownGroups) > 0 {
		return fmt.Errorf("announce: dry run: unknown groups (nobody who signed in belongs to them): %s", strings.Join(r.UnknownGroups, ", "))
	}
	return nil
}
