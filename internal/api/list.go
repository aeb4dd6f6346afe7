package api

import (
	"context"
	"encoding/base64"
	"net/http"
	"strconv"

	"klientela/internal/crm"
	"klientela/internal/service"
)

// List is the shape of every list answer.
type List[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`     // empty on the last page
	Total      *int   `json:"total,omitempty"` // all matching items, where counting is cheap
}

func newList[T any](items []T, next int64) List[T] {
	if items == nil {
		items = []T{}
	}
	l := List[T]{Items: items}
	if next > 0 {
		l.NextCursor = encodeCursor(next)
	}
	return l
}

// offsetList is a page of a list paged by position: the cursor of the next
// page is the position after this one, and the total is known.
func offsetList[T any](items []T, offset, total int) List[T] {
	next := int64(0)
	if end := offset + len(items); end < total && len(items) > 0 {
		next = int64(end)
	}
	l := newList(items, next)
	l.Total = &total
	return l
}

// cappedList is offsetList for a list that stops counting after bound
// matches (0: no bound): a total above it is left out, "more than the
// bound", and next_cursor alone tells whether a page follows.
func cappedList[T any](items []T, offset, total, bound int) List[T] {
	l := offsetList(items, offset, total)
	if bound > 0 && total > bound {
		l.Total = nil
	}
	return l
}

// Cursors are opaque to clients; today they carry the last id of a page.
func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(id, 10)))
}

func decodeCursor(s string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, false
	}
	id, err := strconv.ParseInt(string(b), 10, 64)
	return id, err == nil && id > 0
}

// page reads ?limit= and ?cursor=; bad values are invalid fields (422).
func page(r *http.Request) (service.Page, error) {
	var (
		p service.Page
		v crm.Validation
	)
	q := r.URL.Query()
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > service.MaxPageSize {
			v.Add("limit", "err.limit_range", "max", service.MaxPageSize)
		}
		p.Limit = n
	}
	if s := q.Get("cursor"); s != "" {
		id, ok := decodeCursor(s)
		if !ok {
			v.Add("cursor", "err.cursor_invalid")
		}
		p.Cursor = id
	}
	return p, v.Err()
}

// getByID serves GET /<records>/{id}: load the record, show it.
func getByID[T, O any](load func(context.Context, int64) (T, error), show func(*http.Request, T) O) handler {
	return func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathID(r)
		if err != nil {
			return 0, nil, err
		}
		v, err := load(r.Context(), id)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, show(r, v), nil
	}
}

// deleteByID serves DELETE /<records>/{id}.
func deleteByID(del func(context.Context, int64) error) handler {
	return func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathID(r)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusNoContent, nil, del(r.Context(), id)
	}
}
