package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"klientela/internal/app/apptest"
)

// deliverOne delivers due reminders and returns the id of the one
// notification the user email has.
func deliverOne(t *testing.T, s *apptest.Server, email string) int64 {
	t.Helper()
	if _, err := s.Service.DeliverReminders(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, body := s.JSON("GET", "/api/v1/notifications", s.Token(email, pw), nil)
	var out struct {
		Items []struct{ ID int64 }
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil || len(out.Items) != 1 {
		t.Fatalf("notifications of %s: %s", email, body)
	}
	return out.Items[0].ID
}

// login signs a user in through the login form.
func login(t *testing.T, s *apptest.Server, email string) *apptest.Browser {
	t.Helper()
	b := s.Browser()
	if res, body := b.Post("/login", url.Values{"email": {email}, "password": {pw}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: %d %s", email, res.StatusCode, body)
	}
	return b
}

type notificationsOut struct {
	Items []struct {
		ID       int64
		Kind     string
		TaskID   *int64 `json:"task_id"`
		Title    string
		Link     string
		ReadAt   *string `json:"read_at"`
		Occurred string  `json:"occurrence"`
	}
	NextCursor  string `json:"next_cursor"`
	UnreadCount int    `json:"unread_count"`
}

// A task's reminder through the API and the pages: the assigned users'
// bell counts it, the list links to the task, read and read-all clear it;
// nobody else sees it; bad input is a 422.
func TestNotificationsHTTP(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		post := func(path string, in any) int64 { return s.Create(tok, path, in) }
		ala := post("/api/v1/employees", map[string]any{"first_name": "Ala", "last_name": "Kot"})
		ewa := post("/api/v1/employees", map[string]any{"first_name": "Ewa", "last_name": "Lis"})
		solo := post("/api/v1/employees", map[string]any{"first_name": "Bez", "last_name": "Konta"})
		for email, emp := range map[string]int64{"ala@example.pl": ala, "ewa@example.pl": ewa} {
			post("/api/v1/users", map[string]any{"email": email, "name": email, "password": pw, "employee_id": emp,
				"permissions": map[string]string{"tasks": "edit"}})
		}
		task := post("/api/v1/tasks", map[string]any{"title": "Wysłać ofertę <b>", "start": "2030-01-02T10:00:00+01:00",
			"end": "2030-01-02T11:00:00+01:00", "employee_ids": []int64{ala, ewa, solo}, "remind_at": "2026-01-01T09:00:00+01:00"})
		post("/api/v1/tasks", map[string]any{"title": "Bez przypomnienia", "start": "2030-01-02T10:00:00+01:00",
			"end": "2030-01-02T11:00:00+01:00", "employee_ids": []int64{ala}})
		id := deliverOne(t, s, "ala@example.pl")
		tokAla, tokEwa := s.Token("ala@example.pl", pw), s.Token("ewa@example.pl", pw)

		res, body := s.JSON("GET", "/api/v1/notifications?unread=true", tokAla, nil)
		var list notificationsOut
		if err := json.Unmarshal([]byte(body), &list); err != nil || res.StatusCode != 200 {
			t.Fatalf("list: %d %s", res.StatusCode, body)
		}
		if len(list.Items) != 1 || list.UnreadCount != 1 || list.Items[0].Kind != "task_reminder" || list.Items[0].Title != "Wysłać ofertę <b>" ||
			list.Items[0].Link != "/tasks/"+strconv.FormatInt(task, 10) || *list.Items[0].TaskID != task || list.Items[0].ReadAt != nil ||
			list.Items[0].Occurred != "2030-01-02T10:00:00+01:00" {
			t.Fatalf("list: %s", body)
		}
		// The owner (no employee) has none; Ewa has her own.
		if _, body := s.JSON("GET", "/api/v1/notifications", tok, nil); !strings.Contains(body, `"items":[]`) || !strings.Contains(body, `"unread_count":0`) {
			t.Fatalf("owner: %s", body)
		}
		ewaID := deliverOne(t, s, "ewa@example.pl")
		if ewaID == id {
			t.Fatal("one notification for two users")
		}
		// Someone else's: 404, through the API and the pages.
		for _, r := range []struct{ method, path, tok string }{
			{"GET", "/api/v1/notifications/" + strconv.FormatInt(id, 10), tokEwa},
			{"POST", "/api/v1/notifications/" + strconv.FormatInt(id, 10) + "/read", tokEwa},
			{"POST", "/api/v1/notifications/" + strconv.FormatInt(id, 10) + "/read", tok},
		} {
			if res, body := s.JSON(r.method, r.path, r.tok, map[string]any{}); res.StatusCode != 404 {
				t.Errorf("%s %s by another user: %d %s", r.method, r.path, res.StatusCode, body)
			}
		}
		ewaB := login(t, s, "ewa@example.pl")
		if res, _ := ewaB.Post("/notifications/"+strconv.FormatInt(id, 10)+"/open", nil); res.StatusCode != 404 {
			t.Errorf("Ewa opens Ala's notification: %d", res.StatusCode)
		}
		// Bad input: 422 with the field.
		for _, q := range []string{"unread=maybe", "limit=0", "cursor=bm90LWEtbnVtYmVy"} {
			if res, body := s.JSON("GET", "/api/v1/notifications?"+q, tokAla, nil); res.StatusCode != 422 || !strings.Contains(body, `"fields"`) {
				t.Errorf("?%s: %d %s", q, res.StatusCode, body)
			}
		}
		if res, _ := s.JSON("POST", "/api/v1/notifications/abc/read", tokAla, map[string]any{}); res.StatusCode != 404 {
			t.Errorf("non-numeric id: %d", res.StatusCode)
		}

		// The pages: the bell on every page, the list, open → the task.
		b := login(t, s, "ala@example.pl")
		for _, p := range []string{"/", "/tasks", "/profile"} {
			_, body := b.Get(p)
			if !strings.Contains(body, `<span class="bell-count" data-count="1">1</span>`) {
				t.Fatalf("%s without the bell's count", p)
			}
		}
		_, body = b.Get("/notifications")
		if !strings.Contains(body, "Wysłać ofertę &lt;b&gt;") || !strings.Contains(body, `action="/notifications/`+strconv.FormatInt(id, 10)+`/open"`) {
			t.Fatalf("list page:\n%s", body)
		}
		res, _ = b.Post("/notifications/"+strconv.FormatInt(id, 10)+"/open", nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/tasks/"+strconv.FormatInt(task, 10) {
			t.Fatalf("open: %d %q", res.StatusCode, res.Header.Get("Location"))
		}
		if _, body := b.Get("/"); strings.Contains(body, "bell-count") {
			t.Fatal("the bell still counts a read notification")
		}
		// Ewa: read-all through the page, then the API says 0.
		if res, _ := ewaB.Post("/notifications/read-all", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("read-all: %d", res.StatusCode)
		}
		if _, body := s.JSON("GET", "/api/v1/notifications", tokEwa, nil); !strings.Contains(body, `"unread_count":0`) || strings.Contains(body, `"read_at":null`) {
			t.Fatalf("after read-all: %s", body)
		}
		// API read and read-all.
		if res, body := s.JSON("POST", "/api/v1/notifications/"+strconv.FormatInt(id, 10)+"/read", tokAla, map[string]any{}); res.StatusCode != 200 || strings.Contains(body, `"read_at":null`) {
			t.Fatalf("read: %d %s", res.StatusCode, body)
		}
		if res, body := s.JSON("POST", "/api/v1/notifications/read-all", tokAla, map[string]any{}); res.StatusCode != 200 || body != `{"marked":0}`+"\n" && body != `{"marked":0}` {
			t.Fatalf("read-all: %d %q", res.StatusCode, body)
		}
		// Deleting the task withdraws its notifications.
		if res, _ := s.JSON("DELETE", "/api/v1/tasks/"+strconv.FormatInt(task, 10), tok, nil); res.StatusCode != 204 {
			t.Fatalf("delete task: %d", res.StatusCode)
		}
		if res, _ := s.JSON("GET", "/api/v1/notifications/"+strconv.FormatInt(id, 10), tokAla, nil); res.StatusCode != 404 {
			t.Fatalf("a deleted task's notification: %d", res.StatusCode)
		}
	})
}
