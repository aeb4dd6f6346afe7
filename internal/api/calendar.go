package api

import (
	"bytes"
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

func (a *API) registerCalendar(mux httpx.Mux) {
	a.handle(mux, "GET", "/calendar", authz.Calendar, authz.View, a.calendar)
	a.handle(mux, "POST", "/me/calendar-feed", authz.Calendar, authz.View, a.createCalendarFeed)
	a.handle(mux, "DELETE", "/me/calendar-feed", authz.Calendar, authz.View, a.deleteCalendarFeed)
	a.handleRaw(mux, "GET", "/planned-contacts/{id}/ics", authz.Contacts, authz.View, a.contactICS)
	a.handleRaw(mux, "GET", "/tasks/{id}/ics", authz.Tasks, authz.View, a.taskICS)
}

// CalendarItem is one item of the calendar. Timed items have RFC 3339
// times with the offset of the account's time zone; all-day items have
// dates ("2026-03-04"), the end being the day after the last.
type CalendarItem struct {
	Kind     string `json:"kind"`
	ID       string `json:"id"`
	RecordID int64  `json:"record_id"`
	Title    string `json:"title"`
	Start    string `json:"start"`
	End      string `json:"end"`
	AllDay   bool   `json:"all_day"`
	Color    string `json:"color"`
	URL      string `json:"url"`
	Editable bool   `json:"editable"`
	// Tasks only: the colour of the task's first group, whether it is done
	// or cancelled, the occurrence (its start as the rule makes it, RFC
	// 3339) and whether it is one of a repeating series.
	GroupColor string `json:"group_color,omitempty"`
	Muted      bool   `json:"muted,omitempty"`
	Occurrence string `json:"occurrence,omitempty"`
	Recurring  bool   `json:"recurring,omitempty"`
}

// parseCalendarTime reads an RFC 3339 time, or a date (midnight in the
// account's zone).
func parseCalendarTime(s string, loc *time.Location) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	return t, err == nil
}

func (a *API) calendar(w http.ResponseWriter, r *http.Request) (int, any, error) {
	p := crm.PrincipalFrom(r.Context())
	loc, err := i18n.LoadZone(p.Account.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	q := r.URL.Query()
	var (
		query service.CalendarQuery
		v     crm.Validation
	)
	for name, dst := range map[string]*time.Time{"from": &query.From, "to": &query.To} {
		s := q.Get(name)
		if s == "" {
			v.Add(name, "err.required")
		} else if t, ok := parseCalendarTime(s, loc); ok {
			*dst = t
		} else {
			v.Add(name, "err.calendar_time_invalid")
		}
	}
	for name, dst := range map[string]*int64{"employee_id": &query.EmployeeID, "group_id": &query.GroupID} {
		if s := q.Get(name); s != "" {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil || id < 1 {
				v.Add(name, "err.invalid")
			}
			*dst = id
		}
	}
	if q.Has("kinds") {
		query.Kinds = []crm.CalendarKind{}
		for k := range strings.SplitSeq(q.Get("kinds"), ",") {
			if k = strings.TrimSpace(k); k != "" {
				query.Kinds = append(query.Kinds, crm.CalendarKind(k))
			}
		}
	}
	if err := v.Err(); err != nil {
		return 0, nil, badRequest(err)
	}
	if err := service.CheckCalendarQuery(query); err != nil {
		return 0, nil, badRequest(err)
	}
	items, err := a.svc.Calendar(r.Context(), query)
	if err != nil {
		return 0, nil, badRequest(err)
	}
	l := a.localizer(r)
	out := make([]CalendarItem, len(items))
	for i, it := range items {
		c := CalendarItem{Kind: string(it.Kind), ID: it.UID, RecordID: it.ID, Title: it.Title, AllDay: it.AllDay,
			Color: it.Color, URL: it.URL, Editable: it.Editable}
		switch it.Kind {
		case crm.CalendarBirthday:
			c.Title = l.T("calendar.birthday_title", "name", it.Title)
		case crm.CalendarDate:
			c.Title = l.T("calendar.date_title", "name", it.Title, "client", it.Description)
		case crm.CalendarTask:
			c.GroupColor, c.Muted, c.Recurring = it.GroupColor, it.Muted, it.Recurring
			c.Occurrence = timestamp(r, it.Occurrence)
		}
		if it.AllDay {
			c.Start, c.End = it.Start.In(loc).Format(time.DateOnly), it.End.In(loc).Format(time.DateOnly)
		} else {
			c.Start, c.End = timestamp(r, it.Start), timestamp(r, it.End)
		}
		out[i] = c
	}
	total := len(out)
	return http.StatusOK, List[CalendarItem]{Items: out, Total: &total}, nil
}

// CalendarFeed answers the creation of a feed: its private URL, shown once.
type CalendarFeed struct {
	URL string `json:"url"`
}

func (a *API) createCalendarFeed(w http.ResponseWriter, r *http.Request) (int, any, error) {
	tok, err := a.svc.CreateCalendarFeed(r.Context())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, CalendarFeed{URL: httpx.BaseURL(r, a.baseURL, a.trustProxy) + "/feeds/" + tok + ".ics"}, nil
}

func (a *API) deleteCalendarFeed(w http.ResponseWriter, r *http.Request) (int, any, error) {
	return http.StatusNoContent, nil, a.svc.RevokeCalendarFeed(r.Context())
}

func (a *API) contactICS(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	it, zone, err := a.svc.ContactCalendarItem(r.Context(), id)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	a.writeICS(w, r, zone, []crm.CalendarItem{it}, "kontakt-"+strconv.FormatInt(id, 10)+".ics")
}

func (a *API) taskICS(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	items, zone, err := a.svc.TaskCalendarItems(r.Context(), id)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	a.writeICS(w, r, zone, items, "zadanie-"+strconv.FormatInt(id, 10)+".ics")
}

// writeICS sends items as an iCalendar file to download.
func (a *API) writeICS(w http.ResponseWriter, r *http.Request, zone *time.Location, items []crm.CalendarItem, file string) {
	base := httpx.BaseURL(r, a.baseURL, a.trustProxy)
	var buf bytes.Buffer
	if err := ical.Write(&buf, ical.Calendar{Zone: zone, Now: time.Now(), Domain: ical.Domain(base),
		BaseURL: base, Items: items}); err != nil {
		a.writeError(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", ical.ContentType)
	hd.Set("Cache-Control", "private, no-cache")
	hd.Set("Content-Disposition", httpx.Attachment(file))
	_, _ = buf.WriteTo(w)
}
