package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
)

// announceCmd is `pforte announce`: posts an announcement through the API
// with a tenant API token, for monitoring and ticket systems. It sends the
// service's own input type, so the server validates it like any API call.
func announceCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("announce", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", "", "Pforte's base URL, e.g. https://portal.muenchen.example")
	host := fs.String("tenant", "", "the tenant's host name, when --url does not name it (sent as Host)")
	token := fs.String("token", getenv("PFORTE_API_TOKEN"), "API token (default: $PFORTE_API_TOKEN)")
	title := fs.String("title", "", "title (German)")
	body := fs.String("body", "", "body in Markdown (German)")
	bodyFile := fs.String("body-file", "", "read the body from this file (- for stdin)")
	severity := fs.String("severity", "info", "info, warning or critical")
	groups := fs.String("groups", "", "target groups, comma-separated (default: everyone)")
	push := fs.Bool("push", false, "also send a push notification")
	ack := fs.Bool("requires-ack", false, "ask staff to acknowledge it")
	expires := fs.String("expires", "", "RFC 3339 expiry time (optional)")
	dry := fs.Bool("dry-run", false, "only check it and say whom it would reach; nothing is stored or sent")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if *base == "" || *token == "" || *title == "" {
		return fmt.Errorf("%w: announce needs --url, --title and --token (or PFORTE_API_TOKEN)", errUsage)
	}
	if *bodyFile != "" {
		var raw []byte
		var err error
		if *bodyFile == "-" {
			raw, err = io.ReadAll(io.LimitReader(os.Stdin, 1<<20))
		} else {
			raw, err = os.ReadFile(*bodyFile)
		}
		if err != nil {
			return fmt.Errorf("announce: body file: %w", err)
		}
		*body = string(raw)
	}
	targets := splitList(*groups)
	in := announce.Input{Title: title, Body: body, Severity: severity, Push: push, RequiresAck: ack, Groups: &targets}
	if *expires != "" {
		in.ExpiresAt, _ = json.Marshal(*expires)
	}
	raw, _ := json.Marshal(in)
	target := strings.TrimSuffix(*base, "/") + "/api/announcements"
	if *dry {
		target += "?dry_run=true"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("%w: --url: %w", errUsage, err)
	}
	if *host != "" {
		req.Host = *host
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+*token)
	res, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return fmt.Errorf("announce: %w", err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	var reply struct {
		ID     string `json:"id"`
		Status string `json:"status"`
		Error  string `json:"error"`
		dryRunReply
	}
	_ = json.Unmarshal(out, &reply)
	if *dry && res.StatusCode == http.StatusOK {
		return reply.print(stdout)
	}
	if res.StatusCode != http.StatusCreated {
		return fmt.Errorf("announce: %s: %s", res.Status, reply.Error)
	}
	fmt.Fprintf(stdout, "%s %s\n", reply.ID, reply.Status)
	return nil
}

func splitList(s string) []string {
	out := []string{}
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
