package testenv

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

const (
	// browserTimeout bounds everything one browser does in a test, so a
	// hung page fails the test instead of the whole package run.
	browserTimeout = 60 * time.Second
	// stepTimeout bounds one Tab.Run, so the failure names the step and
	// the page it was on while the browser still answers.
	stepTimeout = 20 * time.Second
)

// Tab is the one tab of a headless Chromium that Browser started. It records
// what a user would see go wrong besides the page itself: JavaScript dialogs
// (which it dismisses, so a page never hangs on alert()) and console errors.
type Tab struct {
	ctx context.Context

	wg            sync.WaitGroup // dialog handlers in flight
	mu            sync.Mutex
	closed        bool // set on cleanup: start no more dialog handlers
	dialogs       []Dialog
	consoleErrors []string
	protocolErrs  []string // what chromedp could not handle; logged if the test fails
}

// Dialog is a JavaScript dialog a page opened (alert, confirm, prompt or
// beforeunload). An XSS test asserts that there were none.
type Dialog struct {
	Type    string // "alert", "confirm", "prompt" or "beforeunload"
	Message string
	URL     string // the frame that opened it
}

// Browser starts a new headless Chromium (PFORTE_TEST_CHROMIUM, exported by
// scripts/stack/60-chromium.sh) with the flags of STACK.md and an empty
// profile under t.TempDir(), and returns its tab. Every call is a separate
// browser process with its own profile: call it twice for two users, or for
// a second device of the same user, that share no cookies or storage.
// flags add to STACK.md's (e.g. chromedp.ProxyServer for a test that must
// see every request the browser makes).
//
// Everything the browser does must finish within 60 seconds. On cleanup the
// browser is closed and its process has exited before the profile directory
// is removed.
func Browser(t testing.TB, flags ...chromedp.ExecAllocatorOption) *Tab {
	t.Helper()
	execPath := Server(t, "PFORTE_TEST_CHROMIUM")
	profile := t.TempDir() // registered first, so it is removed after the browser is gone

	timeoutCtx, cancelTimeout := context.WithTimeout(context.Background(), browserTimeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(timeoutCtx, append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(execPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
	}, flags...)...)
	b := &Tab{}
	ctx, cancelCtx := chromedp.NewContext(allocCtx, chromedp.WithErrorf(b.protocolError))
	b.ctx = ctx
	chromedp.ListenTarget(ctx, b.listen)

	t.Cleanup(func() {
		// Close the browser gracefully so it can flush and exit, then
		// make sure: cancelAlloc waits until the process has been reaped.
		closeCtx, cancelClose := context.WithTimeout(ctx, 5*time.Second)
		_ = chromedp.Cancel(closeCtx)
		cancelClose()
		cancelCtx()
		cancelAlloc()
		cancelTimeout()
		b.mu.Lock()
		b.closed = true
		errs := b.protocolErrs
		b.mu.Unlock()
		b.wg.Wait()
		if t.Failed() && len(errs) > 0 {
			t.Logf("chromedp reported:\n%s", strings.Join(errs, "\n"))
		}
	})

	// Start the browser now, so a broken installation fails here and not
	// in the middle of a test's first step.
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("testenv: start Chromium %s: %v", execPath, err)
	}
	return b
}

// Context is the chromedp context of the tab, for chromedp.Run, listeners and
// the lower-level cdproto calls. It ends when the test does.
func (b *Tab) Context() context.Context { return b.ctx }

// Run runs actions in the tab and fails the test if one fails or takes longer
// than 20 seconds, naming the page the tab was on and the console errors
// (a blocked request often explains a wait that never ended). Call it from
// the test's goroutine.
func (b *Tab) Run(t testing.TB, actions ...chromedp.Action) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := runEach(ctx, actions); err != nil {
		msg := fmt.Sprintf("browser: %v (the tab is at %s)", err, b.location())
		if errs := b.ConsoleErrors(); len(errs) > 0 {
			msg += "\nconsole errors so far:\n  " + strings.Join(errs, "\n  ")
		}
		t.Fatal(msg)
	}
}

// SetLanguage makes the tab a browser set to lang (e.g. "de-DE"): pages
// get it as Accept-Language and scripts as navigator.language. Headless
// Chromium asks for en-US otherwise.
func (b *Tab) SetLanguage(t testing.TB, lang string) {
	t.Helper()
	var ua string
	b.Run(t, chromedp.Evaluate(`navigator.userAgent`, &ua),
		emulation.SetUserAgentOverride(ua).WithAcceptLanguage(lang))
}

// Location is the URL the tab shows now.
func (b *Tab) Location(t testing.TB) string {
	t.Helper()
	var loc string
	b.Run(t, chromedp.Location(&loc))
	return loc
}

// location is Location for error messages: it never fails.
func (b *Tab) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	var loc string
	if err := chromedp.Run(ctx, chromedp.Location(&loc)); err != nil {
		return "an unknown page: " + err.Error()
	}
	return loc
}

// Dialogs returns the JavaScript dialogs the pages opened so far; each was
// dismissed (Cancel) as soon as it opened.
func (b *Tab) Dialogs() []Dialog {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Dialog(nil), b.dialogs...)
}

// ConsoleErrors returns what the pages reported as errors so far:
// console.error calls, uncaught exceptions and the browser's own error log
// (failed resource loads, Content-Security-Policy violations).
func (b *Tab) ConsoleErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.consoleErrors...)
}

// listen runs on chromedp's event loop: it must not block or call the
// browser itself, so dialogs are dismissed from a goroutine of their own.
func (b *Tab) listen(ev any) {
	switch ev := ev.(type) {
	case *cdppage.EventJavascriptDialogOpening:
		b.mu.Lock()
		defer b.mu.Unlock()
		b.dialogs = append(b.dialogs, Dialog{Type: string(ev.Type), Message: ev.Message, URL: ev.URL})
		if b.closed {
			return
		}
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			// Fails only when the test is already over and the tab closed.
			_ = chromedp.Run(b.ctx, cdppage.HandleJavaScriptDialog(false))
		}()
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.APITypeError || ev.Type == runtime.APITypeAssert {
			b.consoleError("console." + string(ev.Type) + ": " + formatArgs(ev.Args))
		}
	case *runtime.EventExceptionThrown:
		if d := ev.ExceptionDetails; d != nil {
			b.consoleError("uncaught: " + d.Error())
		}
	case *log.EventEntryAdded:
		if e := ev.Entry; e != nil && e.Level == log.LevelError {
			b.consoleError(fmt.Sprintf("%s: %s (%s)", e.Source, e.Text, e.URL))
		}
	}
}

// protocolError keeps what chromedp could not handle (for example an event
// of a newer Chromium it cannot decode). It may be called after the test
// ended, so it must not log through t.
func (b *Tab) protocolError(format string, args ...any) {
	b.mu.Lock()
	b.protocolErrs = append(b.protocolErrs, fmt.Sprintf(format, args...))
	b.mu.Unlock()
}

func (b *Tab) consoleError(msg string) {
	b.mu.Lock()
	b.consoleErrors = append(b.consoleErrors, msg)
	b.mu.Unlock()
}

// formatArgs renders console arguments roughly as DevTools shows them.
func formatArgs(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		switch {
		case len(a.Value) > 0:
			var v any
			if err := json.Unmarshal(a.Value, &v); err == nil {
				parts = append(parts, fmt.Sprint(v))
			} else {
				parts = append(parts, string(a.Value))
			}
		case a.Description != "":
			parts = append(parts, a.Description)
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}

// WaitVisible waits until sel is visible. Unlike a bare chromedp wait it
// looks again when the page replaced the node it had found (a reload or
// re-render in between: "No node with given id found"), which is not a
// failure of the page; a wait is safe to repeat.
func (b *Tab) WaitVisible(t testing.TB, sel any, opts ...chromedp.QueryOption) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	for {
		err := chromedp.Run(ctx, chromedp.WaitVisible(sel, opts...))
		if err == nil {
			return
		}
		if ctx.Err() == nil && staleNode(err) {
			continue
		}
		t.Fatalf("browser: waiting for %v: %v (the tab is at %s)", sel, err, b.location())
	}
}

// runEach runs the actions one after the other. An action that failed
// because the page replaced the node it had just found, or the whole
// document (a re-render, reload or navigation in between: staleNode),
// never reached the page, so it is run again, up to three times; a busy
// machine makes that window wider. Other errors end the run.
func runEach(ctx context.Context, actions []chromedp.Action) error {
	for _, a := range actions {
		for attempt := 1; ; attempt++ {
			err := chromedp.Run(ctx, a)
			if err == nil {
				break
			}
			if attempt == 3 || ctx.Err() != nil || !staleNode(err) {
				return err
			}
		}
	}
	return nil
}

// staleNode reports the errors Chromium gives for a call that never ran
// because its target was gone: the node ("No node with given id found",
// "Could not find node with given id") or, after a navigation, the page's
// script context ("Cannot find context with specified id").
func staleNode(err error) bool {
	m := err.Error()
	return strings.Contains(m, "No node with given id found") || strings.Contains(m, "Could not find node with given id") ||
		strings.Contains(m, "Cannot find context with specified id")
}
