package config

import (
	"fmt"
	"strings"
)

// Problem is one mistake in the config: where it is and how to fix it.
type Problem struct {
	Path    string // e.g. tenants[1].oidc.issuer
	Message string // what is wrong and the fix
}

func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// Problems is every mistake found at once; it is the error Load returns for
// a file that parses but is invalid.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return fmt.Sprintf("config: %d problem(s):\n  %s", len(ps), strings.Join(lines, "\n  "))
}

func (ps *Problems) add(path, msg string) { *ps = append(*ps, Problem{Path: path, Message: msg}) }
