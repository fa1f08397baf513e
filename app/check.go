package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"gitlab.opencode.de/pforte/pforte/internal/config"
)

// checkConfigPath reads `check-config [--config FILE] [FILE]`: the file
// may be named after the command either way, or before it (--config).
func checkConfigPath(path string, args []string, stderr io.Writer) (string, error) {
	fs := flag.NewFlagSet("check-config", flag.ContinueOnError)
	fs.SetOutput(stderr)
	named := fs.String("config", path, "path of the YAML config file")
	if err := fs.Parse(args); err != nil {
		return "", fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() > 1 {
		return "", fmt.Errorf("%w: check-config takes one file, got %v", errUsage, fs.Args())
	}
	if fs.NArg() == 1 {
		return fs.Arg(0), nil
	}
	return *named, nil
}

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
