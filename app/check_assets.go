package main

import (
	"errors"

	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/tenant"
)

// withAssetProblems adds what is wrong inside the logo and icon files (type
// by content, icon dimensions, active content in an SVG) to the config's
// problems: the config check sees only names and sizes.
func withAssetProblems(cfg *config.Config, err error) error {
	var ps config.Problems
	if cfg == nil || (err != nil && !errors.As(err, &ps)) {
		return err
	}
	ps = append(ps, tenant.CheckAssets(cfg, ps)...)
	if len(ps) == 0 {
		return nil
	}
	return ps
}
