package service_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/service"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

// clock is a test clock that tests move by hand; safe for runners.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// remindTeam is an account whose owner acts in ctx, with three employees:
// two with users who may view tasks and contacts (users[0], users[1]), one
// without a user (nobody to tell).
type remindTeam struct {
	svc       *service.Service
	ctx       context.Context
	emps      [3]int64
	users     [2]crm.User
	userCtx   [2]context.Context
	account   crm.Account
	clock     *clock
	loc       *time.Location
	clientID  int64
	st        *store.Store
	ownerUser crm.User
}

func newRemindTeam(t *testing.T, st *store.Store, c *clock, email string) *remindTeam {
	t.Helper()
	svc := newService(t, st, service.Options{Now: c.Now})
	ctx := context.Background()
	a, u, err := svc.SignUp(ctx, service.SignUpInput{CompanyName: "Firma " + email, Name: "Jan", Email: email,
		Password: "tajne-haslo-123", IP: "10.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	rt := &remindTeam{svc: svc, account: a, clock: c, st: st, ownerUser: u}
	rt.loc, _ = time.LoadLocation("Europe/Warsaw")
	rt.ctx = crm.WithPrincipal(ctx, &crm.Principal{User: u, Account: a, SessionID: 1})
	for i := range rt.emps {
		e, err := svc.CreateEmployee(rt.ctx, service.EmployeeInput{FirstName: "Pracownik", LastName: string(rune('A' + i)), Active: true})
		if err != nil {
			t.Fatal(err)
		}
		rt.emps[i] = e.ID
	}
	for i := range rt.users {
		e := &rt.emps[i]
		mail := string(rune('a'+i)) + "-" + email
		name := "Użytkownik " + string(rune('A'+i))
		scope := crm.Scope{Permissions: map[string]string{"tasks": "edit", "contacts": "edit", "clients": "view"}}
		nu, err := svc.CreateUser(rt.ctx, service.UserInput{Email: &mail, Name: &name, Password: "tajne-haslo-123", Scope: &scope, EmployeeID: &e})
		if err != nil {
			t.Fatal(err)
		}
		rt.users[i] = nu
		rt.userCtx[i] = crm.WithPrincipal(ctx, &crm.Principal{User: nu, Account: a, SessionID: 2})
	}
	cl, err := svc.CreateClient(rt.ctx, service.ClientInput{Kind: string(crm.KindCompany), Name: "Klient"})
	if err != nil {
		t.Fatal(err)
	}
	rt.clientID = cl.ID
	return rt
}

func (rt *remindTeam) task(t *testing.T, title string, start time.Time, remind *time.Time, rule string, emps ...int64) crm.Task {
	t.Helper()
	end := start.Add(time.Hour)
	k, err := rt.svc.CreateTask(rt.ctx, service.TaskInput{Title: title, Start: &start, End: &end, RemindAt: remind,
		EmployeeIDs: emps, Recurrence: rule})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func (rt *remindTeam) deliver(t *testing.T) service.Delivery {
	t.Helper()
	d, err := rt.svc.DeliverReminders(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (rt *remindTeam) inbox(t *testing.T, i int) service.NotificationPage {
	t.Helper()
	p, err := rt.svc.Notifications(rt.userCtx[i], service.NotificationQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A due reminder notifies each assigned user once; the employee without a
// user is skipped; saving the task again does not repeat it; moving the
// reminder makes it fire again at its new time.
func TestReminderFiresOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := &clock{now: time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)}
		rt := newRemindTeam(t, st, c, "jan@example.pl")
		start := c.Now().Add(2 * time.Hour)
		k := rt.task(t, "Zadzwonić do klienta", start, ptr(c.Now().Add(10*time.Minute)), "", rt.emps[0], rt.emps[1], rt.emps[2])
		if d := rt.deliver(t); d.Reminders != 0 {
			t.Fatalf("before its time: %+v", d)
		}
		c.Add(11 * time.Minute)
		if d := rt.deliver(t); d.Reminders != 1 || d.Notifications != 2 || d.Repeated != 0 {
			t.Fatalf("at its time: %+v, want 1 reminder, 2 notifications", d)
		}
		if d := rt.deliver(t); d.Reminders != 0 {
			t.Fatalf("again: %+v", d)
		}
		for i := range rt.users {
			in := rt.inbox(t, i)
			if len(in.Items) != 1 || in.Unread != 1 || in.Items[0].Title != "Zadzwonić do klienta" ||
				in.Items[0].TaskID == nil || *in.Items[0].TaskID != k.ID || !in.Items[0].Occurrence.Equal(start) {
				t.Fatalf("user %d inbox: %+v", i, in)
			}
			if service.NotificationLink(in.Items[0]) != "/tasks/"+itoa(k.ID) {
				t.Fatalf("link %q", service.NotificationLink(in.Items[0]))
			}
		}
		// The owner has no employee: nothing for them.
		if in, err := rt.svc.Notifications(rt.ctx, service.NotificationQuery{}); err != nil || len(in.Items) != 0 {
			t.Fatalf("owner inbox: %+v %v", in, err)
		}
		// Saved again (title), nothing new; the reminder moved later fires again.
		in := service.TaskInputOf(k)
		in.Title = "Zadzwonić jeszcze raz"
		if _, err := rt.svc.UpdateTask(rt.ctx, k.ID, in); err != nil {
			t.Fatal(err)
		}
		if d := rt.deliver(t); d.Reminders != 0 {
			t.Fatalf("after an edit of the title: %+v", d)
		}
		in.RemindAt = ptr(c.Now().Add(30 * time.Minute))
		if _, err := rt.svc.UpdateTask(rt.ctx, k.ID, in); err != nil {
			t.Fatal(err)
		}
		c.Add(31 * time.Minute)
		if d := rt.deliver(t); d.Reminders != 1 || d.Notifications != 0 || d.Repeated != 2 {
			// The same occurrence: each user keeps the one notification.
			t.Fatalf("moved reminder: %+v", d)
		}
		// Mark read: one, then all.
		n := rt.inbox(t, 0).Items[0]
		if got, err := rt.svc.ReadNotification(rt.userCtx[0], n.ID); err != nil || !got.Read() {
			t.Fatalf("read: %+v %v", got, err)
		}
		if in := rt.inbox(t, 0); in.Unread != 0 {
			t.Fatalf("unread after reading: %d", in.Unread)
		}
		if n, err := rt.svc.ReadAllNotifications(rt.userCtx[1]); err != nil || n != 1 {
			t.Fatalf("read all: %d %v", n, err)
		}
		if cnt, _ := rt.svc.UnreadCount(rt.userCtx[1]); cnt != 0 {
			t.Fatalf("unread after read all: %d", cnt)
		}
	})
}

// Edited to a later time, done, cancelled or deleted before its time: the
// reminder does not fire then; deleting a task withdraws its notifications.
func TestReminderChangedBeforeItFires(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := &clock{now: time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)}
		rt := newRemindTeam(t, st, c, "jan@example.pl")
		soon := ptr(c.Now().Add(5 * time.Minute))
		start := c.Now().Add(time.Hour)
		later := rt.task(t, "Przesunięte", start, soon, "", rt.emps[0])
		done := rt.task(t, "Zrobione", start, soon, "", rt.emps[0])
		cancelled := rt.task(t, "Anulowane", start, soon, "", rt.emps[0])
		deleted := rt.task(t, "Usunięte", start, soon, "", rt.emps[0])
		in := service.TaskInputOf(later)
		in.RemindAt = ptr(c.Now().Add(3 * time.Hour))
		if _, err := rt.svc.UpdateTask(rt.ctx, later.ID, in); err != nil {
			t.Fatal(err)
		}
		if _, err := rt.svc.CompleteTask(rt.ctx, done.ID, nil); err != nil {
			t.Fatal(err)
		}
		in = service.TaskInputOf(cancelled)
		in.Status = string(crm.TaskCancelled)
		if _, err := rt.svc.UpdateTask(rt.ctx, cancelled.ID, in); err != nil {
			t.Fatal(err)
		}
		if err := rt.svc.DeleteTask(rt.ctx, deleted.ID); err != nil {
			t.Fatal(err)
		}
		c.Add(10 * time.Minute)
		if d := rt.deliver(t); d.Reminders != 0 {
			t.Fatalf("changed reminders fired: %+v", d)
		}
		c.Add(3 * time.Hour)
		if d := rt.deliver(t); d.Reminders != 1 || d.Notifications != 1 {
			t.Fatalf("the moved reminder at its new time: %+v", d)
		}
		if in := rt.inbox(t, 0); len(in.Items) != 1 || in.Items[0].Title != "Przesunięte" {
			t.Fatalf("inbox: %+v", in.Items)
		}
		if err := rt.svc.DeleteTask(rt.ctx, later.ID); err != nil {
			t.Fatal(err)
		}
		if in := rt.inbox(t, 0); len(in.Items) != 0 || in.Unread != 0 {
			t.Fatalf("a deleted task's notification stayed: %+v", in)
		}
	})
}

// A daily task with a reminder 15 minutes before its first start reminds
// 15 minutes before each occurrence, once; an occurrence marked done does
// not remind; a series that began long ago reminds once, not for every
// past occurrence.
func TestReminderOfRepeatingTask(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		loc, _ := time.LoadLocation("Europe/Warsaw")
		c := &clock{now: time.Date(2026, 12, 1, 7, 0, 0, 0, loc)}
		rt := newRemindTeam(t, st, c, "jan@example.pl")
		start := time.Date(2026, 12, 1, 9, 0, 0, 0, loc)
		k := rt.task(t, "Odprawa", start, ptr(start.Add(-15*time.Minute)), "RRULE:FREQ=DAILY;COUNT=60", rt.emps[0])
		day := 24 * time.Hour
		step := func(to time.Time, want int, what string) {
			t.Helper()
			c.mu.Lock()
			c.now = to
			c.mu.Unlock()
			if d := rt.deliver(t); d.Reminders != want || d.Notifications != want {
				t.Fatalf("%s: %+v, want %d", what, d, want)
			}
		}
		step(time.Date(2026, 12, 1, 8, 40, 0, 0, loc), 0, "day 1 before")
		step(time.Date(2026, 12, 1, 8, 46, 0, 0, loc), 1, "day 1")
		step(time.Date(2026, 12, 1, 8, 50, 0, 0, loc), 0, "day 1 again")
		step(time.Date(2026, 12, 2, 8, 46, 0, 0, loc), 1, "day 2")
		// Day 3 done in advance: no reminder; day 4 reminds.
		if _, err := rt.svc.CompleteTask(rt.ctx, k.ID, ptr(start.Add(2*day))); err != nil {
			t.Fatal(err)
		}
		step(time.Date(2026, 12, 3, 8, 46, 0, 0, loc), 0, "day 3 (done)")
		step(time.Date(2026, 12, 4, 8, 46, 0, 0, loc), 1, "day 4")
		in := rt.inbox(t, 0)
		if len(in.Items) != 3 {
			t.Fatalf("%d notifications, want 3", len(in.Items))
		}
		for i, want := range []time.Time{start.Add(3 * day), start.Add(day), start} { // newest first
			if !in.Items[i].Occurrence.Equal(want) {
				t.Errorf("notification %d for %v, want %v", i, in.Items[i].Occurrence.In(loc), want)
			}
		}

		// Created with its first reminder ten days ago: one reminder now.
		old := time.Date(2026, 11, 24, 9, 0, 0, 0, loc)
		rt.task(t, "Stara seria", old, ptr(old.Add(-15*time.Minute)), "RRULE:FREQ=DAILY;COUNT=60", rt.emps[1])
		c.mu.Lock()
		c.now = time.Date(2026, 12, 4, 9, 30, 0, 0, loc) // during today's occurrence
		c.mu.Unlock()
		if d := rt.deliver(t); d.Reminders != 1 || d.Notifications != 1 {
			t.Fatalf("old series: %+v, want one reminder", d)
		}
		if d := rt.deliver(t); d.Reminders != 0 {
			t.Fatalf("old series again: %+v", d)
		}
	})
}

// A planned contact reminds its employee's user ContactLeadTime before its
// time; a cancelled one does not.
func TestReminderOfPlannedContact(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := &clock{now: time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)}
		rt := newRemindTeam(t, st, c, "jan@example.pl")
		at := c.Now().Add(time.Hour)
		pc, err := rt.svc.CreateContact(rt.ctx, service.ContactInput{ClientID: rt.clientID, EmployeeID: &rt.emps[1], At: &at, Subject: "Oferta"})
		if err != nil {
			t.Fatal(err)
		}
		other, err := rt.svc.CreateContact(rt.ctx, service.ContactInput{ClientID: rt.clientID, EmployeeID: &rt.emps[1], At: &at, Subject: "Odwołany"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rt.svc.CancelContact(rt.ctx, other.ID, ""); err != nil {
			t.Fatal(err)
		}
		c.Add(time.Hour - service.ContactLeadTime - time.Minute)
		if d := rt.deliver(t); d.Reminders != 0 {
			t.Fatalf("early: %+v", d)
		}
		c.Add(2 * time.Minute)
		if d := rt.deliver(t); d.Reminders != 1 || d.Notifications != 1 {
			t.Fatalf("at lead time: %+v", d)
		}
		in := rt.inbox(t, 1)
		if len(in.Items) != 1 || in.Items[0].Kind != crm.NotifyContactReminder || in.Items[0].Title != "Oferta" ||
			service.NotificationLink(in.Items[0]) != "/contacts/"+itoa(pc.ID) {
			t.Fatalf("inbox: %+v", in.Items)
		}
		if in := rt.inbox(t, 0); len(in.Items) != 0 {
			t.Fatalf("another employee's user was told: %+v", in.Items)
		}

		// Contacts written in bulk (demo data) remind too, at their own
		// time (worked out by the insert, to the microsecond); one already
		// past (history, or overdue) does not.
		at2 := c.Now().Add(time.Hour + 1234567*time.Microsecond)
		tn := st.Tenant(rt.account.ID)
		bulk := []crm.PlannedContact{
			{ClientID: rt.clientID, EmployeeID: rt.emps[0], At: at2, Channel: crm.ChannelPhone, Subject: "Z importu",
				Status: crm.ContactPlanned, CreatedAt: c.Now(), UpdatedAt: c.Now()},
			{ClientID: rt.clientID, EmployeeID: rt.emps[0], At: c.Now().Add(-time.Hour), Channel: crm.ChannelPhone,
				Subject: "Zaległy", Status: crm.ContactPlanned, CreatedAt: c.Now(), UpdatedAt: c.Now()},
		}
		err = tn.InTx(context.Background(), func(tn *store.Tenant) error {
			return tn.InsertContacts(context.Background(), bulk, c.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
		bulkContacts, _, err := tn.Contacts(context.Background(), store.ContactFilter{ClientID: rt.clientID, Status: string(crm.ContactPlanned), Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		scheduled := 0
		for _, bc := range bulkContacts {
			r, ok, err := tn.ReminderOf(context.Background(), false, bc.ID)
			if err != nil {
				t.Fatal(err)
			}
			switch bc.Subject {
			case "Z importu":
				if !ok || r.DueAt == nil || !r.DueAt.Equal(at2.Add(-service.ContactLeadTime)) || r.Occurrence == nil || !r.Occurrence.Equal(at2) {
					t.Fatalf("bulk contact's reminder: %+v (ok %v), want due %v", r, ok, at2.Add(-service.ContactLeadTime))
				}
				scheduled++
			case "Zaległy":
				if ok {
					t.Fatalf("a past bulk contact got a reminder: %+v", r)
				}
				scheduled++
			}
		}
		if scheduled != 2 {
			t.Fatalf("bulk contacts: %+v", bulkContacts)
		}
		if d := rt.deliver(t); d.Reminders != 0 {
			t.Fatalf("bulk contact early: %+v", d)
		}
		c.Add(time.Hour - service.ContactLeadTime + time.Minute)
		if d := rt.deliver(t); d.Reminders != 1 || d.Notifications != 1 {
			t.Fatalf("bulk contact at lead time: %+v", d)
		}
		if in := rt.inbox(t, 0); len(in.Items) != 1 || in.Items[0].Title != "Z importu" {
			t.Fatalf("bulk contact inbox: %+v", in.Items)
		}
	})
}

// Tasks written in bulk (demo data, Tenant.InsertTasks) are scheduled like
// saved ones: an open task's reminder fires at its time, a done task's
// never.
func TestReminderOfBulkTasks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := &clock{now: time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)}
		rt := newRemindTeam(t, st, c, "jan@example.pl")
		start := c.Now().Add(2 * time.Hour)
		remind := c.Now().Add(time.Hour)
		task := func(title string, status crm.TaskStatus) crm.Task {
			end := start.Add(time.Hour)
			return crm.Task{Title: title, Start: start, End: end, Status: status, Priority: crm.PriorityNormal, RemindAt: &remind,
				EmployeeIDs: []int64{rt.emps[0]}, SpanStart: start, SpanEnd: &end, CreatedAt: c.Now(), UpdatedAt: c.Now()}
		}
		tn := st.Tenant(rt.account.ID)
		err := tn.InTx(context.Background(), func(tn *store.Tenant) error {
			return tn.InsertTasks(context.Background(), []crm.Task{task("Z zasiewu", crm.TaskTodo), task("Już zrobione", crm.TaskDone)})
		})
		if err != nil {
			t.Fatal(err)
		}
		if d := rt.deliver(t); d.Reminders != 0 {
			t.Fatalf("bulk task early: %+v", d)
		}
		c.Add(time.Hour + time.Minute)
		if d := rt.deliver(t); d.Reminders != 1 || d.Notifications != 1 {
			t.Fatalf("bulk task at its reminder: %+v", d)
		}
		if in := rt.inbox(t, 0); len(in.Items) != 1 || in.Items[0].Title != "Z zasiewu" || in.Items[0].Kind != crm.NotifyTaskReminder {
			t.Fatalf("bulk task inbox: %+v", in.Items)
		}
	})
}

// A notification is its user's: another user of the account, or the owner
// of another account, does not find it.
func TestNotificationsAreTheUsersOwn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := &clock{now: time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)}
		rt := newRemindTeam(t, st, c, "jan@example.pl")
		other := newRemindTeam(t, st, c, "ola@example.pl")
		rt.task(t, "Tylko dla A", c.Now().Add(time.Hour), ptr(c.Now()), "", rt.emps[0])
		rt.deliver(t)
		n := rt.inbox(t, 0).Items[0]
		for name, ctx := range map[string]context.Context{"colleague": rt.userCtx[1], "owner": rt.ctx,
			"other account": other.ctx, "other account's user": other.userCtx[0]} {
			if _, err := rt.svc.Notification(ctx, n.ID); crm.ErrorCode(err) != crm.CodeNotFound {
				t.Errorf("%s reads it: %v", name, err)
			}
			if _, err := rt.svc.ReadNotification(ctx, n.ID); crm.ErrorCode(err) != crm.CodeNotFound {
				t.Errorf("%s marks it read: %v", name, err)
			}
			if _, err := rt.svc.ReadAllNotifications(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if in := rt.inbox(t, 0); in.Unread != 1 || in.Items[0].Read() {
			t.Fatalf("others changed it: %+v", in)
		}
	})
}

// The janitor removes notifications read more than 90 days ago and keeps
// unread ones.
func TestJanitorRemovesOldReadNotifications(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := &clock{now: time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)}
		rt := newRemindTeam(t, st, c, "jan@example.pl")
		rt.task(t, "Przeczytane", c.Now().Add(time.Hour), ptr(c.Now()), "", rt.emps[0])
		rt.task(t, "Nieprzeczytane", c.Now().Add(time.Hour), ptr(c.Now()), "", rt.emps[1])
		rt.deliver(t)
		if _, err := rt.svc.ReadAllNotifications(rt.userCtx[0]); err != nil {
			t.Fatal(err)
		}
		c.Add(89 * 24 * time.Hour)
		if err := rt.svc.Cleanup(context.Background()); err != nil {
			t.Fatal(err)
		}
		if len(rt.inbox(t, 0).Items) != 1 {
			t.Fatal("removed before 90 days")
		}
		c.Add(2 * 24 * time.Hour)
		if err := rt.svc.Cleanup(context.Background()); err != nil {
			t.Fatal(err)
		}
		if len(rt.inbox(t, 0).Items) != 0 || len(rt.inbox(t, 1).Items) != 1 {
			t.Fatalf("after 91 days: read %d, unread %d", len(rt.inbox(t, 0).Items), len(rt.inbox(t, 1).Items))
		}
	})
}

// Two instances deliver from one database at once: every reminder is
// delivered exactly once, and no user gets a notification twice (nor is one
// even attempted twice: the rows are taken by one runner).
func TestRemindersFireOnceAcrossInstances(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			st1, st2 := openTwice(t, engine)
			c := &clock{now: time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)}
			rt := newRemindTeam(t, st1, c, "jan@example.pl")
			svc2 := newService(t, st2, service.Options{Now: c.Now})
			const n = 120
			for i := range n {
				rt.task(t, "Zadanie "+itoa(int64(i)), c.Now().Add(time.Hour), ptr(c.Now().Add(time.Minute)), "", rt.emps[0], rt.emps[1])
			}
			c.Add(2 * time.Minute)
			var (
				mu    sync.Mutex
				total service.Delivery
				wg    sync.WaitGroup
			)
			for i, svc := range []*service.Service{rt.svc, svc2, rt.svc, svc2} {
				wg.Go(func() {
					for range 5 {
						d, err := svc.DeliverReminders(context.Background())
						if err != nil {
							t.Errorf("runner %d: %v", i, err)
							return
						}
						mu.Lock()
						total.Reminders += d.Reminders
						total.Notifications += d.Notifications
						total.Repeated += d.Repeated
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			if total.Reminders != n || total.Notifications != 2*n || total.Repeated != 0 {
				t.Fatalf("delivered %+v, want %d reminders and %d notifications, none repeated", total, n, 2*n)
			}
			for i := range rt.users {
				p, err := rt.svc.Notifications(rt.userCtx[i], service.NotificationQuery{Page: service.Page{Limit: 200}})
				if err != nil {
					t.Fatal(err)
				}
				seen := map[int64]bool{}
				for _, it := range p.Items {
					if seen[*it.TaskID] {
						t.Fatalf("user %d told twice about task %d", i, *it.TaskID)
					}
					seen[*it.TaskID] = true
				}
				if len(seen) != n || p.Unread != service.BellMax+1 {
					t.Fatalf("user %d: %d tasks, unread %d", i, len(seen), p.Unread)
				}
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
