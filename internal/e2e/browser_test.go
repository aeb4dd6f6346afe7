// Package e2e drives the real application with a real browser: Chromium,
// headless, through the DevTools protocol (chromedp), against servers that
// apptest starts on SQLite and on PostgreSQL.
//
// The browser is Debian's chromium: $KLIENTELA_TEST_CHROMIUM when set, else
// `chromium` on PATH. Without it the tests skip locally and fail under
// CI=true. Failures leave a full-page screenshot and the page's HTML in
// screenshots/failures/ at the repository root.
package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"klientela/internal/store/storetest"
)

const (
	// chromiumEnv names the browser binary; test.sh sets it.
	chromiumEnv = "KLIENTELA_TEST_CHROMIUM"
	// actionTimeout bounds one step (a navigation, a click, a wait), so a
	// hang fails the test instead of blocking the run.
	actionTimeout = 10 * time.Second
	// testTimeout bounds all the browser work of one (sub)test.
	testTimeout = 40 * time.Second
	// polish is what a browser of a Polish user asks for.
	polish = "pl-PL,pl;q=0.9"
)

// chromiumPath returns the browser to run. A missing browser skips the test
// locally and fails it under CI=true; a KLIENTELA_TEST_CHROMIUM that names
// no executable is a configuration error and always fails (as in test.sh).
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv(chromiumEnv); p != "" {
		st, err := os.Stat(p)
		if err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
			t.Fatalf("%s=%q is not an executable file", chromiumEnv, p)
		}
		return p
	}
	p, err := exec.LookPath("chromium")
	if err != nil {
		if storetest.CI() {
			t.Fatalf("chromium not found (set %s or put chromium on PATH): under CI=true the browser tests must run", chromiumEnv)
		}
		t.Skipf("chromium not found (set %s or put chromium on PATH); skipping browser tests", chromiumEnv)
	}
	return p
}

// repoRoot is the repository root: tests run in internal/e2e.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root %s has no go.mod: %v", root, err)
	}
	return root
}

// consoleEntry is one thing the page wrote to the console: a console API
// call, an uncaught exception or a browser log entry (CSP violations, failed
// loads...).
type consoleEntry struct {
	Kind  string // "console", "exception" or "log/<source>"
	Level string // "error", "warning", "log", ...
	Text  string
	URL   string
}

func (e consoleEntry) String() string {
	s := fmt.Sprintf("[%s %s] %s", e.Kind, e.Level, e.Text)
	if e.URL != "" {
		s += " (" + e.URL + ")"
	}
	return s
}

func (e consoleEntry) isError() bool { return e.Level == "error" || e.Kind == "exception" }

// chromium is a running headless Chromium. Each browser made from it gets
// its own browser context (like a fresh incognito window: no cookies, no
// storage shared with the others) and one tab.
type chromium struct {
	exe     string
	browser context.Context // the browser's first tab; its children share the process
}

// startChromium starts a Chromium with a fresh profile under t.TempDir, for
// the subtests of t to share. It stops when t ends.
func startChromium(t *testing.T) *chromium {
	t.Helper()
	exe := chromiumPath(t)
	profile := filepath.Join(t.TempDir(), "profile")

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
	)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	// Cleanups run last in, first out: the browser stops (and the allocator
	// waits for the process) before t.TempDir removes the profile.
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	// Start it with a context without deadline (a deadline on the first run
	// would be the lifetime of the browser), but do not wait for ever.
	if err := within(30*time.Second, cancelCtx, func() error { return chromedp.Do(ctx) }); err != nil {
		t.Fatalf("start chromium %s: %v", exe, err)
	}
	return &chromium{exe: exe, browser: ctx}
}

// within runs fn and waits at most d for it; after d it calls cancel (which
// makes fn return) and reports a timeout.
func within(d time.Duration, cancel func(), fn func() error) error {
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		cancel()
		<-done
		return fmt.Errorf("no answer within %s", d)
	}
}

// browser is one tab in its own browser context, talking to one server.
type browser struct {
	t    *testing.T
	base string          // the server's URL
	tab  context.Context // the tab; no deadline (artifacts need it after a timeout)
	ctx  context.Context // the tab with the deadline of the whole test

	mu      sync.Mutex
	console []consoleEntry
}

// browserConfig holds what newBrowser can be asked for.
type browserConfig struct {
	acceptLanguage string
}

type browserOption func(*browserConfig)

// acceptLanguage makes every request of the browser carry this header.
func acceptLanguage(v string) browserOption {
	return func(c *browserConfig) { c.acceptLanguage = v }
}

// newBrowser opens a tab in a fresh browser context of c. Every request
// asks for Polish unless an option says otherwise, so the tests do not
// depend on the locale of the machine (headless Chromium asks for en-US).
// The tab closes when t ends; if t failed, a screenshot and the HTML of the
// page are saved first.
func (c *chromium) newBrowser(t *testing.T, base string, opts ...browserOption) *browser {
	t.Helper()
	cfg := browserConfig{acceptLanguage: polish}
	for _, o := range opts {
		o(&cfg)
	}
	tab, cancelTab := chromedp.NewContext(c.browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancelTab) // runs after the artifacts, registered below
	// The first run on a context opens its tab, which then lives as long as
	// the context of that run: so no deadline on it, but a bounded wait.
	if err := within(actionTimeout, cancelTab, func() error { return chromedp.Do(tab) }); err != nil {
		t.Fatalf("open a tab in %s: %v", c.exe, err)
	}
	start, cancelStart := context.WithTimeout(tab, actionTimeout)
	defer cancelStart()
	if _, err := chromedp.Call(start, network.SetExtraHTTPHeaders,
		network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": cfg.acceptLanguage}}); err != nil {
		t.Fatalf("set Accept-Language: %v", err)
	}

	ctx, cancelCtx := context.WithTimeout(tab, testTimeout)
	b := &browser{t: t, base: base, tab: tab, ctx: ctx}
	if err := chromedp.Listen(tab, b.record); err != nil {
		t.Fatalf("listen to the console: %v", err)
	}
	t.Cleanup(func() {
		cancelCtx()
		if t.Failed() {
			b.saveFailure()
		}
	})
	return b
}

// record keeps console calls, uncaught exceptions and log entries. It runs
// on chromedp's reading goroutine, so it only appends.
func (b *browser) record(ev any) {
	var e consoleEntry
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		var parts []string
		for _, a := range ev.Args {
			switch {
			case len(a.Value) > 0:
				var s string
				if json.Unmarshal(a.Value, &s) == nil {
					parts = append(parts, s)
				} else {
					parts = append(parts, string(a.Value))
				}
			case a.Description != "":
				parts = append(parts, a.Description)
			default:
				parts = append(parts, string(a.Type))
			}
		}
		level := string(ev.Type)
		if ev.Type == runtime.ConsoleAPICalledTypeAssert {
			level = "error" // a failed console.assert is an error in DevTools
		}
		e = consoleEntry{Kind: "console", Level: level, Text: strings.Join(parts, " ")}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		if d == nil {
			return
		}
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		}
		e = consoleEntry{Kind: "exception", Level: "error", Text: text, URL: d.URL}
	case *log.EventEntryAdded:
		if ev.Entry == nil {
			return
		}
		e = consoleEntry{Kind: "log/" + string(ev.Entry.Source), Level: string(ev.Entry.Level), Text: ev.Entry.Text, URL: ev.Entry.URL}
	default:
		return
	}
	b.mu.Lock()
	b.console = append(b.console, e)
	b.mu.Unlock()
}

// consoleEntries returns what the page wrote so far.
func (b *browser) consoleEntries() []consoleEntry {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]consoleEntry(nil), b.console...)
}

// step runs actions with a per-action timeout and fails the test on error.
func (b *browser) step(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, explain(err))
	}
}

// get runs one action that returns a value, like step.
func get[T any](b *browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v", what, explain(err))
	}
	return v
}

// explain turns a timeout into a sentence that says which one.
func explain(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("timed out (%s per action, %s per test): %w", actionTimeout, testTimeout, err)
	}
	return err
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	return get(b, "evaluate "+expr, chromedp.Evaluate[T](expr))
}

// evalAwait evaluates a JavaScript expression that gives a promise and
// returns what the promise resolves to.
func evalAwait[T any](b *browser, expr string) T {
	b.t.Helper()
	return get(b, "evaluate "+expr, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// open loads a path of the server and waits until sel is visible.
func (b *browser) open(path, sel string) {
	b.t.Helper()
	b.step("open "+path, chromedp.Navigate(b.base+path), chromedp.WaitVisible(chromedp.CSS(sel)))
}

// clickAndLoad clicks sel and waits for the next document to load (a form
// post and its redirect), then waits until waitSel is visible.
func (b *browser) clickAndLoad(sel, waitSel string) {
	b.t.Helper()
	get(b, "click "+sel+" and wait for the next page",
		chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel))))
	b.step("wait for "+waitSel, chromedp.WaitVisible(chromedp.CSS(waitSel)))
}

// typeInto empties the input sel and types text into it, key by key, then
// checks that the field holds exactly text.
//
// Three chromedp v0.23.0 quirks are worked around here: Clear only removes
// the value attribute, which does not empty a field someone typed into;
// SetValue(sel, "") drops the empty argument and writes "undefined"; and
// the key table uses U+0104..U+0107 (Ą ą Ć ć) for CapsLock, Control, Fn and
// FnLock, so SendKeys drops those Polish letters. So the field is emptied
// by script, and those letters are inserted as text (as an IME would).
func (b *browser) typeInto(sel, text string) {
	b.t.Helper()
	steps := []chromedp.Action[chromedp.Void]{waitVisibleCSS(sel), emptyField(sel), chromedp.Focus(chromedp.CSS(sel))}
	var run []rune
	flush := func() {
		if len(run) > 0 {
			steps = append(steps, chromedp.SendKeys(chromedp.CSS(sel), string(run)))
			run = nil
		}
	}
	for _, r := range text {
		if _, special := kb.Keys[r]; special && r > unicode.MaxASCII {
			flush()
			steps = append(steps, insertText(string(r)))
			continue
		}
		run = append(run, r)
	}
	flush()
	b.step("type into "+sel, steps...)
	if got := get(b, "value of "+sel, valueCSS(sel)); got != text {
		b.t.Fatalf("typed %q into %s, the field holds %q", text, sel, got)
	}
}

// emptyField sets the value of the input sel to "" and tells the page.
func emptyField(sel string) chromedp.Action[chromedp.Void] {
	js := `(el => { if (!el) return false; el.value = ""; el.dispatchEvent(new Event("input", {bubbles: true})); return true; })(document.querySelector(` + strconv.Quote(sel) + `))`
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		ok, err := chromedp.Evaluate[bool](js)(ctx, t)
		if err == nil && !ok {
			err = fmt.Errorf("no element %s", sel)
		}
		return err
	})
}

// insertText inserts text at the focus without key events.
func insertText(text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: text})
		return err
	})
}

// text returns the visible text of sel.
func (b *browser) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(get(b, "text of "+sel, chromedp.Text(chromedp.CSS(sel))))
}

// attr returns an attribute of sel and whether it is there.
func (b *browser) attr(sel, name string) (string, bool) {
	b.t.Helper()
	r := get(b, "attribute "+name+" of "+sel, chromedp.AttributeValue(chromedp.CSS(sel), name))
	return r.Value, r.Exists
}

// path returns the path of the page's URL.
func (b *browser) path() string {
	b.t.Helper()
	loc := get(b, "location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		b.t.Fatalf("parse location %q: %v", loc, err)
	}
	return u.Path
}

// lang returns the lang attribute of <html>.
func (b *browser) lang() string {
	b.t.Helper()
	return eval[string](b, "document.documentElement.lang")
}

// screenshot writes a full-page PNG of the page to path.
func (b *browser) screenshot(path string) {
	b.t.Helper()
	png := get(b, "screenshot", chromedp.FullScreenshot(100))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", path)
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// saveFailure writes a full-page screenshot and the HTML of the current page
// to screenshots/failures/ and logs where, together with the console.
func (b *browser) saveFailure() {
	t := b.t
	dir := filepath.Join(repoRoot(t), "screenshots", "failures")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("failure artifacts: %v", err)
		return
	}
	name := unsafeName.ReplaceAllString(t.Name(), "_") + "-" + time.Now().Format("20060102-150405")
	// The test's own deadline may be what failed it: use a fresh one.
	ctx, cancel := context.WithTimeout(b.tab, 10*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	t.Logf("failure: the page was %s", loc)
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err != nil {
		t.Logf("failure screenshot: %v", err)
	} else if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Logf("failure screenshot: %v", err)
	} else {
		t.Logf("failure screenshot: %s", filepath.Join(dir, name+".png"))
	}
	if html, err := chromedp.Run(ctx, chromedp.Evaluate[string]("document.documentElement.outerHTML")); err != nil {
		t.Logf("failure HTML: %v", err)
	} else if err := os.WriteFile(filepath.Join(dir, name+".html"), []byte("<!doctype html>\n"+html), 0o644); err != nil {
		t.Logf("failure HTML: %v", err)
	} else {
		t.Logf("failure HTML: %s", filepath.Join(dir, name+".html"))
	}
	for _, e := range b.consoleEntries() {
		t.Logf("console: %s", e)
	}
	if errors.Is(b.ctx.Err(), context.DeadlineExceeded) {
		t.Logf("the test ran into its %s deadline", testTimeout)
	}
}

// messages are the texts of internal/i18n/locales/<lang>.json, read from the
// files themselves so the tests check what translators wrote.
var (
	messagesOnce sync.Once
	messages     map[string]map[string]any
	messagesErr  error
)

// msg returns the text of key in lang with {placeholders} filled from
// name/value pairs.
func msg(t *testing.T, lang, key string, args ...string) string {
	t.Helper()
	messagesOnce.Do(func() {
		messages = map[string]map[string]any{}
		for _, l := range []string{"pl", "en"} {
			// <lang>.json and the per-area <lang>.<area>.json files.
			files, _ := filepath.Glob(filepath.Join("..", "i18n", "locales", l+".*json"))
			if len(files) == 0 {
				messagesErr = fmt.Errorf("no %s catalog in internal/i18n/locales", l)
				return
			}
			m := map[string]any{}
			for _, f := range files {
				data, err := os.ReadFile(f)
				if err != nil {
					messagesErr = err
					return
				}
				if err := json.Unmarshal(data, &m); err != nil {
					messagesErr = fmt.Errorf("%s: %w", f, err)
					return
				}
			}
			messages[l] = m
		}
	})
	if messagesErr != nil {
		t.Fatal(messagesErr)
	}
	s, ok := messages[lang][key].(string)
	if !ok {
		t.Fatalf("%s.json has no text %q", lang, key)
	}
	for i := 0; i+1 < len(args); i += 2 {
		s = strings.ReplaceAll(s, "{"+args[i]+"}", args[i+1])
	}
	return s
}

// Shorthands for actions on a CSS selector.
func clickCSS(sel string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.CSS(sel)) }
func waitVisibleCSS(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.CSS(sel))
}
func valueCSS(sel string) chromedp.Action[string] { return chromedp.Value(chromedp.CSS(sel)) }
