// Command loadbaseline is the ceiling for scripts/load-dashboard.sh: a bare
// Fiber v2 app (the version Pforte uses) whose one route does one go-redis
// GET of a 2 KB value and returns it. Whatever Pforte's /api/dashboard does
// beyond that (session, sealed user, cache entry decode, JSON encode, ETag,
// logging) is what the ratio between the two measures.
//
//	loadbaseline -addr 127.0.0.1:PORT -redis redis://127.0.0.1:6379/0
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/gofiber/fiber/v2"
	"github.com/redis/go-redis/v9"
)

const key = "loadbaseline:value"

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "loadbaseline:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("loadbaseline", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:3001", "listen address (keep it on 127.0.0.1)")
	redisURL := fs.String("redis", "redis://127.0.0.1:6379/0", "Redis URL")
	size := fs.Int("size", 2048, "bytes of the value served")
	if err := fs.Parse(args); err != nil {
		return err
	}
	opts, err := redis.ParseURL(*redisURL)
	if err != nil {
		return fmt.Errorf("redis url: %w", err)
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()

	// Seed a value of exactly size bytes (base64 text, like a JSON body).
	raw := make([]byte, *size)
	_, _ = rand.Read(raw)
	value := base64.StdEncoding.EncodeToString(raw)[:*size]
	if err := rdb.Set(ctx, key, value, 0).Err(); err != nil {
		return fmt.Errorf("seed: %w", err)
	}

	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/value", func(c *fiber.Ctx) error {
		b, err := rdb.Get(c.UserContext(), key).Bytes()
		if err != nil {
			return fmt.Errorf("redis get: %w", err)
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		return c.Send(b)
	})

	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- app.Listen(*addr) }()
	select {
	case err := <-errc:
		return fmt.Errorf("listen: %w", err)
	case <-ctx.Done():
	}
	if err := app.Shutdown(); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
