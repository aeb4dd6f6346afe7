package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"klientela/internal/app/apptest"
)

func createGroup(t *testing.T, s *apptest.Server, tok string, in map[string]any) int64 {
	t.Helper()
	res, body := s.JSON("POST", "/api/v1/client-groups", tok, in)
	if res.StatusCode != 201 {
		t.Fatalf("create group %v: %d %s", in, res.StatusCode, body)
	}
	var g struct{ ID int64 }
	_ = json.Unmarshal([]byte(body), &g)
	return g.ID
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// clientGroupIDs reads a client's group_ids through the API.
func clientGroupIDs(t *testing.T, s *apptest.Server, tok string, id int64) []int64 {
	t.Helper()
	res, body := s.JSON("GET", "/api/v1/clients/"+itoa(id), tok, nil)
	var c struct {
		GroupIDs []int64 `json:"group_ids"`
	}
	if res.StatusCode != 200 || json.Unmarshal([]byte(body), &c) != nil || c.GroupIDs == nil {
		t.Fatalf("client %d: %d %s", id, res.StatusCode, body)
	}
	return c.GroupIDs
}

func listNames(t *testing.T, s *apptest.Server, tok, query string) string {
	t.Helper()
	res, body := s.JSON("GET", "/api/v1/clients?"+query, tok, nil)
	if res.StatusCode != 200 {
		t.Fatalf("list %s: %d %s", query, res.StatusCode, body)
	}
	var l struct{ Items []struct{ Name string } }
	_ = json.Unmarshal([]byte(body), &l)
	var names []string
	for _, c := range l.Items {
		names = append(names, c.Name)
	}
	return strings.Join(names, ",")
}

func TestClientGroupsCRUD(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		_, body := b.Get("/clients")
		mustContain(t, body, `href="/client-groups"`, "Grupy")
		_, body = b.Get("/client-groups")
		mustContain(t, body, "Nie ma jeszcze grup", "Dodaj grupę")

		// Web: create, a bad colour, a duplicate name (case-insensitively).
		res, _ := b.Post("/client-groups", url.Values{"name": {"VIP"}, "color": {"#FF0000"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create = %d", res.StatusCode)
		}
		res, body = b.Post("/client-groups", url.Values{"name": {"Targi"}, "color": {"red"}})
		if res.StatusCode != 422 || !strings.Contains(body, "#rrggbb") {
			t.Fatalf("bad colour = %d", res.StatusCode)
		}
		res, body = b.Post("/client-groups", url.Values{"name": {"vip"}})
		if res.StatusCode != 409 || !strings.Contains(body, "Grupa o tej nazwie już istnieje.") {
			t.Fatalf("duplicate = %d", res.StatusCode)
		}
		_, body = b.Get("/client-groups")
		mustContain(t, body, "VIP", `value="#ff0000"`)

		// API: list, create, duplicate, colour, rename, get.
		res, body = s.JSON("GET", "/api/v1/client-groups", tok, nil)
		var l struct {
			Items []struct {
				ID      int64
				Name    string
				Color   string
				Members int
			}
		}
		_ = json.Unmarshal([]byte(body), &l)
		if res.StatusCode != 200 || len(l.Items) != 1 || l.Items[0].Name != "VIP" || l.Items[0].Color != "#ff0000" {
			t.Fatalf("list: %d %s", res.StatusCode, body)
		}
		vip := l.Items[0].ID
		if res, body := s.JSON("POST", "/api/v1/client-groups", tok, map[string]any{"name": "  Vip "}); res.StatusCode != 409 || !strings.Contains(body, `"name"`) {
			t.Fatalf("API duplicate: %d %s", res.StatusCode, body)
		}
		if res, body := s.JSON("POST", "/api/v1/client-groups", tok, map[string]any{"name": "X", "color": "#12345"}); res.StatusCode != 422 || !strings.Contains(body, `"color"`) {
			t.Fatalf("API colour: %d %s", res.StatusCode, body)
		}
		if res, body := s.JSON("POST", "/api/v1/client-groups", tok, map[string]any{"name": ""}); res.StatusCode != 422 || !strings.Contains(body, `"name"`) {
			t.Fatalf("API empty name: %d %s", res.StatusCode, body)
		}
		fair := createGroup(t, s, tok, map[string]any{"name": "Targi"})
		if _, body := s.JSON("GET", "/api/v1/client-groups/"+itoa(fair), tok, nil); !strings.Contains(body, `"color":"#6b7280"`) {
			t.Fatalf("default colour: %s", body)
		}
		if res, body := s.JSON("PATCH", "/api/v1/client-groups/"+itoa(fair), tok, map[string]any{"name": "VIP"}); res.StatusCode != 409 {
			t.Fatalf("rename onto a taken name: %d %s", res.StatusCode, body)
		}
		if res, body := s.JSON("PATCH", "/api/v1/client-groups/"+itoa(fair), tok, map[string]any{"name": "Targi 2026", "color": "#00AA00"}); res.StatusCode != 200 ||
			!strings.Contains(body, `"name":"Targi 2026"`) || !strings.Contains(body, `"color":"#00aa00"`) {
			t.Fatalf("rename: %d %s", res.StatusCode, body)
		}
		// Web rename with a bad colour keeps the group; a good one saves.
		if res, _ := b.Post("/client-groups/"+itoa(vip), url.Values{"name": {"VIP"}, "color": {"zielony"}}); res.StatusCode != 422 {
			t.Fatalf("web bad colour = %d", res.StatusCode)
		}
		if res, _ := b.Post("/client-groups/"+itoa(vip), url.Values{"name": {"Najważniejsi"}, "color": {"#0000ff"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("web rename = %d", res.StatusCode)
		}
		_, body = b.Get("/client-groups")
		mustContain(t, body, "Najważniejsi", "Targi 2026")

		// Delete: a client stays, its membership goes; history is kept.
		c := createClient(t, s, tok, map[string]any{"name": "Alfa", "group_ids": []int64{vip, fair}})
		if got := clientGroupIDs(t, s, tok, c); len(got) != 2 {
			t.Fatalf("groups of new client: %v", got)
		}
		if res, _ := b.Post("/client-groups/"+itoa(vip)+"/delete", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("web delete = %d", res.StatusCode)
		}
		if res, _ := s.JSON("DELETE", "/api/v1/client-groups/"+itoa(fair), tok, nil); res.StatusCode != 204 {
			t.Fatalf("API delete = %d", res.StatusCode)
		}
		if res, _ := s.JSON("GET", "/api/v1/client-groups/"+itoa(fair), tok, nil); res.StatusCode != 404 {
			t.Fatalf("deleted group = %d", res.StatusCode)
		}
		if got := clientGroupIDs(t, s, tok, c); len(got) != 0 {
			t.Fatalf("groups after deleting them: %v", got)
		}
		_, body = s.JSON("GET", "/api/v1/clients/"+itoa(c)+"/history", tok, nil)
		if !strings.Contains(body, `"old":"Najważniejsi, Targi 2026","new":"Targi 2026"`) || !strings.Contains(body, `"old":"Targi 2026","new":""`) {
			t.Errorf("client history after group deletes: %s", body)
		}
		_, body = s.JSON("GET", "/api/v1/audit?entity=client_group", tok, nil)
		for _, want := range []string{`"action":"create"`, `"action":"update"`, `"action":"delete"`, "Targi 2026", "Najważniejsi"} {
			if !strings.Contains(body, want) {
				t.Errorf("group history lacks %s: %s", want, body)
			}
		}
		_, body = b.Get("/audit?entity=client_group")
		mustContain(t, body, "Grupa klientów")
	})
}

func TestClientGroupMembership(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		vip := createGroup(t, s, tok, map[string]any{"name": "VIP", "color": "#ff0000"})
		fair := createGroup(t, s, tok, map[string]any{"name": "Targi"})
		alfa := createClient(t, s, tok, map[string]any{"name": "Alfa"})
		beta := createClient(t, s, tok, map[string]any{"name": "Beta"})
		gamma := createClient(t, s, tok, map[string]any{"name": "Gamma"})

		// The form: checkboxes of all groups, ticked ones saved.
		_, body := b.Get("/clients/" + itoa(alfa) + "/edit")
		mustContain(t, body, `name="group_ids" value="`+itoa(vip)+`"`, `name="groups_shown"`)
		form := url.Values{"kind": {"company"}, "name": {"Alfa"}, "status": {"potential"}, "groups_shown": {"1"},
			"group_ids": {itoa(vip), itoa(fair)}}
		if res, _ := b.Post("/clients/"+itoa(alfa), form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save groups = %d", res.StatusCode)
		}
		if got := clientGroupIDs(t, s, tok, alfa); len(got) != 2 {
			t.Fatalf("form groups: %v", got)
		}
		_, body = b.Get("/clients/" + itoa(alfa) + "/edit")
		if strings.Count(body, " checked>") < 2 {
			t.Errorf("edit form does not tick the client's groups")
		}
		_, body = b.Get("/clients/" + itoa(alfa))
		mustContain(t, body, "VIP", "Targi", `href="/clients?group=`+itoa(vip)+`"`)
		// A form without the checkboxes' marker keeps the groups; with it and
		// none ticked, clears them.
		delete(form, "group_ids")
		delete(form, "groups_shown")
		form.Set("city", "Łódź")
		b.Post("/clients/"+itoa(alfa), form)
		if got := clientGroupIDs(t, s, tok, alfa); len(got) != 2 {
			t.Fatalf("groups lost by a form without them: %v", got)
		}
		form.Set("groups_shown", "1")
		b.Post("/clients/"+itoa(alfa), form)
		if got := clientGroupIDs(t, s, tok, alfa); len(got) != 0 {
			t.Fatalf("groups not cleared: %v", got)
		}
		// An unknown group in the form: 422 at the field.
		form.Set("group_ids", "999999")
		if res, body := b.Post("/clients/"+itoa(alfa), form); res.StatusCode != 422 || !strings.Contains(body, "Nie ma takiej grupy.") {
			t.Fatalf("unknown group = %d", res.StatusCode)
		}

		// API: group_ids on PATCH; absent keeps them.
		if res, body := s.JSON("PATCH", "/api/v1/clients/"+itoa(beta), tok, map[string]any{"group_ids": []int64{fair}}); res.StatusCode != 200 || !strings.Contains(body, `"group_ids":[`+itoa(fair)+`]`) {
			t.Fatalf("API group_ids: %d %s", res.StatusCode, body)
		}
		s.JSON("PATCH", "/api/v1/clients/"+itoa(beta), tok, map[string]any{"city": "Gdańsk"})
		if got := clientGroupIDs(t, s, tok, beta); len(got) != 1 || got[0] != fair {
			t.Fatalf("PATCH without group_ids: %v", got)
		}
		if res, body := s.JSON("PATCH", "/api/v1/clients/"+itoa(beta), tok, map[string]any{"group_ids": []int64{424242}}); res.StatusCode != 422 || !strings.Contains(body, `"group_ids"`) {
			t.Fatalf("API unknown group: %d %s", res.StatusCode, body)
		}

		// Bulk add from the list page, filter, bulk remove.
		_, body = b.Get("/clients")
		mustContain(t, body, `action="/clients/bulk-groups"`, `name="client_id" value="`+itoa(gamma)+`"`, "Dodaj do grupy", "Usuń z grupy")
		res, _ := b.Post("/clients/bulk-groups", url.Values{"group_id": {itoa(vip)}, "action": {"add"},
			"client_id": {itoa(alfa), itoa(gamma)}, "next": {"/clients?q=a"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/clients?q=a" {
			t.Fatalf("bulk add = %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if got := listNames(t, s, tok, "group_id="+itoa(vip)); got != "Alfa,Gamma" {
			t.Fatalf("group filter after bulk add: %q", got)
		}
		_, body = b.Get("/clients?group=" + itoa(vip))
		mustContain(t, body, "Alfa", "Gamma")
		mustNotContain(t, body, ">Beta<")
		_, body = s.JSON("GET", "/api/v1/client-groups/"+itoa(vip), tok, nil)
		if !strings.Contains(body, `"members":2`) {
			t.Fatalf("count: %s", body)
		}
		b.Post("/clients/bulk-groups", url.Values{"group_id": {itoa(vip)}, "action": {"remove"}, "client_id": {itoa(alfa)}})
		if got := listNames(t, s, tok, "group_id="+itoa(vip)); got != "Gamma" {
			t.Fatalf("after bulk remove: %q", got)
		}

		// API members: add (already there skipped), remove.
		res, body = s.JSON("POST", "/api/v1/client-groups/"+itoa(fair)+"/members", tok, map[string]any{"client_ids": []int64{alfa, beta, alfa}})
		if res.StatusCode != 200 || !strings.Contains(body, `"changed":1`) || !strings.Contains(body, `"members":2`) {
			t.Fatalf("API add: %d %s", res.StatusCode, body)
		}
		res, body = s.JSON("DELETE", "/api/v1/client-groups/"+itoa(fair)+"/members", tok, map[string]any{"client_ids": []int64{beta}})
		if res.StatusCode != 200 || !strings.Contains(body, `"changed":1`) {
			t.Fatalf("API remove: %d %s", res.StatusCode, body)
		}
		if res, _ := s.JSON("POST", "/api/v1/client-groups/"+itoa(fair)+"/members", tok, map[string]any{"client_ids": []int64{}}); res.StatusCode != 422 {
			t.Fatalf("API add nothing: %d", res.StatusCode)
		}
		if got := listNames(t, s, tok, "group_id="+itoa(fair)); got != "Alfa" {
			t.Fatalf("fair members: %q", got)
		}

		// History: the client's "groups" field, the group's members.
		_, body = b.Get("/clients/" + itoa(gamma) + "?tab=history")
		mustContain(t, body, "Grupy", "VIP")
		_, body = s.JSON("GET", "/api/v1/clients/"+itoa(alfa)+"/history", tok, nil)
		if !strings.Contains(body, `"field":"groups"`) {
			t.Fatalf("client history: %s", body)
		}
		_, body = s.JSON("GET", "/api/v1/audit?entity=client_group&entity_id="+itoa(vip), tok, nil)
		if !strings.Contains(body, `"members_added"`) || !strings.Contains(body, `"members_removed"`) {
			t.Fatalf("group history: %s", body)
		}
		// A purged client leaves its groups.
		s.JSON("DELETE", "/api/v1/clients/"+itoa(gamma), tok, nil)
		if got := listNames(t, s, tok, "group_id="+itoa(vip)); got != "" {
			t.Fatalf("trashed client still listed: %q", got)
		}
		b.Post("/clients/"+itoa(gamma)+"/purge", nil)
		if _, body := s.JSON("GET", "/api/v1/client-groups/"+itoa(vip), tok, nil); !strings.Contains(body, `"members":0`) {
			t.Fatalf("after purge: %s", body)
		}
	})
}

func TestClientGroupsIsolationAndPermissions(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		vip := createGroup(t, s, tok, map[string]any{"name": "VIP"})
		mine := createClient(t, s, tok, map[string]any{"name": "Alfa"})

		bb := s.SignUp("Firma B", "Ewa Nowak", "ewa@example.pl", pw)
		tokB := s.Token("ewa@example.pl", pw)
		groupB := createGroup(t, s, tokB, map[string]any{"name": "VIP"}) // same name, other account: fine
		clientB := createClient(t, s, tokB, map[string]any{"name": "Obcy"})

		// B cannot see or touch A's group.
		for _, m := range []string{"GET", "PATCH", "DELETE"} {
			if res, _ := s.JSON(m, "/api/v1/client-groups/"+itoa(vip), tokB, map[string]any{"name": "Hak"}); res.StatusCode != 404 {
				t.Errorf("B %s A's group = %d", m, res.StatusCode)
			}
		}
		if res, _ := s.JSON("POST", "/api/v1/client-groups/"+itoa(vip)+"/members", tokB, map[string]any{"client_ids": []int64{clientB}}); res.StatusCode != 404 {
			t.Errorf("B adds to A's group = %d", res.StatusCode)
		}
		if res, _ := bb.Post("/clients/bulk-groups", url.Values{"group_id": {itoa(vip)}, "client_id": {itoa(clientB)}}); res.StatusCode != 404 {
			t.Errorf("B bulk into A's group = %d", res.StatusCode)
		}
		// B's client into A's group, B's group on A's client: refused, nothing changed.
		if res, _ := s.JSON("POST", "/api/v1/client-groups/"+itoa(vip)+"/members", tok, map[string]any{"client_ids": []int64{mine, clientB}}); res.StatusCode != 404 {
			t.Errorf("A adds B's client = %d", res.StatusCode)
		}
		if got := listNames(t, s, tok, "group_id="+itoa(vip)); got != "" {
			t.Errorf("partial add happened: %q", got)
		}
		if res, _ := s.JSON("PATCH", "/api/v1/clients/"+itoa(mine), tok, map[string]any{"group_ids": []int64{groupB}}); res.StatusCode != 422 {
			t.Errorf("A uses B's group = %d", res.StatusCode)
		}
		if got := listNames(t, s, tokB, "group_id="+itoa(groupB)); got != "" {
			t.Errorf("B's group got members: %q", got)
		}
		if got := listNames(t, s, tokB, "group_id="+itoa(vip)); got != "" {
			t.Errorf("B filters by A's group: %q", got)
		}

		// Permissions: view lists but cannot create; edit cannot delete.
		viewer := s.AddUser("jan@example.pl", "view@example.pl", pw, apptest.Scope("clients", "view"))
		_, body := viewer.Get("/client-groups")
		mustContain(t, body, "VIP")
		mustNotContain(t, body, `action="/client-groups"`, "/delete")
		if res, _ := viewer.Post("/client-groups", url.Values{"name": {"Nowa"}}); res.StatusCode != 403 {
			t.Errorf("viewer creates = %d", res.StatusCode)
		}
		_, body = viewer.Get("/clients")
		mustNotContain(t, body, "bulk-groups")
		if res, _ := s.JSON("POST", "/api/v1/client-groups", s.Token("view@example.pl", pw), map[string]any{"name": "Nowa"}); res.StatusCode != 403 {
			t.Errorf("viewer creates via API = %d", res.StatusCode)
		}
		editor := s.AddUser("jan@example.pl", "edit@example.pl", pw, apptest.Scope("clients", "edit"))
		tokE := s.Token("edit@example.pl", pw)
		if res, _ := editor.Post("/client-groups/"+itoa(vip)+"/delete", nil); res.StatusCode != 403 {
			t.Errorf("editor deletes = %d", res.StatusCode)
		}
		if res, _ := s.JSON("DELETE", "/api/v1/client-groups/"+itoa(vip), tokE, nil); res.StatusCode != 403 {
			t.Errorf("editor deletes via API = %d", res.StatusCode)
		}
		if res, _ := s.JSON("PATCH", "/api/v1/client-groups/"+itoa(vip), tokE, map[string]any{"color": "#abcdef"}); res.StatusCode != 200 {
			t.Errorf("editor recolours = %d", res.StatusCode)
		}
		if res, _ := editor.Post("/clients/bulk-groups", url.Values{"group_id": {itoa(vip)}, "action": {"add"}, "client_id": {itoa(mine)}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("editor bulk add = %d", res.StatusCode)
		}

		// own_only: someone else's client is refused (404), nothing changed.
		_, body = s.JSON("POST", "/api/v1/employees", tok, map[string]any{"first_name": "Ola", "last_name": "Lis"})
		var e struct{ ID int64 }
		_ = json.Unmarshal([]byte(body), &e)
		s.JSON("POST", "/api/v1/users", tok, map[string]any{"email": "own@example.pl", "name": "Ola Lis", "password": pw,
			"employee_id": e.ID, "permissions": map[string]string{"clients": "edit"}, "own_only": []string{"clients"}})
		tokOwn := s.Token("own@example.pl", pw)
		own := createClient(t, s, tokOwn, map[string]any{"name": "Mój"})
		other := createClient(t, s, tok, map[string]any{"name": "Cudzy"})
		if res, _ := s.JSON("POST", "/api/v1/client-groups/"+itoa(vip)+"/members", tokOwn, map[string]any{"client_ids": []int64{own, other}}); res.StatusCode != 404 {
			t.Errorf("own-only adds someone else's client = %d", res.StatusCode)
		}
		if got := listNames(t, s, tok, "group_id="+itoa(vip)); got != "Alfa" {
			t.Errorf("members after refused own-only add: %q", got)
		}
		if res, body := s.JSON("POST", "/api/v1/client-groups/"+itoa(vip)+"/members", tokOwn, map[string]any{"client_ids": []int64{own}}); res.StatusCode != 200 || !strings.Contains(body, `"members":1`) {
			t.Errorf("own-only adds own client: %d %s", res.StatusCode, body) // counts only what they see
		}
	})
}
