package store_test

import (
	"context"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

// TestCalendarFeedsAndRanges: one feed per user (rotation replaces the
// hash), tokens resolve only to their own account's user, and the
// calendar's contact range and birthdays stay inside the account.
func TestCalendarFeedsAndRanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, u := newAccount(t, s, "kal-a@example.pl")
		b, ub := newAccount(t, s, "kal-b@example.pl")
		ta, tb := s.Tenant(a.ID), s.Tenant(b.ID)
		if err := ta.SaveCalendarFeed(ctx, u.ID, []byte("f1"), t0); err != nil {
			t.Fatal(err)
		}
		if err := tb.SaveCalendarFeed(ctx, ub.ID, []byte("fb"), t0); err != nil {
			t.Fatal(err)
		}
		p, f, err := s.FeedPrincipal(ctx, []byte("f1"))
		if err != nil || p.User.ID != u.ID || p.Account.ID != a.ID || f.UserID != u.ID || f.LastUsedAt != nil {
			t.Fatalf("FeedPrincipal = %+v %+v %v", p, f, err)
		}
		if err := ta.SaveCalendarFeed(ctx, u.ID, []byte("f2"), t0); err != nil { // rotate
			t.Fatal(err)
		}
		if _, _, err := s.FeedPrincipal(ctx, []byte("f1")); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("rotated-away token: %v", err)
		}
		if err := s.TouchCalendarFeed(ctx, f.ID+1, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := ta.CalendarFeed(ctx, ub.ID); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("B's user's feed through A: %v", err)
		}
		if err := ta.DeleteCalendarFeed(ctx, ub.ID); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("revoke B's feed through A: %v", err)
		}
		if err := ta.DeleteCalendarFeed(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.FeedPrincipal(ctx, []byte("f2")); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("revoked token: %v", err)
		}
		if _, _, err := s.FeedPrincipal(ctx, []byte("fb")); err != nil {
			t.Fatalf("B's feed: %v", err)
		}

		// Contacts by range and birthdays, in A only.
		for _, tn := range []*store.Tenant{ta, tb} {
			emp, err := tn.CreateEmployee(ctx, crm.Employee{FirstName: "Ala", LastName: "Kot", Color: "#17bebb", Active: true, CreatedAt: t0, UpdatedAt: t0})
			if err != nil {
				t.Fatal(err)
			}
			cl, err := tn.CreateClient(ctx, crm.Client{Kind: crm.KindPerson, Name: "Nowak Jan", Birthday: "1988-02-29", Country: "PL",
				Status: crm.ClientActive, EmployeeID: &emp, CreatedAt: t0, UpdatedAt: t0})
			if err != nil {
				t.Fatal(err)
			}
			for i, st := range []crm.ContactStatus{crm.ContactPlanned, crm.ContactDone, crm.ContactCancelled} {
				if _, err := tn.CreateContact(ctx, crm.PlannedContact{ClientID: cl, EmployeeID: emp, At: t0.Add(time.Duration(i) * time.Hour),
					Channel: crm.ChannelPhone, Status: st, CreatedAt: t0, UpdatedAt: t0}); err != nil {
					t.Fatal(err)
				}
			}
		}
		cs, err := ta.CalendarContacts(ctx, store.CalendarContactFilter{From: t0, To: t0.Add(24 * time.Hour), Limit: 100, Detail: true})
		if err != nil || len(cs) != 2 || cs[0].EmployeeColor != "#17bebb" || cs[0].EmployeeName != "Ala Kot" || !cs[0].At.Equal(t0.Truncate(time.Microsecond)) {
			t.Fatalf("CalendarContacts = %+v, %v (want the planned and the done one, not the cancelled)", cs, err)
		}
		if cs, _ := ta.CalendarContacts(ctx, store.CalendarContactFilter{From: t0, To: t0.Add(time.Hour), Limit: 100}); len(cs) != 1 {
			t.Fatalf("[t0, t0+1h) = %+v", cs)
		}
		bs, err := ta.Birthdays(ctx, store.BirthdayFilter{Days: []string{"02-29"}})
		if err != nil || len(bs) != 1 || bs[0].Date != "1988-02-29" || bs[0].EmployeeID == 0 {
			t.Fatalf("Birthdays = %+v, %v", bs, err)
		}
		if bs, _ := ta.Birthdays(ctx, store.BirthdayFilter{}); len(bs) != 1 {
			t.Fatalf("all birthdays = %+v", bs)
		}
		if bs, _ := ta.Birthdays(ctx, store.BirthdayFilter{OwnOnly: true, OwnEmployee: 0}); len(bs) != 0 {
			t.Fatalf("own-only without an employee = %+v", bs)
		}
	})
}
