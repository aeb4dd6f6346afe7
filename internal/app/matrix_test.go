package app_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"klientela/internal/app"
	"klientela/internal/app/apptest"
	"klientela/internal/authz"
	"klientela/internal/config"
	"klientela/internal/service"
)

// route is a web page or API endpoint and the access it needs, from the
// route tables of both sides.
type route struct {
	api     bool
	method  string
	path    string
	section authz.Section
	level   authz.Level
}

func routesOf(s *apptest.Server) []route {
	var rs []route
	for _, r := range s.Web.Routes() {
		rs = append(rs, route{method: r.Method, path: r.Path, section: r.Section, level: r.Level})
	}
	for _, r := range s.API.Routes() {
		rs = append(rs, route{api: true, method: r.Method, path: r.Path, section: r.Section, level: r.Level})
	}
	return rs
}

// Registered outside the route tables on purpose: assets, health, fallbacks.
var unguarded = []string{"GET /static/", "GET /favicon.ico", "/", "GET /healthz", "GET /readyz", "/api/v1/", "/api/"}

// TestEveryRouteHasARule fails when something is registered on the router
// without going through a route table, i.e. without a permission rule.
func TestEveryRouteHasARule(t *testing.T) {
	s := apptest.Start(t, "sqlite")
	known := map[string]bool{}
	for _, r := range routesOf(s) {
		known[r.method+" "+r.path] = true
	}
	for _, p := range s.Patterns {
		if !known[p] && !slices.Contains(unguarded, p) {
			t.Errorf("route %q is registered without a permission rule (use Web.route / API.handle)", p)
		}
	}
}

// call makes one request as a browser (web routes) or with a token (API).
func call(t *testing.T, s *apptest.Server, b *apptest.Browser, token string, r route, path string) int {
	t.Helper()
	if r.api {
		var body any
		if r.method == "POST" || r.method == "PATCH" || r.method == "PUT" {
			body = map[string]any{}
		}
		res, _ := s.JSON(r.method, path, token, body)
		return res.StatusCode
	}
	if r.method == "GET" {
		res, _ := b.Get(path)
		return res.StatusCode
	}
	res, _ := b.Post(path, url.Values{})
	return res.StatusCode
}

// fixture is one account with one record of each kind, for {id}.
type fixture struct {
	ids     map[string]int64 // path prefix → id
	person  int64            // a contact person of the client, for {pid}
	version int64            // a version of the document, for {vid}
}

// fill puts the id of the longest matching prefix into path.
func (f fixture) fill(path string) string {
	path = strings.Replace(path, "{pid}", strconv.FormatInt(f.person, 10), 1)
	path = strings.Replace(path, "{vid}", strconv.FormatInt(f.version, 10), 1)
	best, id := "", int64(1)
	for prefix, pid := range f.ids {
		if strings.HasPrefix(path, prefix) && len(prefix) > len(best) {
			best, id = prefix, pid
		}
	}
	return strings.Replace(path, "{id}", strconv.FormatInt(id, 10), 1)
}

func newFixture(t *testing.T, s *apptest.Server, owner *apptest.Browser, ownerEmail string) fixture {
	t.Helper()
	tok := s.Token(ownerEmail, pw)
	f := fixture{ids: map[string]int64{}}
	post := func(path string, in any) int64 { return s.Create(tok, path, in) }
	emp := post("/api/v1/employees", map[string]any{"first_name": "Ala", "last_name": "Kot"})
	f.ids["/employees/"] = emp
	f.ids["/api/v1/employees/"] = emp
	user := post("/api/v1/users", map[string]any{"email": "cel-" + ownerEmail, "name": "Cel", "password": pw,
		"employee_id": emp, "permissions": map[string]string{"tasks": "view"}})
	f.ids["/users/"] = user
	f.ids["/api/v1/users/"] = user
	biz := post("/api/v1/businesses", map[string]any{"name": "Druga firma " + ownerEmail})
	f.ids["/settings/businesses/"] = biz
	f.ids["/api/v1/businesses/"] = biz
	client := post("/api/v1/clients", map[string]any{"kind": "company", "name": "Klient " + ownerEmail})
	f.ids["/clients/"] = client
	f.ids["/api/v1/clients/"] = client
	f.person = post("/api/v1/clients/"+strconv.FormatInt(client, 10)+"/persons", map[string]any{"first_name": "Ewa", "last_name": "Lis"})
	contact := post("/api/v1/planned-contacts", map[string]any{"client_id": client, "employee_id": emp,
		"at": "2030-01-02T10:00:00+01:00", "subject": "Fixture"})
	f.ids["/contacts/"] = contact
	f.ids["/api/v1/planned-contacts/"] = contact
	group := post("/api/v1/client-groups", map[string]any{"name": "Grupa " + ownerEmail})
	f.ids["/client-groups/"] = group
	f.ids["/api/v1/client-groups/"] = group
	folder := post("/api/v1/file-folders", map[string]any{"name": "Folder " + ownerEmail})
	f.ids["/file-folders/"] = folder
	f.ids["/api/v1/file-folders/"] = folder
	file := uploadFile(t, s, tok, "/api/v1/files?folder_id="+strconv.FormatInt(folder, 10)+"&client_id="+strconv.FormatInt(client, 10),
		"umowa.txt", "treść umowy")
	f.ids["/files/"] = file
	f.ids["/api/v1/files/"] = file
	imp := importCSV(t, s, tok, "Nazwa;NIP\r\nImport "+ownerEmail+";\r\n", "")
	f.ids["/client-imports/"] = imp
	f.ids["/api/v1/client-imports/"] = imp
	taskGroup := post("/api/v1/task-groups", map[string]any{"name": "Zadania " + ownerEmail})
	f.ids["/task-groups/"] = taskGroup
	f.ids["/api/v1/task-groups/"] = taskGroup
	task := post("/api/v1/tasks", map[string]any{"title": "Fixture", "start": "2030-01-02T10:00:00+01:00",
		"end": "2030-01-02T11:00:00+01:00", "employee_ids": []int64{emp}, "group_ids": []int64{taskGroup}, "client_id": client,
		"remind_at": "2026-01-02T10:00:00+01:00"})
	f.ids["/tasks/"] = task
	f.ids["/api/v1/tasks/"] = task
	// The task's reminder is past: delivered at once, to Cel (emp's user).
	f.ids["/notifications/"] = deliverOne(t, s, "cel-"+ownerEmail)
	f.ids["/api/v1/notifications/"] = f.ids["/notifications/"]
	doc := post("/api/v1/documents", map[string]any{"title": "Umowa " + ownerEmail, "body_html": "<p>Treść</p>",
		"client_id": client, "tags": []string{"umowa"}})
	f.ids["/documents/"] = doc
	f.ids["/api/v1/documents/"] = doc
	f.version = documentVersions(t, s, tok, doc)[0].ID
	f.ids["/document-images/"] = uploadDocumentImage(t, s, owner, doc)
	_, body := s.JSON("GET", "/api/v1/tokens", tok, nil)
	var toks struct{ Items []struct{ ID int64 } }
	_ = json.Unmarshal([]byte(body), &toks)
	f.ids["/api/v1/tokens/"] = toks.Items[0].ID
	return f
}

// TestPermissionMatrix: for every section and every level, a user with
// exactly that level gets through every route of the section that needs no
// more, and 403 on the others — through the HTML pages and the API alike.
func TestPermissionMatrix(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		owner := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		f := newFixture(t, s, owner, "jan@example.pl")
		routes := routesOf(s)
		sections := append([]authz.Section{authz.Dashboard, authz.Users, authz.Audit}, authz.Scoped...)
		n := 0
		for _, sec := range sections {
			var mine []route
			for _, r := range routes {
				if r.section == sec {
					mine = append(mine, r)
				}
			}
			if len(mine) == 0 {
				continue
			}
			for l := authz.None; l <= authz.Full; l++ {
				email := fmt.Sprintf("%s-%s@example.pl", sec, l)
				scope := apptest.Scope()
				if sec.Valid() && l > authz.None {
					scope = apptest.Scope(string(sec), l.String())
				}
				b := s.AddUser("jan@example.pl", email, pw, scope)
				tok := s.Token(email, pw)
				for _, r := range mine {
					// What the user may do: the owner-only sections never,
					// the dashboard always, the rest by level.
					allowed := l >= r.level
					switch sec {
					case authz.Users, authz.Audit:
						allowed = false
					case authz.Dashboard:
						allowed = true
					}
					if r.path == "/api/v1/tokens/current" && r.method == "DELETE" {
						continue // it would revoke the token the loop goes on using
					}
					got := call(t, s, b, tok, r, f.fill(r.path))
					n++
					if allowed && (got == 403 || got == 401 || got >= 500) {
						t.Errorf("%s with %s=%s: %s %s = %d, want access", email, sec, l, r.method, r.path, got)
					}
					if !allowed && got != 403 {
						t.Errorf("%s with %s=%s: %s %s = %d, want 403", email, sec, l, r.method, r.path, got)
					}
				}
			}
		}
		t.Logf("%d requests checked", n)
	}, manyLogins)
}

// manyLogins lifts the per-IP login limit: the matrix logs in a user per
// section and level, all from one address.
func manyLogins(_ *config.Config, o *app.Options) { o.Limits = service.Limits{LoginPerIP: 1000} }

// TestTenantIsolationEveryRoute: the owner of another account gets 404 on
// every route that names a record of this account.
func TestTenantIsolationEveryRoute(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		a := s.SignUp("Firma A", "Jan Kowalski", "jan@example.pl", pw)
		f := newFixture(t, s, a, "jan@example.pl")
		b := s.SignUp("Firma B", "Ola Lis", "ola@example.pl", pw)
		tokB := s.Token("ola@example.pl", pw)
		n := 0
		for _, r := range routesOf(s) {
			if !strings.Contains(r.path, "{id}") {
				continue
			}
			path := f.fill(r.path)
			if got := call(t, s, b, tokB, r, path); got != 404 {
				t.Errorf("account B: %s %s = %d, want 404", r.method, path, got)
			}
			n++
		}
		if n < 10 {
			t.Fatalf("only %d routes with {id}: is the route table empty?", n)
		}
		// And nothing of A changed: its records are all still there.
		tokA := s.Token("jan@example.pl", pw)
		for _, p := range []string{"/api/v1/employees/", "/api/v1/users/", "/api/v1/businesses/", "/api/v1/tasks/", "/api/v1/task-groups/"} {
			if res, body := s.JSON("GET", p+strconv.FormatInt(f.ids[p], 10), tokA, nil); res.StatusCode != 200 {
				t.Errorf("A's %s%d after B's attempts: %d %s", p, f.ids[p], res.StatusCode, body)
			}
		}
	})
}
