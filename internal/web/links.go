package web

import "net/url"

// ListExport is the address of a list's export in format ext: the list's
// own filters, without its page. Built whole here, because html/template
// would escape "&" and "=" of a query string put together in the template.
func (v *View) ListExport(base, ext string) string {
	q := url.Values{}
	if u, err := url.Parse(v.Here); err == nil {
		q = u.Query()
	}
	q.Del("page")
	s := base + "." + ext
	if enc := q.Encode(); enc != "" {
		s += "?" + enc
	}
	return s
}
