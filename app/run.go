package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/demo"
)

// errUsage marks a mistake in the command line (exit code 2).
var errUsage = errors.New("usage")

const usage = `Usage: pforte [--config FILE] [command]

Commands:
  serve          run the portal (default). Without a config: an embedded demo on 127.0.0.1:3000
  check-config   validate the config file, print every problem and a contrast report, exit 1 on errors
  announce       post an announcement through the API: --url, --tenant HOST, --token (or PFORTE_API_TOKEN),
                 --title, --body or --body-file, --severity, --groups, --push, --requires-ack
  vapid-rotate TENANT  replace the tenant's stored VAPID key pair (browsers re-subscribe on their next visit)
  export [--tenant ID]  write every record (announcements, audit log, receipts, devices, VAPID keys,
                 sealed app passwords; not sessions or caches) as JSON lines to stdout (docs/records.md)
  import FILE    read an export back (- for stdin); idempotent; all lines are checked before anything is written
  user erase --tenant ID --subject SUB  delete a person's receipts, devices, app passwords and sessions
                 (Art. 17 DSGVO); the audit log keeps that it happened

The config file comes from --config or PFORTE_CONFIG. See docs/config.md.
`

// run is the whole program; main only wires it to the OS so tests can call
// it end to end.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pforte", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	configPath := fs.String("config", getenv("PFORTE_CONFIG"), "path of the YAML config file")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	cmd, rest := "serve", fs.Args()
	if len(rest) > 0 {
		cmd, rest = rest[0], rest[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, *configPath, getenv, stdout)
	case "check-config":
		path, err := checkConfigPath(*configPath, rest, stderr)
		if err != nil {
			return err
		}
		return checkConfig(path, getenv, stdout)
	case "announce":
		return announceCmd(ctx, rest, getenv, stdout, stderr)
	case "vapid-rotate":
		return vapidRotate(ctx, *configPath, rest, getenv, stdout)
	case "export":
		return exportCmd(ctx, *configPath, rest, getenv, stdout, stderr)
	case "import":
		return importCmd(ctx, *configPath, rest, getenv, stdout)
	case "user":
		return userCmd(ctx, *configPath, rest, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("%w: unknown command %q", errUsage, cmd)
	}
}

// loadConfig reads the file, or builds the demo when none is named.
func loadConfig(path string, getenv func(string) string) (*config.Config, error) {
	if path == "" {
		dir := getenv("PFORTE_DEMO_DIR")
		if dir == "" {
			dir = filepath.Join(os.TempDir(), "pforte-demo")
		}
		return config.Demo(dir, getenv, demo.Tenant())
	}
	return config.Load(path, getenv)
}

func newLogger(w io.Writer, getenv func(string) string) *slog.Logger {
	level := slog.LevelInfo
	switch strings.ToLower(getenv("PFORTE_LOG_LEVEL")) {
	case "debug":
		level = slog.LevelDebug
	case "warn":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}

func exitCode(err error) int {
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}
