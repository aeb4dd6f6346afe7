package demo

import (
	"context"
	"fmt"
	"html"
	"strings"
	"time"

	"klientela/internal/crm"
	"klientela/internal/i18n"
	"klientela/internal/money"
	"klientela/internal/service"
	"klientela/internal/store"
)

// Tasks and documents of the demo: task groups with colours, tasks over the
// last year and the next quarter (longer for many tasks; the past ones
// mostly done), some with a
// client, a few repeating weekly or monthly (every series ends), reminders
// on some of the coming ones; offers, contracts and notes as documents, and
// templates with merge fields.

var taskGroupDefs = []struct{ name, color string }{
	{"Serwis", "#d97706"}, {"Sprzedaż", "#059669"}, {"Biuro", "#4b5563"},
	{"Dostawy", "#2f5bea"}, {"Spotkania", "#7c3aed"}, {"Reklamacje", "#b91c1c"},
}

var taskTitles = []string{
	"Przegląd kotła gazowego", "Telefon w sprawie oferty", "Wystawić fakturę za serwis", "Montaż klimatyzacji",
	"Spotkanie w siedzibie klienta", "Dostawa materiałów", "Przygotować umowę serwisową", "Odbiór reklamacji",
	"Pomiar przed wyceną", "Szkolenie z obsługi urządzenia", "Wysłać ofertę handlową", "Uzgodnić harmonogram prac",
	"Przypomnieć o zaległej płatności", "Zamówić części u hurtowni", "Sprawdzić stan magazynu", "Odnowić ubezpieczenie floty",
}

var taskDetails = []string{
	"", "", "Zabrać protokół odbioru i cennik.", "Klient prosi o kontakt przed przyjazdem.",
	"Potwierdzić termin SMS-em dzień wcześniej.", "Dokumenty w folderze „Umowy 2026”.",
	"Wjazd od ulicy bocznej, domofon nr 12.", "Ustalić rabat z kierownikiem sprzedaży.",
}

// seriesDefs are the repeating tasks: weekly meetings and monthly rounds,
// each ending (COUNT or UNTIL, as the product requires).
var seriesDefs = []struct{ title, rule string }{
	{"Odprawa zespołu", "FREQ=WEEKLY;COUNT=%d"},
	{"Przegląd okresowy instalacji", "FREQ=MONTHLY;COUNT=%d"},
	{"Raport sprzedaży", "FREQ=WEEKLY;UNTIL=%s"},
	{"Rozliczenie miesiąca", "FREQ=MONTHLY;UNTIL=%s"},
}

func (g *gen) taskGroups(ctx context.Context, svc *service.Service, _ *store.Tenant, res *Result) error {
	for _, d := range taskGroupDefs {
		gr, err := svc.CreateTaskGroup(ctx, service.TaskGroupInput{Name: d.name, Color: d.color})
		if err != nil {
			return err
		}
		res.TaskGroups = append(res.TaskGroups, gr)
	}
	return nil
}

// task draws the i-th of n tasks as saving it through the service would
// leave it. Tasks come in the order of their days (as a firm enters them),
// which also keeps the inserts near the end of the time indexes.
func (g *gen) task(res *Result, loc *time.Location, i, n int) (crm.Task, error) {
	var k crm.Task
	today := g.o.Now.In(loc)
	span := g.window(n, 365+90)
	day := -span*365/455 + span*i/max(n, 1) + g.r.IntN(3)
	date := time.Date(today.Year(), today.Month(), today.Day()+day, 0, 0, 0, 0, loc)
	if wd := date.Weekday(); wd == time.Saturday || wd == time.Sunday {
		date = date.AddDate(0, 0, map[time.Weekday]int{time.Saturday: 2, time.Sunday: 1}[wd])
	}
	k.Title, k.Description = g.pick(taskTitles), g.pick(taskDetails)
	switch {
	case g.chance(0.12): // all day, one to three days
		k.AllDay = true
		k.Start, k.End = date, date.AddDate(0, 0, 1+g.r.IntN(3))
	default:
		k.Start = date.Add(time.Duration(8*60+15*g.r.IntN(36)) * time.Minute)
		k.End = k.Start.Add(time.Duration(30*(1+g.r.IntN(6))) * time.Minute)
	}
	if g.chance(0.03) {
		d := seriesDefs[g.r.IntN(len(seriesDefs))]
		k.Title = d.title
		if strings.Contains(d.rule, "COUNT") {
			k.Recurrence = fmt.Sprintf(d.rule, 4+g.r.IntN(9))
		} else {
			until := k.Start.AddDate(0, 3+g.r.IntN(4), 0).UTC()
			k.Recurrence = fmt.Sprintf(d.rule, until.Format("20060102T150405Z"))
		}
	}
	k.Priority = []crm.TaskPriority{crm.PriorityLow, crm.PriorityNormal, crm.PriorityNormal, crm.PriorityNormal,
		crm.PriorityHigh, crm.PriorityUrgent}[g.r.IntN(6)]

	// Employees: one mostly, sometimes two or three; the client's own
	// employee when there is a client.
	var emps []int64
	add := func(e int) {
		id := res.Employees[e].ID
		for _, x := range emps {
			if x == id {
				return
			}
		}
		emps = append(emps, id)
	}
	if len(g.clientIDs) > 0 && g.chance(0.6) {
		c := g.r.IntN(len(g.clientIDs))
		k.ClientID = &g.clientIDs[c]
		if e := g.clientEmp[c]; e >= 0 && res.Employees[e].Active {
			add(e)
		}
	}
	if len(emps) == 0 {
		add(g.activeEmployee(res))
	}
	for range []int{0, 1} {
		if g.chance(0.15) {
			add(g.activeEmployee(res))
		}
	}
	k.EmployeeIDs = emps
	for _, gr := range res.TaskGroups {
		if g.chance(0.18) {
			k.GroupIDs = append(k.GroupIDs, gr.ID)
		}
	}

	k.Status = crm.TaskTodo
	past := k.End.Before(g.o.Now)
	if past && !k.Recurring() {
		switch x := g.r.IntN(20); {
		case x < 17:
			k.Status = crm.TaskDone
			done := k.End.Add(time.Duration(g.r.IntN(180)) * time.Minute).UTC().Truncate(time.Second)
			if done.After(g.o.Now) {
				done = g.o.Now.UTC().Truncate(time.Second)
			}
			k.DoneAt = &done
		case x < 18:
			k.Status = crm.TaskCancelled
		case x < 19:
			k.Status = crm.TaskInProgress
		}
	} else if !past && g.chance(0.15) {
		k.Status = crm.TaskInProgress
	}
	if !past && !k.AllDay && g.chance(0.3) {
		r := k.Start.Add(-time.Duration([]int{15, 30, 60, 24 * 60}[g.r.IntN(4)]) * time.Minute).UTC()
		k.RemindAt = &r
	}
	rule, start, end, err := service.CheckTaskRecurrence(k, loc)
	if err != nil {
		return k, fmt.Errorf("%s %q: %w", k.Title, k.Recurrence, err)
	}
	k.Recurrence, k.SpanStart, k.SpanEnd = rule, start, end
	k.CreatedAt = k.Start.AddDate(0, 0, -1-g.r.IntN(20)).UTC().Truncate(time.Second)
	if k.CreatedAt.After(g.o.Now) {
		k.CreatedAt = g.o.Now.UTC().Truncate(time.Second)
	}
	k.UpdatedAt = k.CreatedAt
	if k.DoneAt != nil {
		k.UpdatedAt = *k.DoneAt
	}
	return k, nil
}

func (g *gen) tasks(ctx context.Context, _ *service.Service, t *store.Tenant, res *Result) error {
	loc, err := i18n.LoadZone(i18n.DefaultZone)
	if err != nil {
		loc = time.UTC
	}
	ks := make([]crm.Task, 0, min(g.o.Tasks, batch))
	flush := func() error {
		if err := t.InTx(ctx, func(t *store.Tenant) error { return t.InsertTasks(ctx, ks) }); err != nil {
			return err
		}
		res.Tasks += len(ks)
		ks = ks[:0]
		return nil
	}
	for i := range g.o.Tasks {
		k, err := g.task(res, loc, i, g.o.Tasks)
		if err != nil {
			return err
		}
		if ks = append(ks, k); len(ks) == batch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if len(ks) > 0 {
		return flush()
	}
	return nil
}

// Templates of the demo: merge fields are filled with a client's data
// when a document is made from them.
var templateDefs = []struct{ title, body string }{
	{"Oferta handlowa — szablon", `<h2>Oferta handlowa dla {{klient.nazwa}}</h2>
<p>{{firma.nazwa}}, {{firma.adres}}, NIP {{firma.nip}}</p>
<p>Warszawa, {{dzis}}</p>
<p>Szanowni Państwo,</p>
<p>dziękujemy za zainteresowanie naszą ofertą. Dla firmy <strong>{{klient.nazwa}}</strong>
(NIP {{klient.nip}}, {{klient.adres}}) przygotowaliśmy poniższe warunki:</p>
<ul><li>przegląd i konserwacja urządzeń dwa razy w roku,</li><li>czas reakcji na zgłoszenie do 24 godzin,</li>
<li>rabat 10% na części zamienne.</li></ul>
<p>Oferta jest ważna 30 dni. Płatność przelewem na rachunek {{firma.konto}}.</p>
<p>Z poważaniem,<br>{{pracownik.imie_nazwisko}}</p>`},
	{"Umowa serwisowa — szablon", `<h2>Umowa o świadczenie usług serwisowych</h2>
<p>zawarta dnia {{dzis}} pomiędzy {{firma.nazwa}} ({{firma.adres}}, NIP {{firma.nip}}), zwaną dalej Wykonawcą,
a {{klient.nazwa}} ({{klient.adres}}, NIP {{klient.nip}}), zwanym dalej Zamawiającym.</p>
<h3>§ 1. Przedmiot umowy</h3>
<p>Wykonawca zobowiązuje się do wykonywania okresowych przeglądów urządzeń Zamawiającego.</p>
<h3>§ 2. Wynagrodzenie</h3>
<p>Wynagrodzenie płatne jest w terminie 14 dni od doręczenia faktury na rachunek {{firma.konto}}.</p>
<p>Kontakt ze strony Zamawiającego: {{klient.email}}, tel. {{klient.telefon}}.</p>`},
}

var offerItems = []struct {
	name  string
	price int64 // grosze, net
}{
	{"Przegląd instalacji", 35000}, {"Montaż klimatyzatora", 249900}, {"Wymiana filtrów", 12000},
	{"Dojazd do klienta", 8000}, {"Serwis pogwarancyjny (rok)", 119000}, {"Pompa ciepła 8 kW", 2399000},
}

var noteTexts = []string{
	"Klient zainteresowany rozszerzeniem umowy o drugi oddział. Wrócić z wyceną do końca miesiąca.",
	"Ustalono termin montażu; klient zapewni dostęp do pomieszczenia technicznego.",
	"Reklamacja uznana, części wymienione na gwarancji. Klient zadowolony z szybkiej reakcji.",
	"Prośba o fakturę zbiorczą za kwartał. Przekazano do księgowości.",
}

func zl(grosze int64) string { return money.FromGrosze(grosze).Format(' ', ',') + " zł" }

// document draws the i-th document: an offer with a priced list, a
// contract or a note, most of them of a client.
func (g *gen) document(i int) service.DocumentInput {
	var in service.DocumentInput
	if len(g.clientIDs) > 0 && g.chance(0.85) {
		in.ClientID = &g.clientIDs[g.r.IntN(len(g.clientIDs))]
	}
	year := fmt.Sprint(g.o.Now.Year())
	var b strings.Builder
	switch i % 3 {
	case 0:
		in.Title = fmt.Sprintf("Oferta nr %d/%s", i+1, year)
		in.Tags = []string{"oferta", year}
		b.WriteString("<h2>Oferta handlowa</h2><p>Przedstawiamy ofertę na następujące usługi:</p><ul>")
		var total int64
		for range 2 + g.r.IntN(3) {
			it := offerItems[g.r.IntN(len(offerItems))]
			qty := int64(1 + g.r.IntN(3))
			total += it.price * qty
			fmt.Fprintf(&b, "<li>%s — %d × %s netto</li>", html.EscapeString(it.name), qty, zl(it.price))
		}
		vat := total * 23 / 100
		fmt.Fprintf(&b, "</ul><p>Razem netto: <strong>%s</strong>, VAT 23%%: %s, brutto: <strong>%s</strong>.</p>",
			zl(total), zl(vat), zl(total+vat))
		b.WriteString("<p>Termin realizacji: do 14 dni roboczych od akceptacji oferty.</p>")
	case 1:
		in.Title = fmt.Sprintf("Umowa serwisowa %d/%s", i+1, year)
		in.Tags = []string{"umowa", "serwis"}
		b.WriteString("<h2>Umowa o świadczenie usług serwisowych</h2><h3>§ 1. Przedmiot umowy</h3>")
		b.WriteString("<p>Wykonawca wykonuje przeglądy okresowe i naprawy urządzeń Zamawiającego.</p>")
		fmt.Fprintf(&b, "<h3>§ 2. Wynagrodzenie</h3><p>Ryczałt miesięczny: <strong>%s</strong> netto.</p>",
			zl(int64(20000+g.r.IntN(80)*1000)))
	default:
		in.Title = fmt.Sprintf("Notatka ze spotkania %d", i+1)
		in.Tags = []string{"notatka"}
		fmt.Fprintf(&b, "<p>%s</p><p><em>Następny krok:</em> telefon za tydzień.</p>", html.EscapeString(g.pick(noteTexts)))
	}
	in.BodyHTML = b.String()
	return in
}

func (g *gen) documents(ctx context.Context, svc *service.Service, _ *store.Tenant, res *Result) error {
	n := g.o.Documents
	for i, d := range templateDefs {
		if i >= n {
			return nil
		}
		doc, err := svc.CreateDocument(ctx, service.DocumentInput{Title: d.title, BodyHTML: d.body, IsTemplate: true,
			Tags: []string{"szablon"}})
		if err != nil {
			return fmt.Errorf("template %q: %w", d.title, err)
		}
		res.Templates = append(res.Templates, doc)
		res.Documents++
	}
	for i := range n - len(res.Templates) {
		if _, err := svc.CreateDocument(ctx, g.document(i)); err != nil {
			return fmt.Errorf("document %d: %w", i, err)
		}
		res.Documents++
	}
	return nil
}
