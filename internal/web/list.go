package web

import (
	"net/url"
	"strconv"
)

// Pager is the model of the "pager" partial: where a list is, and links to
// its neighbours that keep every other parameter of the URL.
type Pager struct {
	Page, Pages, Total int
	From, To           int // 1-based positions shown
	Prev, Next         string
	More               bool // more than Total match (a capped count)
}

// listState reads the page number of a list from its URL.
func listPage(q url.Values) int {
	p, err := strconv.Atoi(q.Get("page"))
	if err != nil || p < 1 {
		return 1
	}
	return p
}

// newPager builds the pager of a list of total items, size per page, at
// page, linking to path with the query q.
func newPager(path string, q url.Values, total, page, size int) Pager {
	pages := max(1, (total+size-1)/size)
	p := Pager{Page: page, Pages: pages, Total: total}
	if total > 0 {
		p.From = (page-1)*size + 1
		p.To = min(total, page*size)
	}
	link := func(n int) string {
		c := url.Values{}
		for k, v := range q {
			c[k] = v
		}
		if n == 1 {
			c.Del("page")
		} else {
			c.Set("page", strconv.Itoa(n))
		}
		if len(c) == 0 {
			return path
		}
		return path + "?" + c.Encode()
	}
	if page > 1 {
		p.Prev = link(min(page-1, pages))
	}
	if page < pages {
		p.Next = link(page + 1)
	}
	return p
}

// newCappedPager is newPager for a list that stops counting after bound
// matches: a total above bound shows as "more than bound", and the pages
// go on as long as the count reached. A bound of 0 is none.
func newCappedPager(path string, q url.Values, total, bound, page, size int) Pager {
	p := newPager(path, q, total, page, size)
	if bound > 0 && total > bound {
		p.Total, p.More = bound, true
	}
	return p
}

// SortLink is a column header that sorts a list.
type SortLink struct {
	Href   string
	Active bool
	Desc   bool
}

// sortLink links to the list sorted by key, toggling the direction when
// the list is already sorted by it.
func sortLink(path string, q url.Values, current, key string) SortLink {
	c := url.Values{}
	for k, v := range q {
		c[k] = v
	}
	c.Del("page")
	l := SortLink{Active: current == key || current == "-"+key, Desc: current == "-"+key}
	if current == key {
		c.Set("sort", "-"+key)
	} else {
		c.Set("sort", key)
	}
	l.Href = path + "?" + c.Encode()
	return l
}
