package testenv

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The helper's promises to later browser tests: dialogs are recorded and
// dismissed (the page goes on), console errors are collected, two browsers
// share no cookies, and no Chromium process outlives its test.
func TestBrowser(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/noisy":
			_, _ = w.Write([]byte(`<!doctype html><title>noisy</title><p id="p">waiting</p><script>
alert("xss-1");
console.error("broken", 42);
document.getElementById("p").textContent = "after the dialog";
</script><script>throw new Error("boom")</script>`))
		case "/set":
			http.SetCookie(w, &http.Cookie{Name: "who", Value: "first", Path: "/"})
			_, _ = w.Write([]byte(`<!doctype html><title>set</title><p id="c">set</p>`))
		default:
			c, err := r.Cookie("who")
			v := "none"
			if err == nil {
				v = c.Value
			}
			_, _ = w.Write([]byte(`<!doctype html><title>get</title><p id="c">` + v + `</p>`))
		}
	}))
	defer srv.Close()

	var pid int
	var profile string
	t.Run("dialogs and console", func(t *testing.T) {
		tab := Browser(t)
		p := chromedp.FromContext(tab.Context()).Browser.Process()
		pid = p.Pid
		profile = cmdlineFlag(pid, "--user-data-dir=")

		var text string
		tab.Run(t, chromedp.Navigate(srv.URL+"/noisy"), chromedp.WaitVisible("#p"),
			chromedp.Poll(`document.getElementById("p").textContent === "after the dialog"`, nil),
			chromedp.Text("#p", &text))
		if text != "after the dialog" {
			t.Errorf("page text %q: the alert was not dismissed", text)
		}
		if d := tab.Dialogs(); len(d) != 1 || d[0].Type != "alert" || d[0].Message != "xss-1" {
			t.Errorf("dialogs = %+v, want the one alert", d)
		}
		errs := strings.Join(tab.ConsoleErrors(), "\n")
		for _, want := range []string{"broken 42", "boom"} {
			if !strings.Contains(errs, want) {
				t.Errorf("console errors lack %q:\n%s", want, errs)
			}
		}
	})
	if pid == 0 || profile == "" {
		t.Fatal("could not see the browser's process or profile")
	}
	if _, err := os.Stat(filepath.Join("/proc", strconv.Itoa(pid))); err == nil {
		t.Errorf("Chromium (pid %d) still runs after its test ended", pid)
	}
	if left := processesWith(profile); len(left) > 0 {
		t.Errorf("processes of the closed browser still run: %v", left)
	}

	t.Run("two browsers share no cookies", func(t *testing.T) {
		first, second := Browser(t), Browser(t)
		var a, b string
		first.Run(t, chromedp.Navigate(srv.URL+"/set"), chromedp.Navigate(srv.URL+"/get"), chromedp.Text("#c", &a))
		second.Run(t, chromedp.Navigate(srv.URL+"/get"), chromedp.Text("#c", &b))
		if a != "first" || b != "none" {
			t.Errorf("cookie seen by first %q, by second %q; want first, none", a, b)
		}
		if loc := second.Location(t); loc != srv.URL+"/get" {
			t.Errorf("Location = %q", loc)
		}
	})
}

// cmdlineFlag returns the value of flag (e.g. "--user-data-dir=") in the
// command line of process pid.
func cmdlineFlag(pid int, flag string) string {
	raw, _ := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
	for _, arg := range strings.Split(string(raw), "\x00") {
		if v, ok := strings.CutPrefix(arg, flag); ok {
			return v
		}
	}
	return ""
}

// processesWith lists the processes whose command line mentions s.
func processesWith(s string) []string {
	var out []string
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		if _, err := strconv.Atoi(d.Name()); err != nil {
			continue
		}
		raw, _ := os.ReadFile(filepath.Join("/proc", d.Name(), "cmdline"))
		if strings.Contains(string(raw), s) {
			out = append(out, d.Name()+": "+strings.ReplaceAll(string(raw), "\x00", " "))
		}
	}
	return out
}
