// Command loadmorning drives scripts/load-morning.sh, the morning peak:
// many users, each opening the dashboard once with a cold cache.
//
//	loadmorning proxy -imap ADDR -caldav URL -webdav URL -env FILE
//	    counting proxies in front of the upstreams; writes their addresses to FILE
//	loadmorning seed -imap ADDR -caldav-dir DIR -webdav-dir DIR -users N
//	    realistic mailboxes, calendars and file trees for load0001 … loadN
//	loadmorning drive -base URL -cookies FILE -counts URL …
//	    opens each dashboard once at a ramping rate, then measures each
//	    user's upstreams on their own; prints the report and a RESULT line
package main

import (
	"context"
	"errors"
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
		fmt.Fprintln(os.Stderr, "loadmorning:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: loadmorning proxy|seed|drive [flags]")
	}
	switch args[0] {
	case "proxy":
		return runProxy(ctx, args[1:])
	case "seed":
		return runSeed(ctx, args[1:], stdout)
	case "drive":
		return runDrive(ctx, args[1:], stdout)
	}
	return fmt.Errorf("unknown command %q (proxy, seed, drive)", args[0])
}
