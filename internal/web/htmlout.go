package web

import (
	"fmt"
	"html/template"
	"strings"
	"sync"
	"sync/atomic"
)

// Typed renderers: parts of a page repeated per row (a list's table body,
// a select's options) written by Go code into a pooled buffer and handed to
// the template as one template.HTML. html/template prints each value of a
// row through reflective calls of its escapers (about 170 allocations a
// client row); these append the same bytes directly. They escape exactly as
// html/template does in the context they are used in (TestTypedRenderers
// compares them with the templates they replace), so the markup is the same.

// htmlBufs are the buffers the renderers write into; the page gets a copy.
var htmlBufs = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// htmlOut is an HTML fragment being written.
type htmlOut struct{ b []byte }

func newHTMLOut() *htmlOut {
	return &htmlOut{b: (*htmlBufs.Get().(*[]byte))[:0]}
}

// done gives the fragment and returns the buffer to the pool.
func (o *htmlOut) done() template.HTML {
	s := template.HTML(o.b)
	if cap(o.b) <= 256<<10 {
		b := o.b[:0]
		htmlBufs.Put(&b)
	}
	o.b = nil
	return s
}

// raw writes markup as it is.
func (o *htmlOut) raw(s string) { o.b = append(o.b, s...) }

// int writes a decimal number (the same in text, attributes and URLs).
func (o *htmlOut) int(n int64) {
	var d [20]byte
	i := len(d)
	neg := n < 0
	u := uint64(n)
	if neg {
		u = uint64(-n)
	}
	for {
		i--
		d[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	if neg {
		i--
		d[i] = '-'
	}
	o.b = append(o.b, d[i:]...)
}

// text writes s escaped for HTML text or a quoted attribute value, as
// html/template's htmlEscaper and attrEscaper do (their replacement table:
// NUL, ", &, ', +, <, >).
func (o *htmlOut) text(s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case 0:
			r = "\uFFFD"
		case '"':
			r = "&#34;"
		case '&':
			r = "&amp;"
		case '\'':
			r = "&#39;"
		case '+':
			r = "&#43;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		default:
			continue
		}
		o.b = append(o.b, s[start:i]...)
		o.b = append(o.b, r...)
		start = i + 1
	}
	o.b = append(o.b, s[start:]...)
}

// url writes s as a part of a URL in a quoted attribute: normalized (norm,
// html/template's urlNormalizer, before the query: RFC 3986's reserved
// characters and valid %xx escapes kept) or escaped (its urlEscaper, in a
// query: only unreserved characters kept), then escaped for the attribute.
func (o *htmlOut) url(s string, norm bool) {
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~':
			o.b = append(o.b, c)
			continue
		case norm && c == '&':
			o.b = append(o.b, "&amp;"...)
			continue
		case norm && c == '+':
			o.b = append(o.b, "&#43;"...)
			continue
		case norm && (c == '!' || c == '#' || c == '$' || c == '*' || c == ',' || c == '/' || c == ':' || c == ';' ||
			c == '=' || c == '?' || c == '@' || c == '[' || c == ']'):
			o.b = append(o.b, c)
			continue
		case norm && c == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
			o.b = append(o.b, c)
			continue
		}
		o.b = append(o.b, '%', hex[c>>4], hex[c&15])
	}
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// Options renders a select's options as the templates did with
// {{range .}}<option value="{{.Value}}"{{if eq .Value $sel}} selected{{end}}>{{.Label}}</option>{{end}}.
func (v *View) Options(opts []Option, selected string) template.HTML {
	o := newHTMLOut()
	for _, op := range opts {
		o.raw(`<option value="`)
		o.text(op.Value)
		o.raw(`"`)
		if op.Value == selected {
			o.raw(` selected`)
		}
		o.raw(`>`)
		o.text(op.Label)
		o.raw(`</option>`)
	}
	return o.done()
}

// navIcons are the "icon" partial's output for the navigation's and the
// top bar's icons, rendered by parsePages (the SVGs stay in partials.html).
var navIcons atomic.Pointer[map[string]template.HTML]

// renderNavIcons executes the "icon" partial of (a copy of) base for every
// icon the navigation uses.
func renderNavIcons(base *template.Template) error {
	base, err := base.Clone() // a set that has run cannot be cloned for the pages
	if err != nil {
		return err
	}
	names := []string{"menu", "search", "bell"} // the top bar's
	for _, e := range navigation() {
		names = append(names, e.icon)
	}
	icons := map[string]template.HTML{}
	for _, name := range names {
		var b strings.Builder
		if err := base.ExecuteTemplate(&b, "icon", name); err != nil {
			return err
		}
		icons[name] = template.HTML(b.String())
	}
	navIcons.Store(&icons)
	return nil
}

// Icon is the "icon" partial's output for one of the top bar's or the
// navigation's icons, rendered once (View.NavList, renderNavIcons).
func (v *View) Icon(name string) (template.HTML, error) {
	if icons := navIcons.Load(); icons != nil {
		if icon, ok := (*icons)[name]; ok {
			return icon, nil
		}
	}
	return "", fmt.Errorf("web: no icon %q rendered for the top bar", name)
}

// NavList renders the "navlist" partial (the menu, shown twice a page):
//
//	<ul class="navlist">
//	  {{range .Nav}}<li><a href="{{.Href}}" class="nav-{{.Key}}"{{if .Active}} aria-current="page"{{end}}>{{template "icon" .Icon}}<span>{{.Label}}</span></a></li>{{end}}
//	</ul>
func (v *View) NavList() (template.HTML, error) {
	o := newHTMLOut()
	icons := navIcons.Load()
	if icons == nil {
		return "", fmt.Errorf("web: the navigation's icons are not rendered")
	}
	o.raw("<ul class=\"navlist\">\n  ")
	for _, n := range v.Nav {
		icon, ok := (*icons)[n.Icon]
		if !ok {
			o.done()
			return "", fmt.Errorf("web: no icon %q rendered for the navigation", n.Icon)
		}
		o.raw(`<li><a href="`)
		if safeURL(n.Href) {
			o.url(n.Href, true)
		} else {
			o.raw("#ZgotmplZ")
		}
		o.raw(`" class="nav-`)
		o.text(n.Key)
		o.raw(`"`)
		if n.Active {
			o.raw(` aria-current="page"`)
		}
		o.raw(`>`)
		o.raw(string(icon))
		o.raw(`<span>`)
		o.text(n.Label)
		o.raw(`</span></a></li>`)
	}
	o.raw("\n</ul>")
	return o.done(), nil
}

// safeURL is html/template's check of a URL that starts an attribute: a
// scheme other than http, https or mailto is replaced by "#ZgotmplZ".
func safeURL(s string) bool {
	scheme, _, ok := strings.Cut(s, ":")
	if !ok || strings.Contains(scheme, "/") {
		return true
	}
	return strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https") || strings.EqualFold(scheme, "mailto")
}
