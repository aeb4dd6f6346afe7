package web

import (
	"net/http/httptest"
	"net/url"
	"testing"
)

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/employees?q=a": "/employees?q=a", "": "/", "//evil.example": "/", "/\\evil.example": "/",
		"https://evil.example/": "/", "javascript:alert(1)": "/", "employees": "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPager(t *testing.T) {
	q := url.Values{"q": {"kowal"}, "page": {"2"}}
	p := newPager("/employees", q, 120, 2, 50)
	if p.Pages != 3 || p.From != 51 || p.To != 100 || p.Prev != "/employees?q=kowal" || p.Next != "/employees?page=3&q=kowal" {
		t.Fatalf("pager = %+v", p)
	}
	if p := newPager("/x", url.Values{}, 0, 1, 50); p.Pages != 1 || p.From != 0 || p.Prev != "" || p.Next != "" {
		t.Fatalf("empty pager = %+v", p)
	}
	if l := sortLink("/x", url.Values{"sort": {"name"}, "page": {"3"}}, "name", "name"); l.Href != "/x?sort=-name" || !l.Active || l.Desc {
		t.Fatalf("sort link = %+v", l)
	}
}

func TestHere(t *testing.T) {
	r := httptest.NewRequest("GET", "/employees?q=a", nil)
	if got := here(r); got != "/employees?q=a" {
		t.Errorf("GET: %q", got)
	}
	r = httptest.NewRequest("POST", "http://crm.example/profile/password", nil)
	r.Header.Set("Referer", "http://crm.example/profile")
	if got := here(r); got != "/profile" {
		t.Errorf("POST with a same-site referer: %q", got)
	}
	r.Header.Set("Referer", "http://evil.example/x")
	if got := here(r); got != "/" {
		t.Errorf("POST with a foreign referer: %q", got)
	}
}
