package app_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"klientela/internal/app/apptest"
)

type apiSearch struct {
	Q        string
	TooShort bool `json:"too_short"`
	Groups   []struct {
		Kind  string
		More  bool
		Items []struct {
			ID       int64
			Title    string
			Subtitle string
			Start    string
		}
	}
}

func search(t *testing.T, s *apptest.Server, tok, q string) apiSearch {
	t.Helper()
	res, body := s.JSON("GET", "/api/v1/search?q="+strings.ReplaceAll(q, " ", "+"), tok, nil)
	if res.StatusCode != 200 {
		t.Fatalf("search %q: %d %s", q, res.StatusCode, body)
	}
	var out apiSearch
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// kinds lists the kinds found with their titles, "client:Łódzka Piekarnia".
func (r apiSearch) titles() []string {
	var out []string
	for _, g := range r.Groups {
		for _, it := range g.Items {
			out = append(out, g.Kind+":"+it.Title)
		}
	}
	return out
}

// The global search finds clients, tasks, documents, files and employees
// in one query, ignoring Polish letters; each kind only for users who may
// view its section, with their "only mine" scope; never another account's.
func TestGlobalSearch(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		owner := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		createClient(t, s, tok, map[string]any{"kind": "company", "name": "Łódzka Piekarnia", "nip": "1234563218", "address": map[string]any{"city": "Łódź"}})
		res, body := s.JSON("POST", "/api/v1/employees", tok, map[string]any{"first_name": "Łucja", "last_name": "Łódzka"})
		if res.StatusCode != 201 {
			t.Fatalf("employee: %d %s", res.StatusCode, body)
		}
		var emp struct{ ID int64 }
		_ = json.Unmarshal([]byte(body), &emp)
		createTask(t, s, tok, map[string]any{"title": "Dostawa do Łodzi", "employee_ids": []int64{emp.ID}, "start": "2026-12-10T09:00:00+01:00", "end": "2026-12-10T10:00:00+01:00"})
		createDocument(t, s, tok, map[string]any{"title": "Umowa najmu — Łódź"})
		uploadFile(t, s, tok, "/api/v1/files", "cennik-łódź.pdf", "%PDF-1.4 cennik")

		// Another account with the same words: never found.
		s.SignUp("Obca", "Obcy", "obcy@example.pl", pw)
		other := s.Token("obcy@example.pl", pw)
		createClient(t, s, other, map[string]any{"kind": "company", "name": "Łódzka Konkurencja"})
		_, body = s.JSON("POST", "/api/v1/employees", other, map[string]any{"first_name": "Obcy", "last_name": "Pracownik"})
		var otherEmp struct{ ID int64 }
		_ = json.Unmarshal([]byte(body), &otherEmp)
		createTask(t, s, other, map[string]any{"title": "Łódź obca", "employee_ids": []int64{otherEmp.ID}, "start": "2026-12-10T09:00:00+01:00", "end": "2026-12-10T10:00:00+01:00"})

		got := search(t, s, tok, "lodz")
		want := []string{"client:Łódzka Piekarnia", "task:Dostawa do Łodzi", "document:Umowa najmu — Łódź",
			"file:cennik-łódź.pdf", "employee:Łucja Łódzka"}
		if fmt.Sprint(got.titles()) != fmt.Sprint(want) {
			t.Fatalf("search lodz = %v, want %v", got.titles(), want)
		}
		if c := got.Groups[0].Items[0]; c.Subtitle != "NIP 123-456-32-18 Łódź" {
			t.Errorf("client subtitle = %q", c.Subtitle)
		}
		if st := got.Groups[1].Items[0].Start; st != "2026-12-10T09:00:00+01:00" {
			t.Errorf("task start = %q", st)
		}
		if o := search(t, s, other, "ŁÓDŹ"); fmt.Sprint(o.titles()) != "[client:Łódzka Konkurencja task:Łódź obca]" {
			t.Errorf("other account's search = %v", o.titles())
		}

		// Too short, empty, very long and odd input: answered, nothing searched or nothing found.
		if r := search(t, s, tok, "ł"); !r.TooShort || len(r.Groups) != 0 {
			t.Errorf("one letter = %+v", r)
		}
		if r := search(t, s, tok, "  "); !r.TooShort {
			t.Errorf("blank = %+v", r)
		}
		if r := search(t, s, tok, strings.Repeat("żółw", 125)); r.TooShort || len(r.Groups) != 0 {
			t.Errorf("500 characters = %+v", r.titles())
		}
		if r := search(t, s, tok, "%25_%5C"); len(r.Groups) != 0 {
			t.Errorf("LIKE wildcards matched: %v", r.titles())
		}

		// More than five of a kind: five shown, "more" says the rest exist.
		for i := range 6 {
			createClient(t, s, tok, map[string]any{"kind": "company", "name": fmt.Sprintf("Piekarnia Żytnia %d", i)})
		}
		r := search(t, s, tok, "zytnia")
		if len(r.Groups) != 1 || len(r.Groups[0].Items) != 5 || !r.Groups[0].More {
			t.Errorf("six matches = %+v", r)
		}

		// A user who sees only clients, and only their own: no other kinds.
		res, body = s.JSON("POST", "/api/v1/users", tok, map[string]any{"email": "own@example.pl", "name": "Łucja Łódzka", "password": pw,
			"employee_id": emp.ID, "permissions": map[string]string{"clients": "edit"}, "own_only": []string{"clients"}})
		if res.StatusCode != 201 {
			t.Fatalf("own user: %d %s", res.StatusCode, body)
		}
		own := s.Token("own@example.pl", pw)
		createClient(t, s, own, map[string]any{"kind": "company", "name": "Łódzki Młyn"})
		if r := search(t, s, own, "lodz"); fmt.Sprint(r.titles()) != "[client:Łódzki Młyn]" {
			t.Errorf("own-only clients user finds %v", r.titles())
		}

		// The page, and the fragment the top bar's box swaps in.
		_, page := owner.Get("/search?q=l%C3%B3dz")
		mustContain(t, page, `<h1>Szukaj</h1>`, `href="/clients/`, "Łódzka Piekarnia", "Dostawa do Łodzi", `href="/files/`, "Pracownicy")
		mustNotContain(t, page, "Konkurencja")
		req, _ := http.NewRequest("GET", s.URL+"/search?q=zytnia", nil)
		req.Header.Set("HX-Request", "true")
		fres, err := owner.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		fb, _ := io.ReadAll(fres.Body)
		fres.Body.Close()
		frag := string(fb)
		if fres.StatusCode != 200 || strings.Contains(frag, "<html") || !strings.HasPrefix(frag, `<div id="search-results"`) ||
			!strings.Contains(frag, `href="/clients?q=zytnia"`) || !strings.Contains(frag, "Pokaż wszystkie wyniki") {
			t.Errorf("fragment: %d %s", fres.StatusCode, frag)
		}
		_, page = owner.Get("/search?q=x")
		mustContain(t, page, "Wpisz co najmniej 2 znaki.")
		_, page = owner.Get("/search?q=nieistniejace")
		mustContain(t, page, "Nic nie znaleziono dla „nieistniejace”.")
		// Every page has the box.
		_, page = owner.Get("/")
		mustContain(t, page, `id="topsearch-q"`, `hx-get="/search"`)
	})
}
