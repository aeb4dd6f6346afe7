package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/i18n"
	"klientela/internal/ical"
	"klientela/internal/service"
)

func (h *Web) registerCalendar(mux httpx.Mux) {
	h.route(mux, "GET /calendar", authz.Calendar, authz.View, h.calendar)
	h.route(mux, "GET /calendar/events", authz.Calendar, authz.View, h.calendarEvents)
	// Moving needs the right to edit what moves; the service checks it per
	// item (a planned contact: contacts, edit; a task: tasks, edit).
	h.route(mux, "POST /calendar/move", authz.Calendar, authz.View, h.calendarMove)
	h.route(mux, "POST /profile/calendar-feed", authz.Calendar, authz.View, h.createCalendarFeed)
	h.route(mux, "POST /profile/calendar-feed/delete", authz.Calendar, authz.View, h.deleteCalendarFeed)
	h.route(mux, "GET /contacts/{id}/ics", authz.Contacts, authz.View, h.contactICS)
	h.route(mux, "GET /tasks/{id}/ics", authz.Tasks, authz.View, h.taskICS)
	// The feed is read by calendar programs without a session: its secret
	// token is the credential, and the service checks the user's rights on
	// every fetch.
	h.publicRoute(mux, "GET /feeds/{file}", h.feed)
}

// CalendarData is the model of the calendar page.
type CalendarData struct {
	Kinds     []crm.CalendarKind
	Employees []crm.Employee
	Groups    []crm.TaskGroup // task groups, when the user may see tasks
	Now       string          // the account's wall-clock time, for "today" and the now line
	NewURL    string          // planning a contact, when the user may
	NewTask   string          // the task form, when the user may add tasks
	Locale    string
	Messages  string // JSON of the texts the script shows
}

func (h *Web) calendar(w http.ResponseWriter, r *http.Request, v *View) {
	kinds, err := h.svc.CalendarKinds(r.Context())
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	es, err := h.svc.CalendarEmployees(r.Context())
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	d := CalendarData{Kinds: kinds, Employees: es, Now: time.Now().In(v.zone()).Format("2006-01-02T15:04:05"),
		Locale: string(v.Lang)}
	if v.Can("contacts", "edit") {
		d.NewURL = "/contacts/new"
	}
	if v.Can("tasks", "edit") {
		d.NewTask = "/tasks/new"
	}
	if v.Can("tasks", "view") {
		if gs, err := h.svc.TaskGroupChoices(r.Context()); err == nil {
			d.Groups = gs
		}
	}
	msgs, _ := json.Marshal(map[string]string{
		"moved":      v.T("calendar.moved"),
		"movedOne":   v.T("calendar.moved_one"),
		"resized":    v.T("calendar.resized"),
		"refused":    v.T("calendar.move_refused"),
		"failed":     v.T("calendar.load_failed"),
		"newContact": v.T("calendar.create_contact"),
		"newTask":    v.T("calendar.create_task"),
		"noCreate":   v.T("calendar.no_create"),
		"occurrence": v.T("calendar.occurrence_hint"),
		"readOnly":   v.T("calendar.read_only_hint"),
	})
	d.Messages = string(msgs)
	v.Title, v.Section, v.Data = v.T("calendar.title"), "calendar", d
	// FullCalendar adds an empty <style>, fills it through the CSSOM and
	// embeds its icon font.
	httpx.AllowInjectedStyles(w)
	h.render(w, r, http.StatusOK, "calendar", v)
}

// calendarEvent is an item as the calendar page's script gets it: times
// are the account's wall-clock times without an offset (the script shows
// them as they are, whatever the browser's own zone), all-day items have
// dates.
type calendarEvent struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	RecordID int64  `json:"record_id"`
	Title    string `json:"title"`
	Start    string `json:"start"`
	End      string `json:"end"`
	AllDay   bool   `json:"allDay"`
	Color    string `json:"color"`
	URL      string `json:"url"`
	Editable bool   `json:"editable"`
	// Tasks: the colour of the first group, done or cancelled, the
	// occurrence a move names, and whether it is one of a series.
	GroupColor string `json:"groupColor,omitempty"`
	Muted      bool   `json:"muted,omitempty"`
	Occurrence string `json:"occurrence,omitempty"`
	Recurring  bool   `json:"recurring,omitempty"`
}

// moreKind is the event that stands for the items a capped day left out;
// the script opens the day when it is clicked.
const moreKind = "more"

// calendarTitle is what an item is called in the user's language.
func calendarTitle(l *i18n.Localizer, it crm.CalendarItem) string {
	switch it.Kind {
	case crm.CalendarBirthday:
		return l.T("calendar.birthday_title", "name", it.Title)
	case crm.CalendarDate:
		return l.T("calendar.date_title", "name", it.Title, "client", it.Description)
	}
	return it.Title
}

// wallTime reads a time the script sent, "2026-03-29T10:00:00" (anything
// after the seconds, like "Z", is ignored) or "2026-03-29", as a
// wall-clock time in the account's zone.
func wallTime(s string, loc *time.Location) (time.Time, bool) {
	if len(s) >= 19 {
		t, err := time.ParseInLocation("2006-01-02T15:04:05", s[:19], loc)
		return t, err == nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	return t, err == nil
}

// jsonError answers a script's request with {"error": message}; status 0
// takes the status of the error's code.
func (h *Web) jsonError(w http.ResponseWriter, v *View, status int, err error) {
	msg := v.T("errors.internal.title")
	if e, ok := crm.AsError(err); ok {
		msg = v.T(e.Key, e.Args...)
		for _, m := range e.Fields {
			msg = v.T(m.Key, m.Args...)
			break
		}
		if status == 0 {
			status = httpx.Status(e.Code)
		}
	}
	if status == 0 {
		status = http.StatusInternalServerError
	}
	writeJSON(w, status, map[string]string{"error": msg})
}

func (h *Web) calendarEvents(w http.ResponseWriter, r *http.Request, v *View) {
	q := r.URL.Query()
	zone := v.zone()
	var query service.CalendarQuery
	var val crm.Validation
	for name, dst := range map[string]*time.Time{"from": &query.From, "to": &query.To} {
		if t, ok := wallTime(q.Get(name), zone); ok {
			*dst = t
		} else {
			val.Add(name, "err.calendar_time_invalid")
		}
	}
	for name, dst := range map[string]*int64{"employee_id": &query.EmployeeID, "group_id": &query.GroupID} {
		if s := q.Get(name); s != "" {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				val.Add(name, "err.invalid")
			}
			*dst = id
		}
	}
	if q.Has("kinds") {
		query.Kinds = []crm.CalendarKind{}
		for k := range strings.SplitSeq(q.Get("kinds"), ",") {
			if k != "" {
				query.Kinds = append(query.Kinds, crm.CalendarKind(k))
			}
		}
	}
	// The month view asks for a few items a day and a "+N" for the rest,
	// which opens the day (see docs/performance.md, "Calendar").
	perDay := 0
	if s := q.Get("per_day"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > service.MaxPerDay {
			val.Add("per_day", "err.invalid")
		}
		perDay = n
	}
	if err := val.Err(); err != nil {
		h.jsonError(w, v, http.StatusBadRequest, err)
		return
	}
	if err := service.CheckCalendarQuery(query); err != nil {
		h.jsonError(w, v, http.StatusBadRequest, err)
		return
	}
	items, more, err := h.svc.CalendarCapped(r.Context(), query, perDay)
	if err != nil {
		if crm.ErrorCode(err) == crm.CodeInternal {
			h.log.Error("calendar", "id", httpx.RequestID(r.Context()), "err", err)
		}
		h.jsonError(w, v, 0, err)
		return
	}
	out := make([]calendarEvent, len(items), len(items)+len(more))
	for _, m := range more {
		d := m.Day.In(zone)
		out = append(out, calendarEvent{ID: "more-" + d.Format(time.DateOnly), Kind: moreKind, Title: v.T("calendar.more", "n", m.Count),
			Start: d.Format(time.DateOnly), End: d.AddDate(0, 0, 1).Format(time.DateOnly), AllDay: true, RecordID: int64(m.Count)})
	}
	for i, it := range items {
		e := calendarEvent{ID: it.UID, Kind: string(it.Kind), RecordID: it.ID, Title: calendarTitle(v.L, it),
			AllDay: it.AllDay, Color: it.Color, URL: it.URL, Editable: it.Editable, GroupColor: it.GroupColor,
			Muted: it.Muted, Recurring: it.Recurring}
		layout := "2006-01-02T15:04:05"
		if it.AllDay {
			layout = time.DateOnly
		}
		e.Start, e.End = it.Start.In(zone).Format(layout), it.End.In(zone).Format(layout)
		if !it.Occurrence.IsZero() {
			e.Occurrence = it.Occurrence.Format(time.RFC3339)
		}
		out[i] = e
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Web) calendarMove(w http.ResponseWriter, r *http.Request, v *View) {
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": v.T("errors.bad_request.title")})
		return
	}
	m := service.CalendarMove{Kind: crm.CalendarKind(r.PostForm.Get("kind"))}
	m.ID, _ = strconv.ParseInt(r.PostForm.Get("id"), 10, 64)
	m.Start, _ = wallTime(r.PostForm.Get("start"), v.zone())
	if s := r.PostForm.Get("end"); s != "" {
		m.End, _ = wallTime(s, v.zone())
	}
	// The occurrence is sent back as the events gave it (RFC 3339).
	if s := r.PostForm.Get("occurrence"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			var val crm.Validation
			val.Add("occurrence", "err.task_occurrence_unknown")
			h.jsonError(w, v, 0, val.Err())
			return
		}
		m.Occurrence = t
	}
	err := h.svc.MoveCalendarItem(r.Context(), m)
	if err != nil {
		if crm.ErrorCode(err) == crm.CodeInternal {
			h.log.Error("calendar move", "id", httpx.RequestID(r.Context()), "err", err)
		}
		h.jsonError(w, v, 0, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"message": v.T("calendar.moved")})
}

// feedURL is the address of a feed token.
func (h *Web) feedURL(r *http.Request, token string) string {
	return httpx.BaseURL(r, h.baseURL, h.trustProxy) + "/feeds/" + token + ".ics"
}

func (h *Web) createCalendarFeed(w http.ResponseWriter, r *http.Request, v *View) {
	tok, err := h.svc.CreateCalendarFeed(r.Context())
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	h.showProfile(w, r, v, http.StatusCreated, ProfileData{NewFeedURL: h.feedURL(r, tok)})
}

func (h *Web) deleteCalendarFeed(w http.ResponseWriter, r *http.Request, v *View) {
	if err := h.svc.RevokeCalendarFeed(r.Context()); err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	h.flash(w, "calendar.feed.revoked")
	http.Redirect(w, r, "/profile", http.StatusSeeOther)
}

func (h *Web) contactICS(w http.ResponseWriter, r *http.Request, v *View) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r, v)
		return
	}
	it, zone, err := h.svc.ContactCalendarItem(r.Context(), id)
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	h.writeICS(w, r, ical.Calendar{Zone: zone, Now: time.Now(), Items: []crm.CalendarItem{it}},
		"kontakt-"+strconv.FormatInt(id, 10)+".ics")
}

func (h *Web) taskICS(w http.ResponseWriter, r *http.Request, v *View) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r, v)
		return
	}
	items, zone, err := h.svc.TaskCalendarItems(r.Context(), id)
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	h.writeICS(w, r, ical.Calendar{Zone: zone, Now: time.Now(), Items: items}, "zadanie-"+strconv.FormatInt(id, 10)+".ics")
}

// writeICS sends an iCalendar document; with a file name, as a download.
func (h *Web) writeICS(w http.ResponseWriter, r *http.Request, c ical.Calendar, file string) {
	c.BaseURL = httpx.BaseURL(r, h.baseURL, h.trustProxy)
	c.Domain = ical.Domain(c.BaseURL)
	var buf bytes.Buffer
	if err := ical.Write(&buf, c); err != nil {
		h.log.Error("write iCalendar", "id", httpx.RequestID(r.Context()), "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", ical.ContentType)
	hd.Set("Cache-Control", "private, no-cache")
	if file != "" {
		hd.Set("Content-Disposition", httpx.Attachment(file))
	}
	_, _ = buf.WriteTo(w)
}
