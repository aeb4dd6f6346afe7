package web

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/i18n"
)

// The markup the typed renderers replaced, as the templates had it: the
// renderers must give the same bytes as html/template does for any value.
const typedReference = `
{{define "ref-rows"}}{{$bulk := .Data.Bulk $}}{{range .Data.Items}}
    <tr>
      {{if $bulk}}<td><input type="checkbox" name="client_id" value="{{.ID}}" aria-label="{{$.T "clientgroups.select_client" "name" .Name}}"></td>{{end}}
      <td><a href="/clients/{{.ID}}">{{.Name}}</a>{{if .ShortName}} <span class="muted">({{.ShortName}})</span>{{end}}{{range .Groups}} <span class="badge">{{template "group-dot" .}} {{.Name}}</span>{{end}}{{template "tag-badges" .Tags}}</td>
      <td>{{.City}}</td>
      <td class="hide-narrow">{{with .Phone}}<a href="tel:{{$.Tel .}}">{{.}}</a>{{end}}</td>
      <td class="hide-narrow">{{with .Email}}<a href="mailto:{{.}}">{{.}}</a>{{end}}</td>
      <td><span class="badge{{if eq .Status "active"}} badge-success{{end}}">{{$.T (printf "clients.status.%s" .Status)}}</span></td>
    </tr>
  {{end}}{{end}}
{{define "new-rows"}}{{.Data.Rows $ (.Data.Bulk $)}}{{end}}
{{define "ref-options"}}{{range .Data.Employees}}<option value="{{.Value}}"{{if eq .Value $.Data.Employee}} selected{{end}}>{{.Label}}</option>{{end}}{{end}}
{{define "new-options"}}{{.Options .Data.Employees .Data.Employee}}{{end}}
{{define "ref-queue"}}{{$d := .Data}}{{$l := .Data.Labels}}{{range .Data.Rows}}{{$id := .ID}}
  <li class="card{{if .Overdue}} contact-overdue{{end}}" id="contact-{{$id}}">
    <p><strong><a href="/contacts/{{$id}}">{{.At}}</a></strong>{{if .Overdue}} <span class="badge badge-delete">{{$l.Overdue}}</span>{{end}}
      · {{.Channel}} · <a href="/clients/{{.ClientID}}">{{.ClientName}}</a>{{with .PersonName}} ({{.}}){{end}}</p>
    {{with .Subject}}<p>{{.}}</p>{{end}}
    {{if $d.CanEdit}}
    <form method="post" action="/contacts/{{$id}}/complete" class="filters">
      <input type="hidden" name="next" value="/contacts/mine">
      <div class="field">
        <label for="o-{{$id}}">{{$l.Outcome}}</label>
        <select id="o-{{$id}}" name="outcome" required>{{$d.Outcomes}}</select>
      </div>
      <div class="field field-grow">
        <label for="n-{{$id}}">{{$l.Note}}</label>
        <input id="n-{{$id}}" name="note" type="text" autocomplete="off">
      </div>
      <div class="field">
        <label for="nd-{{$id}}">{{$l.NextDate}}</label>
        <input id="nd-{{$id}}" name="next_date" type="date">
      </div>
      <div class="field">
        <label for="nt-{{$id}}">{{$l.NextTime}}</label>
        <input id="nt-{{$id}}" name="next_time" type="time">
      </div>
      <button type="submit" class="btn btn-primary">{{$l.Complete}}</button>
    </form>
    {{end}}
  </li>
{{end}}
{{end}}
{{define "new-queue"}}{{.Data.List}}
{{end}}
{{define "ref-navlist"}}<ul class="navlist">
  {{range .Nav}}<li><a href="{{.Href}}" class="nav-{{.Key}}"{{if .Active}} aria-current="page"{{end}}>{{template "icon" .Icon}}<span>{{.Label}}</span></a></li>{{end}}
</ul>{{end}}
`

// Values html/template escapes: HTML specials, '+', NUL, bytes that are
// not UTF-8, spaces and reserved characters in URLs, valid and broken %xx.
var awkward = []string{"", "Piekarnia „Łódź” sp. z o.o.", `<b>"Kot" & 'Pies'</b>`, "a+b=c?d#e", "\x00nul", "bad\xff\xfeutf8",
	"50% off %2F %zz %", "javascript:alert(1)", "tab\tnew\nline", "!$*,/:;@[]~-._()", "ąę śćź ŻÓŁ €", "\u2028\ufdd0\ufffe"}

func TestTypedRenderers(t *testing.T) {
	p, cat, owner := benchPages(t)
	set, err := p.set["clients"].Clone()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := set.Parse(typedReference); err != nil {
		t.Fatal(err)
	}
	var items []crm.Client
	var opts []Option
	for i, s := range awkward {
		c := crm.Client{ID: int64(i*1000 - 1), Name: s, ShortName: awkward[(i+1)%len(awkward)], City: awkward[(i+2)%len(awkward)],
			Status: crm.ClientStatuses[i%len(crm.ClientStatuses)]}
		if i%4 != 3 {
			c.Phones = []string{"+48 600-100 " + s, "+48 1"}
			c.Emails = []string{s + "@example.pl", "b@example.pl"}
			c.Tags = []string{s, "hurt", awkward[(i+3)%len(awkward)]}
			c.Groups = []crm.ClientGroup{{ID: 1, Name: s, Color: "#2f5bea"}, {ID: 2, Name: "Grupa", Color: s}}
		}
		items = append(items, c)
		opts = append(opts, Option{Value: s, Label: awkward[(i+5)%len(awkward)]})
	}
	// The menu: the real one of an owner and of a user, and entries with
	// awkward hrefs, keys and labels.
	h := &Web{nav: navigation()}
	for _, pr := range []*crm.Principal{owner, {User: crm.User{ID: 2, Role: crm.RoleUser, Active: true}, Account: owner.Account}} {
		for _, active := range []string{"clients", "settings", ""} {
			v := &View{L: cat.For(i18n.PL), Lang: i18n.PL, P: pr}
			v.Nav = h.navFor(pr, active, v.L)
			if active == "" {
				for i, s := range awkward {
					v.Nav = append(v.Nav, NavItem{Key: s, Href: awkward[(i+1)%len(awkward)], Label: awkward[(i+2)%len(awkward)], Icon: "tasks", Active: i%2 == 0})
				}
			}
			var want bytes.Buffer
			if err := set.ExecuteTemplate(&want, "ref-navlist", v); err != nil {
				t.Fatal(err)
			}
			got, err := v.NavList()
			if err != nil || string(got) != want.String() || len(v.Nav) == 0 || strings.Count(want.String(), "<svg") != len(v.Nav) {
				t.Fatalf("NavList (%s, active %q) = %v, differs from the template:\n got %q\nwant %q", pr.User.Role, active, err, got, want.String())
			}
		}
	}
	// The top bar's icons.
	for _, name := range []string{"menu", "search", "bell", "tasks"} {
		var want bytes.Buffer
		if err := set.ExecuteTemplate(&want, "icon", name); err != nil {
			t.Fatal(err)
		}
		got, err := (&View{}).Icon(name)
		if err != nil || string(got) != want.String() || !strings.HasPrefix(string(got), "<svg") {
			t.Fatalf("Icon(%s) = %q, %v; want %q", name, got, err, want.String())
		}
	}
	if _, err := (&View{}).Icon("nope"); err == nil {
		t.Fatal("an icon that is not rendered gives no error")
	}
	// The "Moje kontakty" queue, as the owner (with the forms) and as a
	// user who may not edit contacts.
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	var contacts []crm.PlannedContact
	for i, s := range awkward {
		contacts = append(contacts, crm.PlannedContact{ID: int64(i + 1), ClientID: int64(1000 - i), ClientName: s,
			PersonName: awkward[(i+1)%len(awkward)], Channel: crm.ContactChannels[i%len(crm.ContactChannels)],
			Subject: awkward[(i+2)%len(awkward)], At: now.Add(time.Duration(i-len(awkward)/2) * time.Hour), Status: crm.ContactPlanned})
	}
	for _, pr := range []*crm.Principal{owner, {User: crm.User{ID: 2, Role: crm.RoleUser, Active: true}, Account: owner.Account}} {
		zone, _ := i18n.LoadZone("Europe/Warsaw")
		v := &View{L: cat.For(i18n.PL), Lang: i18n.PL, P: pr, Zone: zone}
		d := myContactsData(v, contacts, now, false, "")
		d.Labels.Overdue, d.Labels.Note = awkward[2], awkward[3] // labels are escaped too
		v.Data = d
		var want, got bytes.Buffer
		if err := set.ExecuteTemplate(&want, "ref-queue", v); err != nil {
			t.Fatal(err)
		}
		if err := set.ExecuteTemplate(&got, "new-queue", v); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() || strings.Count(got.String(), "<li") != len(contacts) ||
			strings.Contains(got.String(), "<form") != d.CanEdit || !strings.Contains(got.String(), "contact-overdue") {
			t.Fatalf("queue (%s, edit %v) differs from the template:\n got %q\nwant %q", pr.User.Role, d.CanEdit, got.String(), want.String())
		}
	}
	user := *owner
	user.User.Role = crm.RoleUser // may not edit clients: no checkboxes
	for _, pr := range []*crm.Principal{owner, &user} {
		for _, lang := range []i18n.Lang{i18n.PL, i18n.EN} {
			for _, groups := range [][]Option{nil, {{Value: "1", Label: "Grupa"}}} {
				for _, sel := range []string{"", awkward[1], awkward[3], "none"} {
					v := &View{L: cat.For(lang), Lang: lang, P: pr}
					d := ClientsData{Items: items, BulkGroups: groups, Employees: opts, Employee: sel}
					v.Data = d
					if d.Bulk(v) != (pr == owner && groups != nil) {
						t.Fatalf("Bulk = %v for %s with %d groups", d.Bulk(v), pr.User.Role, len(groups))
					}
					for _, pair := range [][2]string{{"ref-rows", "new-rows"}, {"ref-options", "new-options"}} {
						var want, got bytes.Buffer
						if err := set.ExecuteTemplate(&want, pair[0], v); err != nil {
							t.Fatal(err)
						}
						if err := set.ExecuteTemplate(&got, pair[1], v); err != nil {
							t.Fatal(err)
						}
						if got.String() != want.String() {
							t.Fatalf("%s (%s, %s, selected %q) differs from the template:\n got %q\nwant %q", pair[1], pr.User.Role, lang, sel,
								got.String(), want.String())
						}
						if pair[1] == "new-rows" && (strings.Count(got.String(), "<tr>") != len(items) ||
							strings.Contains(got.String(), `type="checkbox"`) != d.Bulk(v)) {
							t.Fatalf("rows: %d of %d, checkboxes %v: %s", strings.Count(got.String(), "<tr>"), len(items), d.Bulk(v), got.String())
						}
						if pair[1] == "new-options" && sel == awkward[3] && !strings.Contains(got.String(), `value="a&#43;b=c?d#e" selected>`) {
							t.Fatalf("the selected option is not marked: %s", got.String())
						}
					}
				}
			}
		}
	}
}
