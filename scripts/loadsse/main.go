// Command loadsse drives scripts/load-sse.sh: it holds many announcement
// streams (GET /api/announcements/stream) open on one Pforte, reconnecting
// each when the server ends it (as a browser's EventSource does), measures
// Pforte's resident memory per open stream, publishes one announcement
// through the API and reports how long the streams took to receive it,
// while it checks that other routes keep answering.
//
//	loadsse -addr 127.0.0.1:PORT -cookies FILE -streams 10000 -pid PID -token T
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadsse:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("loadsse", flag.ContinueOnError)
	var cfg config
	fs.StringVar(&cfg.addr, "addr", "", "Pforte's host:port")
	fs.StringVar(&cfg.cookies, "cookies", "", "file of HOST<TAB>COOKIE lines, one per signed-in user")
	fs.IntVar(&cfg.streams, "streams", 10000, "streams to hold open")
	fs.IntVar(&cfg.pid, "pid", 0, "Pforte's process id (for its memory)")
	fs.StringVar(&cfg.token, "token", "", "API token that may publish in every tenant")
	fs.IntVar(&cfg.dialers, "dialers", 64, "streams opened at once")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.addr == "" || cfg.cookies == "" || cfg.pid == 0 || cfg.token == "" {
		return fmt.Errorf("-addr, -cookies, -pid and -token are required")
	}
	return drive(ctx, cfg, stdout)
}
