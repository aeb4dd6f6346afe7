package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// assets serves the embedded static files under /static/<hash>/<path>. The
// hash of each file's content is in its URL, so browsers may keep it for a
// year; a changed file gets a new URL.
type assets struct {
	files map[string]asset // path below static/ → file
}

type asset struct {
	data  []byte
	hash  string
	ctype string
}

func newAssets() (*assets, error) {
	a := &assets{files: map[string]asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		ctype := mime.TypeByExtension(path.Ext(p))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		a.files[strings.TrimPrefix(p, "static/")] = asset{data: data, hash: hex.EncodeToString(sum[:5]), ctype: ctype}
		return nil
	})
	return a, err
}

// URL returns the cache-busting URL of a static file; it panics at template
// parse time on a name that does not exist, so a typo cannot ship.
func (a *assets) URL(name string) (string, error) {
	f, ok := a.files[name]
	if !ok {
		return "", fmt.Errorf("web: no static file %q", name)
	}
	return "/static/" + f.hash + "/" + name, nil
}

func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/static/")
	hash, name, ok := strings.Cut(rest, "/")
	f, found := a.files[name]
	if !ok || !found {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("ETag", `"`+f.hash+`"`)
	if hash == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache") // an old URL still works, but is not cached
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.data))
}

// pages holds one template set per page: the layout and partials plus the
// page itself, parsed once at start.
type pages struct {
	set map[string]*template.Template
}

func parsePages(a *assets) (*pages, error) {
	funcs := template.FuncMap{
		"asset": a.URL,
		"int64": func(n int) int64 { return int64(n) },
	}
	shared := []string{"templates/layout.html", "templates/partials.html"}
	base, err := template.New("").Funcs(funcs).ParseFS(templateFS, shared...)
	if err != nil {
		return nil, err
	}
	if err := renderNavIcons(base); err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{set: map[string]*template.Template{}}
	for _, n := range names {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if t, err = t.ParseFS(templateFS, n); err != nil {
			return nil, err
		}
		p.set[strings.TrimSuffix(path.Base(n), ".html")] = t
	}
	return p, nil
}

// fragment executes the template name of page alone, buffered like render.
func (p *pages) fragment(w http.ResponseWriter, page, name string, v *View) error {
	t, ok := p.set[page]
	if !ok {
		return fmt.Errorf("web: no page %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, v); err != nil {
		return fmt.Errorf("web: render %s/%s: %w", page, name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err := buf.WriteTo(w)
	return err
}

// render executes page into a buffer first, so that a template error
// becomes an error page instead of half a page.
func (p *pages) render(w http.ResponseWriter, status int, page string, v *View) error {
	t, ok := p.set[page]
	if !ok {
		return fmt.Errorf("web: no page %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("web: render %s: %w", page, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}
