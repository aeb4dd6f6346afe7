package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"klientela/internal/buildinfo"
	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/i18n"
	"klientela/internal/ical"
	"klientela/internal/kept"
)

// feedCacheBytes bounds the feed documents an instance keeps (a
// salesperson's feed of a year is about 2 MB).
const feedCacheBytes = 16 << 20

// newFeedCache keeps the last document of each feed, by its ETag, up to
// feedCacheBytes in all (the least recently used go first); polls of a
// document being written wait for it instead of writing it again.
func newFeedCache() *kept.Cache[int64, []byte] {
	return kept.New[int64](feedCacheBytes, func(b []byte) int { return len(b) })
}

// feed serves a private calendar feed: /feeds/<token>.ics. Whatever is
// wrong with the token, the answer is the same plain 404.
//
// Calendar programs poll a feed every few minutes to hours and it rarely
// changes in between. Every poll checks the token and reads the key of the
// feed's content (service.CheckCalendarFeed: the account's feed version,
// kept in the database by triggers, so every instance sees every change);
// the ETag is made of that key, so a poll with If-None-Match of the current
// one is answered 304 without reading a single item, and one without it
// from the document this instance kept for the same key. Only a changed
// feed is read and written again. The ETag is weak: two instances write the
// same items with their own DTSTAMP. Last-Modified is sent for information;
// If-Modified-Since alone does not give a 304 (its whole seconds cannot
// tell two changes of one second apart, and a change becomes visible at
// its commit, after the time it carries), so programs without ETags get the
// document.
func (h *Web) feed(w http.ResponseWriter, r *http.Request, v *View) {
	tok, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok {
		http.NotFound(w, r)
		return
	}
	c, err := h.svc.CheckCalendarFeed(r.Context(), tok)
	if crm.ErrorCode(err) == crm.CodeNotFound {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		h.log.Error("calendar feed", "id", httpx.RequestID(r.Context()), "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	base := httpx.BaseURL(r, h.baseURL, h.trustProxy)
	etag := feedETag(c.Key, base)
	hd := w.Header()
	hd.Set("ETag", etag)
	hd.Set("Cache-Control", "private, no-cache")
	hd.Set("Last-Modified", c.Modified.UTC().Format(http.TimeFormat))
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body, err := h.feeds.Get(c.FeedID, etag, func() ([]byte, error) {
		f, err := h.svc.CalendarFeedItems(r.Context(), c)
		if err != nil {
			return nil, err
		}
		lang, _ := i18n.ParseLang(f.Principal.User.Locale)
		l := h.cat.For(lang)
		for i := range f.Items {
			f.Items[i].Title = calendarTitle(l, f.Items[i])
		}
		var buf bytes.Buffer
		err = ical.Write(&buf, ical.Calendar{Name: l.T("calendar.feed.name", "account", f.Principal.Account.Name),
			Zone: f.Zone, Now: f.Now, Domain: ical.Domain(base), BaseURL: base, Items: f.Items})
		return buf.Bytes(), err
	})
	if err != nil {
		h.log.Error("calendar feed", "id", httpx.RequestID(r.Context()), "err", err)
		hd.Del("ETag")
		hd.Del("Last-Modified")
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	hd.Set("Content-Type", ical.ContentType)
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// buildVersion is buildinfo.String, read once (it parses the build info).
var buildVersion = sync.OnceValue(buildinfo.String)

// feedETag is the weak ETag of a feed's content key as served from base
// (its URLs and UIDs hold it) by this build (which writes it).
func feedETag(key, base string) string {
	sum := sha256.Sum256([]byte(key + "\x00" + base + "\x00" + buildVersion()))
	return `W/"` + hex.EncodeToString(sum[:12]) + `"`
}

// etagMatches is the weak comparison of If-None-Match with etag (RFC 9110
// §13.1.2): "*" or any of the listed tags, W/ or not.
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	want := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == want {
			return true
		}
	}
	return false
}
