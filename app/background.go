package main

import "context"

// background runs work until the returned stop is called; stop cancels
// its context and waits for it to return (the workers' shutdown).
func background(ctx context.Context, work func(context.Context)) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		work(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}
