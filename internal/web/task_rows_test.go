package web

import (
	"bytes"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/i18n"
)

// oldTaskRows is the template the task list's rows were rendered with
// before View.TaskRows wrote them in Go.
const oldTaskRows = `{{define "old-task-rows"}}{{$d := .Data}}{{range $d.Items}}{{$over := .Overdue $d.Now}}
    <tr class="{{if $over}}contact-overdue{{end}}">
      <td>{{range .Groups}}{{template "group-dot" .}} {{end}}<a href="/tasks/{{.ID}}">{{.Title}}</a>{{if .Recurring}} <span class="muted" title="{{$.T "tasks.recurring"}}" aria-label="{{$.T "tasks.recurring"}}">↻</span>{{end}}{{if $over}} <span class="badge badge-delete">{{$.T "tasks.overdue"}}</span>{{end}}</td>
      <td>{{if .Recurring}}{{with .Next}}{{$.Span .Start .End .AllDay}}{{else}}<span class="muted">{{$.T "tasks.series_ended"}}</span>{{end}}{{else}}{{$.Span .Start .End .AllDay}}{{end}}</td>
      <td class="hide-narrow">{{range $i, $e := .Employees}}{{if $i}}, {{end}}{{$e.FullName}}{{end}}</td>
      <td class="hide-narrow">{{if .ClientID}}<a href="/clients/{{.ClientID}}">{{.ClientName}}</a>{{end}}</td>
      <td class="hide-narrow"><span class="badge{{if eq .Priority "urgent" "high"}} badge-delete{{end}}">{{$.T (printf "tasks.priority.%s" .Priority)}}</span></td>
      <td>{{$st := .Status}}{{if .Recurring}}{{with .Next}}{{$st = .Status}}{{end}}{{end}}
        <span class="badge{{if eq $st "done"}} badge-success{{else if eq $st "in_progress"}} badge-update{{end}}">{{$.T (printf "tasks.status.%s" $st)}}</span>
        {{if and ($.Can "tasks" "edit") (or (eq $st "todo") (eq $st "in_progress")) (or (not .Recurring) .Next)}}
        <form method="post" action="/tasks/{{.ID}}/complete">
          {{if .Recurring}}{{with .Next}}<input type="hidden" name="occurrence" value="{{$.RFC .Original}}">{{end}}{{end}}
          <input type="hidden" name="next" value="{{$d.Here}}">
          <button type="submit" class="btn btn-small" aria-label="{{$.T "tasks.mark_done"}}: {{.Title}}">✓ {{$.T "tasks.done_short"}}</button>
        </form>{{end}}
      </td>
    </tr>
  {{end}}{{end}}`

// View.TaskRows writes what the template wrote, byte for byte: every kind
// of row (overdue, series with and without a next occurrence, groups,
// employees, client, each priority and status), text that needs escaping,
// both languages, with and without the right to edit tasks.
func TestTaskRowsAsTheTemplate(t *testing.T) {
	a, err := newAssets()
	if err != nil {
		t.Fatal(err)
	}
	p, err := parsePages(a)
	if err != nil {
		t.Fatal(err)
	}
	old, err := p.set["tasks"].Clone()
	if err != nil {
		t.Fatal(err)
	}
	if old, err = old.Parse(oldTaskRows); err != nil {
		t.Fatal(err)
	}
	cat := i18n.MustLoad()
	zone, _ := i18n.LoadZone("Europe/Warsaw")
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	client := int64(77)
	var items []crm.Task
	for i := range 48 {
		st := now.Add(time.Duration(i-20) * 5 * time.Hour)
		k := crm.Task{ID: int64(i + 1), Title: "Telefon do <Łucji> & \"Syna\" 'Ola' +48 \x00", Start: st, End: st.Add(90 * time.Minute),
			AllDay: i%7 == 3, Status: crm.TaskStatuses[i%len(crm.TaskStatuses)], Priority: crm.TaskPriorities[i%len(crm.TaskPriorities)]}
		if i%3 == 0 {
			k.ClientID, k.ClientName = &client, "Piekarnia \"Zbożowa\" & Syn"
		}
		if i%4 != 1 {
			k.Employees = []crm.Employee{{ID: 1, FirstName: "Ala", LastName: "Kot"}, {ID: 2, FirstName: "Ola", LastName: "<Lis>"}}[:1+i%2]
		}
		if i%5 == 0 {
			k.Groups = []crm.TaskGroup{{ID: 1, Name: "Serwis", Color: "#2f5bea"}, {ID: 2, Name: "Biuro", Color: "#e11d48"}}[:1+i%2]
		}
		if i%6 == 2 {
			k.Recurrence = "FREQ=WEEKLY"
			if i%12 != 2 {
				k.Next = &crm.TaskOccurrence{TaskID: k.ID, Original: st.AddDate(0, 0, 7), Start: st.AddDate(0, 0, 7).Add(time.Hour),
					End: st.AddDate(0, 0, 7).Add(2 * time.Hour), AllDay: i%4 == 0, Status: crm.TaskStatuses[(i/6)%len(crm.TaskStatuses)]}
			}
		}
		items = append(items, k)
	}
	for _, lang := range []i18n.Lang{i18n.PL, i18n.EN} {
		for _, role := range []crm.Role{crm.RoleOwner, crm.RoleUser} {
			pr := &crm.Principal{User: crm.User{ID: 1, Name: "Jan", Role: role, Active: true,
				Scope: crm.Scope{Permissions: map[string]string{"tasks": "view"}}}, Account: crm.Account{ID: 1, TimeZone: "Europe/Warsaw"}}
			v := &View{L: cat.For(lang), Lang: lang, P: pr, Zone: zone, Here: "/tasks", Section: "tasks"}
			d := TasksData{Items: items, Now: now, Here: "/tasks?view=all&q=a+b&page=2"}
			v.Data = d
			var want bytes.Buffer
			if err := old.ExecuteTemplate(&want, "old-task-rows", v); err != nil {
				t.Fatal(err)
			}
			if got := string(v.TaskRows(d)); got != want.String() {
				t.Errorf("%s, %s: the rows differ from the template's:\n%s\nwant\n%s", lang, role, got, want.String())
			}
			if role == crm.RoleOwner && !bytes.Contains(want.Bytes(), []byte("/complete")) {
				t.Errorf("%s: no row with its form: the check checks too little", lang)
			}
		}
	}
}
