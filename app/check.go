package main

import (
	"errors"
	"fmt"
	"io"

	"gitlab.opencode.de/pforte/pforte/internal/config"
)

// checkConfig validates a file and prints every problem with its path and fix.
func checkConfig(path string, getenv func(string) string, stdout io.Writer) error {
	if path == "" {
		return fmt.Errorf("%w: check-config needs a file: pforte check-config FILE (or --config / PFORTE_CONFIG)", errUsage)
	}
	cfg, err := config.Load(path, getenv)
	err = withAssetProblems(cfg, err)
	var ps config.Problems
	if errors.As(err, &ps) {
		fmt.Fprintf(stdout, "%s: %d problem(s)\n", path, len(ps))
		for _, p := range ps {
			fmt.Fprintf(stdout, "  %s\n", p)
		}
		return fmt.Errorf("config: %s is invalid", path)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: ok (%d tenant(s))\n", path, len(cfg.Tenants))
	for _, t := range cfg.Tenants {
		fmt.Fprintf(stdout, "  %s: %s on %v\n", t.ID, t.Name, t.Hosts)
		printContrast(stdout, t.Theme.PrimaryColor)
	}
	return nil
}
