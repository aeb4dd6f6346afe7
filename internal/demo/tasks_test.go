package demo

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/password"
	"klientela/internal/service"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

// Tasks and documents of a small demo on both engines: the counts; every
// task as the service would save it (saving it again through the service
// changes nothing, its span and rule included); the mix the demo promises
// (all-day, several employees, clients, groups, series that end, past ones
// mostly done, reminders); the tasks in the task list, its search and the
// calendar; the documents searchable; a template rendered for a client.
func TestDemoTasksAndDocuments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		svc, err := service.New(st, service.Options{Password: password.Fast, Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		res, err := Run(context.Background(), svc, st, Options{Email: "demo@zuraw.pl", Password: "bardzo-tajne-haslo",
			Clients: 60, Contacts: 50, Tasks: 400, Documents: 12, Employees: 5, Seed: 7, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		ctx := crm.WithPrincipal(context.Background(), &crm.Principal{User: res.Owner, Account: res.Account})
		if res.Tasks != 400 || res.Documents != 12 || len(res.Templates) != 2 || len(res.TaskGroups) != len(taskGroupDefs) {
			t.Fatalf("result: %d tasks, %d documents, %d templates, %d task groups", res.Tasks, res.Documents,
				len(res.Templates), len(res.TaskGroups))
		}

		// The task list holds them all.
		var all []crm.Task
		for off := 0; ; off += 100 {
			ks, total, err := svc.Tasks(ctx, service.TaskQuery{Offset: off, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			if total != 400 {
				t.Fatalf("task list: %d tasks", total)
			}
			if all = append(all, ks...); len(ks) < 100 {
				break
			}
		}
		if len(all) != 400 {
			t.Fatalf("task list pages hold %d tasks", len(all))
		}
		var allDay, multi, withClient, grouped, series, past, pastDone, reminders int
		for _, k := range all {
			k, err := svc.Task(ctx, k.ID)
			if err != nil {
				t.Fatal(err)
			}
			if k.AllDay {
				allDay++
			}
			if len(k.EmployeeIDs) > 1 {
				multi++
			}
			if len(k.EmployeeIDs) == 0 {
				t.Errorf("task %d %q without employees", k.ID, k.Title)
			}
			if k.ClientID != nil {
				withClient++
			}
			if len(k.GroupIDs) > 0 {
				grouped++
			}
			if k.RemindAt != nil {
				reminders++
			}
			if k.Recurring() {
				series++
				if k.SpanEnd == nil || !strings.Contains(k.Recurrence, "COUNT=") && !strings.Contains(k.Recurrence, "UNTIL=") {
					t.Errorf("series %q (%s) does not end", k.Title, k.Recurrence)
				}
			} else if k.End.Before(now) {
				past++
				if k.Status == crm.TaskDone {
					pastDone++
					if k.DoneAt == nil {
						t.Errorf("done task %d without DoneAt", k.ID)
					}
				}
			}
			saved, err := svc.UpdateTask(ctx, k.ID, service.TaskInputOf(k))
			if err != nil {
				t.Errorf("task %d %q does not pass the service's checks: %v", k.ID, k.Title, err)
				continue
			}
			if !saved.SpanStart.Equal(k.SpanStart) || (saved.SpanEnd == nil) != (k.SpanEnd == nil) ||
				saved.SpanEnd != nil && !saved.SpanEnd.Equal(*k.SpanEnd) || saved.Recurrence != k.Recurrence ||
				!saved.Start.Equal(k.Start) || !saved.End.Equal(k.End) {
				t.Errorf("task %d: the service saves it otherwise: span %v–%v rule %q, the demo wrote %v–%v %q", k.ID,
					saved.SpanStart, saved.SpanEnd, saved.Recurrence, k.SpanStart, k.SpanEnd, k.Recurrence)
			}
		}
		if allDay == 0 || multi == 0 || withClient == 0 || grouped == 0 || series == 0 || reminders == 0 || past == 0 ||
			pastDone*10 < past*7 {
			t.Errorf("mix: %d all-day, %d with several employees, %d with a client, %d grouped, %d series, %d reminders, "+
				"%d of %d past ones done", allDay, multi, withClient, grouped, series, reminders, pastDone, past)
		}
		hist, _, err := svc.AuditLog(ctx, service.AuditQuery{Entity: "task", Page: service.Page{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range hist {
			for _, ch := range e.Changes {
				t.Errorf("saving task %q through the service changed %s: %q → %q", e.Label, ch.Field, ch.Old, ch.New)
			}
		}

		// The search finds a task without Polish letters; the calendar's
		// month shows tasks, a series with several occurrences.
		found, n, err := svc.Tasks(ctx, service.TaskQuery{Q: "przeglad", Limit: 100})
		if err != nil || n == 0 || !slices.ContainsFunc(found, func(k crm.Task) bool { return strings.HasPrefix(k.Title, "Przegląd") }) {
			t.Errorf("task search „przeglad”: %d found, %v", n, err)
		}
		from := time.Date(2026, 10, 26, 0, 0, 0, 0, time.UTC)
		occ, err := svc.TaskOccurrences(ctx, service.TaskRange{From: from, To: from.AddDate(0, 0, 42)})
		if err != nil || len(occ) == 0 {
			t.Fatalf("calendar: %d occurrences, %v", len(occ), err)
		}
		per := map[int64]int{}
		for _, o := range occ {
			per[o.TaskID]++
		}
		repeated := 0
		for _, c := range per {
			if c > 1 {
				repeated++
			}
		}
		if repeated == 0 {
			t.Errorf("no series shows more than once in the month: %v", per)
		}

		// Documents: the list and its search; a template for a client.
		docs, total, err := svc.Documents(ctx, service.DocumentQuery{Limit: 100})
		if err != nil || total != 12 || len(docs) != 12 {
			t.Fatalf("documents: %d of %d, %v", len(docs), total, err)
		}
		offers, n, err := svc.Documents(ctx, service.DocumentQuery{Q: "oferta", Limit: 100})
		if err != nil || n == 0 || !slices.ContainsFunc(offers, func(d crm.Document) bool { return strings.HasPrefix(d.Title, "Oferta nr") }) {
			t.Errorf("document search „oferta”: %d, %v", n, err)
		}
		tagged, n, err := svc.Documents(ctx, service.DocumentQuery{Tag: "umowa", Limit: 100})
		if err != nil || n == 0 || len(tagged) == 0 {
			t.Errorf("documents tagged umowa: %d, %v", n, err)
		}
		for _, d := range docs {
			full, err := svc.Document(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if full.BodyHTML != service.SanitizeDocumentHTML(full.BodyHTML) || full.BodyHTML == "" {
				t.Errorf("document %q: body not as sanitised", d.Title)
			}
		}
		cs, _, err := svc.Clients(ctx, service.ClientQuery{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(cs, func(c crm.Client) bool { return c.IsCompany() })
		for _, tpl := range res.Templates {
			if !tpl.IsTemplate || !strings.Contains(tpl.BodyHTML, "{{klient.nazwa}}") {
				t.Errorf("template %q has no merge field", tpl.Title)
			}
			d, err := svc.RenderTemplate(ctx, tpl.ID, cs[i].ID)
			if err != nil {
				t.Fatal(err)
			}
			name := strings.ReplaceAll(cs[i].Name, "&", "&amp;")
			if strings.Contains(d.BodyHTML, "{{klient.") || !strings.Contains(d.BodyHTML, name) {
				t.Errorf("template %q for %s:\n%s", tpl.Title, cs[i].Name, d.BodyHTML)
			}
		}
	})
}
