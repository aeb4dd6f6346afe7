package e2e

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"klientela/internal/app/apptest"
)

// TestTeamPagesFitAndLook opens the pages of the clients, team and settings sections
// with realistic data at 1280 and 375 px: none may overflow sideways, and
// each is saved as a screenshot to look at.
func TestTeamPagesFitAndLook(t *testing.T) {
	c := startChromium(t)
	srv := apptest.Start(t, "sqlite")
	a := zaneta
	srv.SignUp(a.company, a.name, a.email, a.password)
	tok := srv.Token(a.email, a.password)
	var firstID int64
	for i, n := range []struct{ first, last, pos string }{
		{"Łucja", "Żółkiewska", "Kierowniczka sprzedaży"}, {"Grzegorz", "Brzęczyszczykiewicz", "Handlowiec terenowy"},
		{"Anna", "Nowak", "Księgowa"}, {"Piotr", "Wiśniewski", "Magazynier"}, {"Ewa", "Kowalczyk", "Asystentka zarządu"},
	} {
		res, body := srv.JSON("POST", "/api/v1/employees", tok, map[string]any{"first_name": n.first, "last_name": n.last,
			"position": n.pos, "email": fmt.Sprintf("osoba%d@pracownia-lodz.example", i), "phone": "+48 600 100 20" + strconv.Itoa(i),
			"commission_rate": 7.5, "color": []string{"#e4572e", "#17bebb", "#76b041", "#ffc914", "#2e282a"}[i]})
		if res.StatusCode != 201 {
			t.Fatalf("employee: %d %s", res.StatusCode, body)
		}
		if i == 0 {
			var e struct{ ID int64 }
			_ = json.Unmarshal([]byte(body), &e)
			firstID = e.ID
			srv.JSON("PATCH", "/api/v1/employees/"+strconv.FormatInt(e.ID, 10), tok, map[string]any{"position": "Dyrektorka sprzedaży"})
		}
	}
	if res, body := srv.JSON("POST", "/api/v1/businesses", tok, map[string]any{"name": "Sklep internetowy Łódź", "nip": "123-456-32-18"}); res.StatusCode != 201 {
		t.Fatalf("business: %d %s", res.StatusCode, body)
	}
	if res, body := srv.JSON("POST", "/api/v1/client-groups", tok, map[string]any{"name": "Stali klienci z Łodzi", "color": "#17bebb"}); res.StatusCode != 201 {
		t.Fatalf("group: %d %s", res.StatusCode, body)
	}
	var clientID int64
	for i, name := range []string{"Hurtownia Żuraw sp. z o.o.", "Przedsiębiorstwo Handlowo-Usługowe „Wiśniewski i Synowie”", "Kwiaciarnia Łąka"} {
		res, body := srv.JSON("POST", "/api/v1/clients", tok, map[string]any{"kind": "company", "name": name, "nip": "123-456-32-18",
			"emails": []string{fmt.Sprintf("biuro%d@klient.example", i)}, "phones": []string{"+48 42 630 00 0" + strconv.Itoa(i)},
			"address": map[string]string{"street": "ul. Piotrkowska 100", "postal_code": "90-001", "city": "Łódź", "country": "PL"}, "status": "active",
			"tags": []string{"Stały klient", "Hurt spożywczy", "VIP"}[:i+1],
			"important_dates": []map[string]any{{"name": "Rocznica współpracy z hurtownią", "date": "2019-06-15", "yearly": true},
				{"name": "Koniec umowy ramowej", "date": "2031-01-31", "yearly": false}}})
		if res.StatusCode != 201 {
			t.Fatalf("client: %d %s", res.StatusCode, body)
		}
		if i == 0 {
			var c struct{ ID int64 }
			_ = json.Unmarshal([]byte(body), &c)
			clientID = c.ID
		}
	}

	var contactIDs []int64
	for i, at := range []time.Time{time.Now().Add(-26 * time.Hour), time.Now().Add(2 * time.Hour), time.Now().Add(50 * time.Hour),
		time.Now().Add(-50 * time.Hour), time.Now().Add(-30 * time.Hour)} {
		res, body := srv.JSON("POST", "/api/v1/planned-contacts", tok, map[string]any{"client_id": clientID, "employee_id": firstID,
			"at": at.Format(time.RFC3339), "channel": []string{"phone", "meeting", "email", "visit", "phone"}[i], "subject": "Oferta na nowy sezon " + strconv.Itoa(i)})
		if res.StatusCode != 201 {
			t.Fatalf("contact: %d %s", res.StatusCode, body)
		}
		var pc struct{ ID int64 }
		_ = json.Unmarshal([]byte(body), &pc)
		contactIDs = append(contactIDs, pc.ID)
	}
	// For the timeline: one done with a long note, one cancelled with a reason; a contact person.
	srv.JSON("POST", "/api/v1/planned-contacts/"+strconv.FormatInt(contactIDs[3], 10)+"/complete", tok, map[string]any{"outcome": "no_answer",
		"note": "Dzwoniłam dwa razy do sekretariatu, nikt nie odebrał; spróbuję jeszcze raz w przyszłym tygodniu przed południem."})
	srv.JSON("POST", "/api/v1/planned-contacts/"+strconv.FormatInt(contactIDs[4], 10)+"/cancel", tok, map[string]any{"reason": "Klient poprosił o przełożenie rozmów na wiosnę"})
	res, body := srv.JSON("POST", "/api/v1/clients/"+strconv.FormatInt(clientID, 10)+"/persons", tok, map[string]any{"first_name": "Bożena",
		"last_name": "Szczęsna-Przybylska", "role": "Główna księgowa", "phone": "+48 600 700 800", "email": "bozena.szczesna@klient.example"})
	if res.StatusCode != 201 {
		t.Fatalf("person: %d %s", res.StatusCode, body)
	}
	var person struct{ ID int64 }
	_ = json.Unmarshal([]byte(body), &person)
	client := "/clients/" + strconv.FormatInt(clientID, 10)
	b := c.newBrowser(t, srv.URL)
	b.resize(desktopW, desktopH)
	b.open("/login", "#f-email")
	b.logIn(a.email, a.password, greeting)
	dir := filepath.Join(repoRoot(t), "screenshots")
	pages := []struct{ name, path, sel string }{
		{"clients", "/clients", "table.table"},
		{"client", "/clients/" + strconv.FormatInt(clientID, 10), "main#main h1"},
		{"client-form", "/clients/new", "form"},
		{"client-edit", client + "/edit", "#date-rows"},
		{"client-timeline", client + "?tab=timeline", ".timeline"},
		{"client-persons", client + "?tab=persons", "table.table"},
		{"client-person-edit", client + "/persons/" + strconv.FormatInt(person.ID, 10), "#f-first_name"},
		{"clients-filtered", "/clients?overdue=1&tag=sta%C5%82y+klient", "table.table"},
		{"contact-planned", "/contacts/" + strconv.FormatInt(contactIDs[1], 10), "#f-reason"},
		{"contact-cancelled", "/contacts/" + strconv.FormatInt(contactIDs[4], 10), ".facts"},
		{"client-groups", "/client-groups", "main#main h1"},
		{"contacts", "/contacts", "main#main h1"},
		{"contacts-mine", "/contacts/mine", "main#main h1"},
		{"employees", "/employees", "table.table"},
		{"employee", "/employees/" + strconv.FormatInt(firstID, 10), ".facts"},
		{"employee-history", "/employees/" + strconv.FormatInt(firstID, 10) + "?tab=history", ".history"},
		{"users", "/users", "table.table"},
		{"audit", "/audit", "table.table"},
		{"businesses", "/settings/businesses", "main#main h1"},
	}
	for _, w := range []struct {
		name string
		w, h int64
	}{{"1280", desktopW, desktopH}, {"375", phoneW, phoneH}} {
		b.resize(w.w, w.h)
		for _, p := range pages {
			b.open(p.path, p.sel)
			b.noHorizontalOverflow(p.name + " at " + w.name + " px")
			b.screenshot(filepath.Join(dir, p.name+"-"+w.name+"-pl.png"))
		}
	}
}
