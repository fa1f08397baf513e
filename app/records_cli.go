package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/records"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// openConfigStore loads the config and opens its store, for the commands
// that work on records. The embedded file admits one process: stop Pforte
// first (the error says so after 2 s).
func openConfigStore(ctx context.Context, configPath string, getenv func(string) string) (*config.Config, store.Store, error) {
	cfg, err := loadConfig(configPath, getenv)
	if err != nil {
		return nil, nil, err
	}
	st, err := store.Open(ctx, cfg.Store.RedisURL, cfg.Store.DataDir, newLogger(io.Discard, getenv))
	if err != nil {
		return nil, nil, fmt.Errorf("store: %w (a running Pforte holds the embedded file: stop it first)", err)
	}
	return cfg, st, nil
}

// tenantIDs returns the ids of the config's tenants.
func tenantIDs(cfg *config.Config) []string {
	ids := make([]string, 0, len(cfg.Tenants))
	for _, t := range cfg.Tenants {
		ids = append(ids, t.ID)
	}
	return ids
}

// pickTenant parses --tenant from args and checks it against the config;
// "" means every tenant (when allowAll).
func pickTenant(name string, args []string, stderr io.Writer, cfg func() []string) (string, []string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	tenant := fs.String("tenant", "", "tenant id (default: every tenant)")
	if err := fs.Parse(args); err != nil {
		return "", nil, fmt.Errorf("%w: %w", errUsage, err)
	}
	if *tenant != "" && !slices.Contains(cfg(), *tenant) {
		return "", nil, fmt.Errorf("%w: no tenant %q in the config", errUsage, *tenant)
	}
	return *tenant, fs.Args(), nil
}

// exportCmd writes every record (of one tenant, or all) as JSON lines.
func exportCmd(ctx context.Context, configPath string, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, st, err := openConfigStore(ctx, configPath, getenv)
	if err != nil {
		return err
	}
	defer st.Close()
	tenant, _, err := pickTenant("export", args, stderr, func() []string { return tenantIDs(cfg) })
	if err != nil {
		return err
	}
	tenants := tenantIDs(cfg)
	if tenant != "" {
		tenants = []string{tenant}
	}
	sum, err := records.Export(ctx, st, tenants, stdout)
	if err != nil {
		return err
	}
	for _, k := range sum.Unknown {
		fmt.Fprintf(stderr, "export: not exported, unknown kind of key: %s\n", k)
	}
	fmt.Fprintf(stderr, "export: %d records of %d tenant(s)\n", sum.Records, len(tenants))
	return nil
}

// importCmd reads an export (FILE, or - for standard input) into the store.
func importCmd(ctx context.Context, configPath string, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) != 1 {
		return fmt.Errorf("%w: import needs a file: pforte --config FILE import BACKUP.jsonl (- reads standard input)", errUsage)
	}
	in := io.Reader(os.Stdin)
	if args[0] != "-" {
		f, err := os.Open(args[0])
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer f.Close()
		in = f
	}
	cfg, st, err := openConfigStore(ctx, configPath, getenv)
	if err != nil {
		return err
	}
	defer st.Close()
	ids := tenantIDs(cfg)
	sum, err := records.Import(ctx, st, in, func(t string) bool { return slices.Contains(ids, t) })
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "import: %d records written\n", sum.Records)
	return nil
}

// userCmd is `pforte user erase --tenant ID --subject SUB`: a person's
// erasure (Art. 17 DSGVO) from the command line.
func userCmd(ctx context.Context, configPath string, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "erase" {
		return fmt.Errorf("%w: pforte user erase --tenant ID --subject SUB", errUsage)
	}
	fs := flag.NewFlagSet("user erase", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tenant := fs.String("tenant", "", "tenant id")
	subject := fs.String("subject", "", "the person's subject (the OIDC sub claim)")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if *tenant == "" || *subject == "" {
		return fmt.Errorf("%w: user erase needs --tenant ID and --subject SUB", errUsage)
	}
	cfg, st, err := openConfigStore(ctx, configPath, getenv)
	if err != nil {
		return err
	}
	defer st.Close()
	if !slices.Contains(tenantIDs(cfg), *tenant) {
		return fmt.Errorf("%w: no tenant %q in the config", errUsage, *tenant)
	}
	e, err := records.Erase(ctx, store.ForTenant(st, *tenant), *tenant, *subject, "cli", time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "erased %s in %s: %d receipts, %d devices, %d app passwords, %d sessions; logged as %s\n",
		*subject, *tenant, e.Receipts, e.Devices, e.AppPasswords, e.Sessions, records.Pseudonym(*tenant, *subject))
	return nil
}
