package service

import (
	"context"
	"strconv"
	"time"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/i18n"
	"klientela/internal/store"
)

// Reminders and notifications.
//
// A task with a reminder time (remind_at) and a planned contact each have a
// row in the reminders schedule: when its next reminder is due, and what
// was delivered last. Every write of a task or contact reschedules it in
// the same transaction (scheduleTask, scheduleContact). The background
// runner of every instance (RunJobs) delivers due reminders: it takes due
// rows in a transaction (FOR UPDATE SKIP LOCKED on PostgreSQL, so two
// instances never take the same row), reads the task or contact again,
// writes one notification per user and moves the row to the next
// occurrence, all in that transaction. A notification is unique per user,
// record and occurrence besides, so a reminder is delivered once even if
// the schedule were wrong.
//
// Rules:
//   - a task's reminder is remind_at; a repeating task's reminder comes as
//     long before each occurrence as remind_at is before the first one;
//   - a planned contact's reminder comes ContactLeadTime before its time;
//   - only open tasks (occurrences) and planned contacts remind; a reminder
//     edited before it fires fires at its new time, a task done, cancelled
//     or deleted before it does not fire (deleting it also withdraws the
//     notifications already delivered);
//   - a reminder whose time has already passed when it is saved fires once,
//     soon; a series reminds for its next occurrence that is not over, not
//     for every past one;
//   - who is told: the active users linked to the task's employees (or the
//     contact's employee) who may view tasks (contacts); an employee without
//     a user is nobody to tell.

// ContactLeadTime is how long before a planned contact its employee's user
// is reminded (bulk inserts in the store schedule by the same constant).
const ContactLeadTime = crm.ContactReminderLead

// Notification lists and the janitor.
const (
	notificationKeepDays = 90  // read notifications are removed after this
	BellMax              = 99  // the bell counts up to this, then shows "99+"
	reminderBatch        = 50  // reminders delivered in one transaction
	seriesLookups        = 100 // occurrences a series skips (done, cancelled) looking for the next one
)

// Delivery counts what DeliverReminders did.
type Delivery struct {
	Reminders     int // reminders delivered (one per task occurrence or contact)
	Notifications int // notifications written
	Repeated      int // notifications not written because the user already had them
}

func (d *Delivery) add(o Delivery) {
	d.Reminders += o.Reminders
	d.Notifications += o.Notifications
	d.Repeated += o.Repeated
}

// DeliverReminders delivers every reminder due now. Several instances may
// run it at once; each reminder is delivered by one of them.
func (s *Service) DeliverReminders(ctx context.Context) (Delivery, error) {
	var total Delivery
	for {
		d, taken, err := s.deliverBatch(ctx)
		total.add(d)
		if err != nil || taken < reminderBatch {
			return total, err
		}
	}
}

// deliverBatch delivers up to reminderBatch due reminders in one
// transaction.
func (s *Service) deliverBatch(ctx context.Context) (d Delivery, taken int, err error) {
	now := s.now().UTC()
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		d = Delivery{}
		due, err := tx.DueReminders(ctx, now, reminderBatch)
		if err != nil {
			return err
		}
		taken = len(due)
		zones := map[int64]*time.Location{}
		for _, r := range due {
			t := tx.Tenant(r.AccountID)
			loc, ok := zones[r.AccountID]
			if !ok {
				a, err := t.Account(ctx)
				if err != nil {
					return err
				}
				if loc, err = i18n.LoadZone(a.TimeZone); err != nil {
					loc = time.UTC
				}
				zones[r.AccountID] = loc
			}
			one, err := s.deliver(ctx, t, loc, r, now)
			if err != nil {
				return err
			}
			d.add(one)
		}
		return nil
	})
	if err != nil {
		return Delivery{}, taken, err
	}
	return d, taken, nil
}

// plan is a reminder to deliver: for which occurrence, at what time.
type plan struct {
	due, occurrence time.Time
}

// deliver delivers the due reminder r if its task or contact still wants
// it, and schedules the next one.
func (s *Service) deliver(ctx context.Context, t *store.Tenant, loc *time.Location, r store.Reminder, now time.Time) (Delivery, error) {
	var (
		p, next       plan
		ok, more      bool
		employees     []int64
		section       authz.Section
		kind, title   string
		taskID, contD *int64
		subject       int64
	)
	if r.TaskID != nil {
		k, err := t.Task(ctx, *r.TaskID)
		if err != nil {
			return Delivery{}, err // a deleted task takes its reminder row with it
		}
		xs, err := t.TaskExceptions(ctx, []int64{k.ID})
		if err != nil {
			return Delivery{}, err
		}
		if p, ok = taskPlan(k, xs[k.ID], loc, r.FiredDue, r.FiredOccurrence, now); ok && !p.due.After(now) {
			next, more = taskPlan(k, xs[k.ID], loc, &p.due, &p.occurrence, now)
		}
		employees, section, kind, title, taskID, subject = k.EmployeeIDs, authz.Tasks, crm.NotifyTaskReminder, k.Title, &k.ID, k.ID
	} else {
		c, err := t.Contact(ctx, *r.ContactID)
		if err != nil {
			return Delivery{}, err
		}
		p, ok = contactPlan(c, r.FiredDue)
		title = c.Subject
		if title == "" {
			title = c.ClientName
		}
		employees, section, kind, contD, subject = []int64{c.EmployeeID}, authz.Contacts, crm.NotifyContactReminder, &c.ID, c.ID
	}
	if !ok || p.due.After(now) {
		// Changed since it was scheduled: nothing to deliver now.
		return Delivery{}, scheduleFrom(ctx, t, r.TaskID != nil, subject, p, ok)
	}
	users, err := s.toldUsers(ctx, t, employees, section)
	if err != nil {
		return Delivery{}, err
	}
	d := Delivery{Reminders: 1}
	for _, u := range users {
		added, err := t.AddNotification(ctx, crm.Notification{UserID: u.ID, Kind: kind, SubjectID: subject,
			TaskID: taskID, ContactID: contD, Occurrence: p.occurrence, Title: title, At: now})
		if err != nil {
			return Delivery{}, err
		}
		if added {
			d.Notifications++
		} else {
			d.Repeated++
		}
	}
	return d, t.ReminderFired(ctx, r.ID, p.due, p.occurrence, planDue(next, more), planOccurrence(next, more))
}

// toldUsers are the active users of employees who may view section.
func (s *Service) toldUsers(ctx context.Context, t *store.Tenant, employees []int64, section authz.Section) ([]crm.User, error) {
	us, err := t.ActiveUsersOfEmployees(ctx, employees)
	if err != nil {
		return nil, err
	}
	out := us[:0]
	for _, u := range us {
		if authz.Can(&crm.Principal{User: u}, section, authz.View) {
			out = append(out, u)
		}
	}
	return out, nil
}

func planDue(p plan, ok bool) *time.Time {
	if !ok {
		return nil
	}
	return &p.due
}

func planOccurrence(p plan, ok bool) *time.Time {
	if !ok {
		return nil
	}
	return &p.occurrence
}

func scheduleFrom(ctx context.Context, t *store.Tenant, task bool, id int64, p plan, ok bool) error {
	return t.ScheduleReminder(ctx, task, id, planDue(p, ok), planOccurrence(p, ok))
}

// taskPlan is the next reminder of task k (with its exceptions xs) after
// the one delivered last (firedDue for the occurrence firedOcc; nil for
// none): ok is false when there is none to come.
func taskPlan(k crm.Task, xs []crm.TaskException, loc *time.Location, firedDue, firedOcc *time.Time, now time.Time) (plan, bool) {
	if k.RemindAt == nil {
		return plan{}, false
	}
	if !k.Recurring() {
		if !k.Status.Open() || (firedDue != nil && firedDue.Equal(*k.RemindAt)) {
			return plan{}, false
		}
		return plan{due: *k.RemindAt, occurrence: k.Start}, true
	}
	lead := k.Start.Sub(*k.RemindAt)
	cursor := now
	for range seriesLookups {
		o := nextOccurrence(k, xs, cursor, loc)
		if o == nil {
			return plan{}, false
		}
		if o.Status.Open() && (firedOcc == nil || o.Original.After(*firedOcc)) {
			return plan{due: o.Start.Add(-lead), occurrence: o.Original}, true
		}
		cursor = o.End.Add(time.Nanosecond)
		if !o.End.After(o.Start) {
			cursor = o.Start.Add(time.Nanosecond)
		}
	}
	return plan{}, false
}

// contactPlan is the reminder of planned contact c unless it was delivered
// for its present time (firedDue).
func contactPlan(c crm.PlannedContact, firedDue *time.Time) (plan, bool) {
	if c.Status != crm.ContactPlanned {
		return plan{}, false
	}
	due := c.At.Add(-ContactLeadTime)
	if firedDue != nil && firedDue.Equal(due) {
		return plan{}, false
	}
	return plan{due: due, occurrence: c.At}, true
}

// scheduleTask reschedules task id's reminder after a write, in the
// writer's transaction.
func (s *Service) scheduleTask(ctx context.Context, t *store.Tenant, loc *time.Location, id int64) error {
	k, err := t.Task(ctx, id)
	if err != nil {
		return err
	}
	return s.scheduleSavedTask(ctx, t, loc, k)
}

// scheduleSavedTask is scheduleTask for the task k as the transaction just
// read it (a caller that reads it anyway saves a second read).
func (s *Service) scheduleSavedTask(ctx context.Context, t *store.Tenant, loc *time.Location, k crm.Task) error {
	id := k.ID
	r, had, err := t.ReminderOf(ctx, true, id)
	if err != nil {
		return err
	}
	if k.RemindAt == nil && !had {
		return nil // most tasks: no reminder, no row
	}
	var xs []crm.TaskException
	if k.Recurring() {
		m, err := t.TaskExceptions(ctx, []int64{id})
		if err != nil {
			return err
		}
		xs = m[id]
	}
	p, ok := taskPlan(k, xs, loc, r.FiredDue, r.FiredOccurrence, s.now())
	if err := scheduleFrom(ctx, t, true, id, p, ok); err != nil {
		return err
	}
	if ok && !p.due.After(s.now()) {
		s.wakeRunners()
	}
	return nil
}

// scheduleContact reschedules a planned contact's reminder after a write,
// in the writer's transaction.
func (s *Service) scheduleContact(ctx context.Context, t *store.Tenant, id int64) error {
	c, err := t.Contact(ctx, id)
	if err != nil {
		return err
	}
	r, _, err := t.ReminderOf(ctx, false, id)
	if err != nil {
		return err
	}
	p, ok := contactPlan(c, r.FiredDue)
	if err := scheduleFrom(ctx, t, false, id, p, ok); err != nil {
		return err
	}
	if ok && !p.due.After(s.now()) {
		s.wakeRunners()
	}
	return nil
}

// --- the user's notifications -------------------------------------------------

// NotificationQuery is a page of the user's notifications, newest first.
type NotificationQuery struct {
	UnreadOnly bool
	Page
}

// NotificationPage is a page of notifications with the user's unread
// count.
type NotificationPage struct {
	Items  []crm.Notification
	Next   int64 // cursor of the next page; 0 on the last
	Unread int   // up to BellMax+1
}

// notifyActor is the logged-in user: everyone has notifications of their
// own.
func (s *Service) notifyActor(ctx context.Context) (*crm.Principal, *store.Tenant, error) {
	return s.actor(ctx, authz.Dashboard, authz.View)
}

// Notifications lists the acting user's notifications.
func (s *Service) Notifications(ctx context.Context, q NotificationQuery) (NotificationPage, error) {
	p, t, err := s.notifyActor(ctx)
	if err != nil {
		return NotificationPage{}, err
	}
	limit := q.Limit
	if limit <= 0 || limit > MaxPageSize {
		limit = DefaultPageSize
	}
	ns, err := t.Notifications(ctx, store.NotificationFilter{UserID: p.User.ID, UnreadOnly: q.UnreadOnly, Before: q.Cursor, Limit: limit + 1})
	if err != nil {
		return NotificationPage{}, err
	}
	var out NotificationPage
	if len(ns) > limit {
		ns = ns[:limit]
		out.Next = ns[limit-1].ID
	}
	out.Items = ns
	out.Unread, err = t.UnreadNotifications(ctx, p.User.ID, BellMax+1)
	return out, err
}

// UnreadCount is the acting user's number of unread notifications, up to
// BellMax+1 — what the bell shows on every page.
func (s *Service) UnreadCount(ctx context.Context) (int, error) {
	p, t, err := s.notifyActor(ctx)
	if err != nil {
		return 0, err
	}
	return t.UnreadNotifications(ctx, p.User.ID, BellMax+1)
}

// Notification returns one of the acting user's notifications.
func (s *Service) Notification(ctx context.Context, id int64) (crm.Notification, error) {
	p, t, err := s.notifyActor(ctx)
	if err != nil {
		return crm.Notification{}, err
	}
	return t.Notification(ctx, p.User.ID, id)
}

// ReadNotification marks one of the acting user's notifications read and
// returns it (another user's is not found).
func (s *Service) ReadNotification(ctx context.Context, id int64) (crm.Notification, error) {
	p, t, err := s.notifyActor(ctx)
	if err != nil {
		return crm.Notification{}, err
	}
	if err := t.MarkNotificationRead(ctx, p.User.ID, id, s.now()); err != nil {
		return crm.Notification{}, err
	}
	return t.Notification(ctx, p.User.ID, id)
}

// ReadAllNotifications marks all the acting user's notifications read.
func (s *Service) ReadAllNotifications(ctx context.Context) (int64, error) {
	p, t, err := s.notifyActor(ctx)
	if err != nil {
		return 0, err
	}
	return t.MarkAllNotificationsRead(ctx, p.User.ID, s.now())
}

// NotificationLink is where a notification leads: the task or the planned
// contact.
func NotificationLink(n crm.Notification) string {
	switch {
	case n.TaskID != nil:
		return "/tasks/" + strconv.FormatInt(*n.TaskID, 10)
	case n.ContactID != nil:
		return "/contacts/" + strconv.FormatInt(*n.ContactID, 10)
	}
	return "/notifications"
}

// cleanupNotifications removes notifications read more than
// notificationKeepDays ago.
func (s *Service) cleanupNotifications(ctx context.Context) (int64, error) {
	return s.store.DeleteReadNotifications(ctx, s.now().AddDate(0, 0, -notificationKeepDays))
}
