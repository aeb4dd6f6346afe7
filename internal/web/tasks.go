package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/service"
)

func (h *Web) registerTasks(mux httpx.Mux) {
	h.route(mux, "GET /tasks", authz.Tasks, authz.View, h.tasks)
	h.route(mux, "GET /tasks/new", authz.Tasks, authz.Edit, h.newTask)
	h.route(mux, "POST /tasks", authz.Tasks, authz.Edit, h.createTask)
	h.route(mux, "GET /tasks/{id}", authz.Tasks, authz.View, h.task)
	h.route(mux, "POST /tasks/{id}", authz.Tasks, authz.Edit, h.updateTask)
	h.route(mux, "POST /tasks/{id}/complete", authz.Tasks, authz.Edit, h.completeTask)
	h.route(mux, "POST /tasks/{id}/delete", authz.Tasks, authz.Full, h.deleteTask)
	h.route(mux, "POST /tasks/{id}/cancel", authz.Tasks, authz.Edit, h.cancelOccurrence)
	h.registerGroups(mux, h.taskGroupPage())
}

const tasksPerPage = 50

// TasksData is the model of the task list.
type TasksData struct {
	Items     []crm.Task
	Now       time.Time
	Mine      bool // "Moje zadania" rather than "Wszystkie"
	CanMine   bool // the user has an employee of their own
	OwnOnly   bool // the user sees only their own tasks anyway
	Q         string
	Status    string
	Group     string
	Employee  string
	Client    string
	ClientNm  string // the filtered client's name
	From, To  string // yyyy-mm-dd as typed
	Overdue   bool
	Filtered  bool
	Statuses  []Option
	Groups    []Option
	Employees []Option
	Pager     Pager
	Sorts     map[string]SortLink
	MineHref  string
	AllHref   string
	Here      string
}

func (h *Web) tasks(w http.ResponseWriter, r *http.Request, v *View) {
	q := r.URL.Query()
	page := listPage(q)
	d := TasksData{Now: time.Now(), CanMine: v.P.User.EmployeeID != nil, OwnOnly: authz.OwnOnly(v.P, authz.Tasks),
		Q: q.Get("q"), Status: q.Get("status"), Group: q.Get("group"), Employee: q.Get("employee_id"),
		Client: q.Get("client_id"), From: q.Get("from"), To: q.Get("to"), Overdue: q.Get("overdue") == "1",
		Here: r.URL.RequestURI()}
	switch q.Get("view") {
	case "mine":
		d.Mine = d.CanMine
	case "all":
	default:
		d.Mine = d.CanMine && !d.OwnOnly
	}
	query := service.TaskQuery{Q: d.Q, Status: d.Status, Mine: d.Mine, Overdue: d.Overdue, Sort: q.Get("sort"),
		Offset: (page - 1) * tasksPerPage, Limit: tasksPerPage}
	if query.Status != "" && query.Status != "open" && !slices.Contains(crm.TaskStatuses, crm.TaskStatus(query.Status)) {
		query.Status, d.Status = "", ""
	}
	if !slices.Contains(taskSorts, query.Sort) {
		query.Sort = ""
	}
	query.GroupID, _ = strconv.ParseInt(d.Group, 10, 64)
	query.EmployeeID, _ = strconv.ParseInt(d.Employee, 10, 64)
	query.ClientID, _ = strconv.ParseInt(d.Client, 10, 64)
	if t, err := time.ParseInLocation(time.DateOnly, d.From, v.zone()); err == nil {
		query.From = &t
	} else {
		d.From = ""
	}
	if t, err := time.ParseInLocation(time.DateOnly, d.To, v.zone()); err == nil {
		t = t.AddDate(0, 0, 1)
		query.To = &t
	} else {
		d.To = ""
	}
	if query.From != nil && query.To != nil && query.To.Before(*query.From) {
		query.To, d.To = nil, ""
	}
	d.Filtered = d.Q != "" || d.Status != "" || d.Group != "" || d.Employee != "" || d.Client != "" || d.From != "" || d.To != "" || d.Overdue
	items, total, err := h.svc.Tasks(r.Context(), query)
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	d.Items, d.Pager = items, newCappedPager("/tasks", q, total, service.TaskCountBound(query), page, tasksPerPage)
	sort := query.Sort
	if sort == "" {
		sort = "start"
	}
	d.Sorts = map[string]SortLink{}
	for _, k := range []string{"start", "title", "priority"} {
		d.Sorts[k] = sortLink("/tasks", q, sort, k)
	}
	d.Statuses = taskStatusOptions(v, v.T("tasks.status.all"))
	d.Statuses = slices.Insert(d.Statuses, 1, Option{Value: "open", Label: v.T("tasks.status.open")})
	d.Groups = h.taskGroupOptions(r, v, v.T("taskgroups.all"))
	if !d.OwnOnly {
		d.Employees = h.taskEmployeeOptions(r, v, v.T("contacts.all_employees"))
	}
	if query.ClientID > 0 && v.Can("clients", "view") {
		if c, err := h.svc.Client(r.Context(), query.ClientID); err == nil {
			d.ClientNm = c.Name
		}
	}
	view := func(name string) string {
		c := url.Values{}
		for k, vs := range q {
			c[k] = vs
		}
		c.Del("page")
		c.Set("view", name)
		return "/tasks?" + c.Encode()
	}
	d.MineHref, d.AllHref = view("mine"), view("all")
	v.Title, v.Section, v.Data = v.T("tasks.title"), "tasks", d
	h.render(w, r, http.StatusOK, "tasks", v)
}

var taskSorts = []string{"start", "-start", "end", "-end", "title", "-title", "priority", "-priority"}

func taskStatusOptions(v *View, first string) []Option {
	var opts []Option
	if first != "" {
		opts = append(opts, Option{Value: "", Label: first})
	}
	for _, s := range crm.TaskStatuses {
		opts = append(opts, Option{Value: string(s), Label: v.T("tasks.status." + string(s))})
	}
	return opts
}

func taskPriorityOptions(v *View) []Option {
	var opts []Option
	for _, p := range crm.TaskPriorities {
		opts = append(opts, Option{Value: string(p), Label: v.T("tasks.priority." + string(p))})
	}
	return opts
}

func (h *Web) taskGroupOptions(r *http.Request, v *View, first string) []Option {
	gs, err := h.svc.TaskGroupChoices(r.Context())
	if err != nil || len(gs) == 0 {
		return nil
	}
	opts := []Option{{Value: "", Label: first}}
	for _, g := range gs {
		opts = append(opts, Option{Value: strconv.FormatInt(g.ID, 10), Label: g.Name})
	}
	return opts
}

func (h *Web) taskEmployeeOptions(r *http.Request, v *View, first string) []Option {
	es, err := h.svc.TaskEmployees(r.Context())
	if err != nil || len(es) == 0 {
		return nil
	}
	var opts []Option
	if first != "" {
		opts = append(opts, Option{Value: "", Label: first})
	}
	for _, e := range es {
		opts = append(opts, Option{Value: strconv.FormatInt(e.ID, 10), Label: e.FullName()})
	}
	return opts
}

// Check is one checkbox of a list of choices.
type Check struct {
	Value, Label, Color string
	Checked             bool
}

// TaskFormData is the model of the task form.
type TaskFormData struct {
	Task       *crm.Task // nil for a new one
	Occurrence string    // the occurrence being edited (RFC 3339), "" for the series
	OccLabel   string
	Statuses   []Option
	Priorities []Option
	Employees  []Check
	Groups     []Check
	Clients    []Option // nil without access to clients
	Freqs      []Option
	Weekdays   []Check
	CustomRule string // a rule set through the API that the form cannot show
	OwnOnly    bool
}

func (h *Web) taskForm(w http.ResponseWriter, r *http.Request, v *View, status int, k *crm.Task) {
	d := TaskFormData{Task: k, Statuses: taskStatusOptions(v, ""), Priorities: taskPriorityOptions(v),
		OwnOnly: authz.OwnOnly(v.P, authz.Tasks), Occurrence: v.FormValue("occurrence")}
	if d.Occurrence != "" {
		if t, err := time.Parse(time.RFC3339, d.Occurrence); err == nil {
			d.OccLabel = v.DateTime(t)
		}
	}
	emps := formList(v, "employee_ids")
	if es, err := h.svc.TaskEmployees(r.Context()); err == nil {
		for _, e := range es {
			id := strconv.FormatInt(e.ID, 10)
			d.Employees = append(d.Employees, Check{Value: id, Label: e.FullName(), Color: e.Color, Checked: slices.Contains(emps, id)})
		}
	}
	groups := formList(v, "group_ids")
	if gs, err := h.svc.TaskGroupChoices(r.Context()); err == nil {
		for _, g := range gs {
			id := strconv.FormatInt(g.ID, 10)
			d.Groups = append(d.Groups, Check{Value: id, Label: g.Name, Color: g.Color, Checked: slices.Contains(groups, id)})
		}
	}
	if v.Can("clients", "view") {
		if cs, _, err := h.svc.Clients(r.Context(), service.ClientQuery{Limit: service.MaxPageSize}); err == nil {
			d.Clients = []Option{{Value: "", Label: v.T("common.none")}}
			for _, c := range cs {
				d.Clients = append(d.Clients, Option{Value: strconv.FormatInt(c.ID, 10), Label: c.Name})
			}
			// A client beyond the first page (or chosen before) stays choosable.
			if cid := v.FormValue("client_id"); cid != "" && !slices.ContainsFunc(d.Clients, func(o Option) bool { return o.Value == cid }) {
				label := cid
				if k != nil && k.ClientName != "" {
					label = k.ClientName
				}
				d.Clients = append(d.Clients, Option{Value: cid, Label: label})
			}
		}
	}
	d.Freqs = []Option{{Value: "", Label: v.T("tasks.repeat.none")}}
	for _, f := range []string{"daily", "weekly", "monthly", "yearly"} {
		d.Freqs = append(d.Freqs, Option{Value: f, Label: v.T("tasks.repeat." + f)})
	}
	if v.FormValue("repeat_freq") == "keep" && k != nil {
		d.CustomRule = k.Recurrence
		d.Freqs = append(d.Freqs, Option{Value: "keep", Label: v.T("tasks.repeat.keep")})
	}
	days := formList(v, "repeat_weekdays")
	for i, wd := range service.Weekdays {
		d.Weekdays = append(d.Weekdays, Check{Value: wd, Label: v.L.WeekdayShort(time.Weekday((i + 1) % 7)), Checked: slices.Contains(days, wd)})
	}
	if k == nil {
		v.Title = v.T("tasks.new")
	} else {
		v.Title = v.T("tasks.edit")
	}
	v.Section, v.Data = "tasks", d
	h.render(w, r, status, "task_form", v)
}

// formList reads a multi-value field kept in the form as "a,b,c".
func formList(v *View, name string) []string {
	s := v.FormValue(name)
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func (h *Web) newTask(w http.ResponseWriter, r *http.Request, v *View) {
	q := r.URL.Query()
	now := time.Now().In(v.zone())
	start := time.Date(now.Year(), now.Month(), now.Day(), now.Hour()+1, 0, 0, 0, v.zone())
	if d, err := time.ParseInLocation(time.DateOnly, q.Get("date"), v.zone()); err == nil {
		start = time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, v.zone())
	}
	end := start.Add(time.Hour)
	// From the calendar: the slot or the selection ("2027-03-29T10:00"), or
	// whole days with all_day=1 (the end is exclusive, as the calendar has it).
	allDay := q.Get("all_day") == "1"
	if allDay {
		if d, err := time.ParseInLocation(time.DateOnly, q.Get("start"), v.zone()); err == nil {
			start, end = d, d
			if e, err := time.ParseInLocation(time.DateOnly, q.Get("end"), v.zone()); err == nil && e.After(d) {
				end = e.AddDate(0, 0, -1) // the form shows the last day
			}
		}
	} else if s, err := time.ParseInLocation("2006-01-02T15:04", q.Get("start"), v.zone()); err == nil {
		start, end = s, s.Add(time.Hour)
		if e, err := time.ParseInLocation("2006-01-02T15:04", q.Get("end"), v.zone()); err == nil && e.After(s) {
			end = e
		}
	}
	vals := map[string]string{"start_date": start.Format(time.DateOnly), "start_time": start.Format("15:04"),
		"end_date": end.Format(time.DateOnly), "end_time": end.Format("15:04"), "status": "todo", "priority": "normal",
		"client_id": q.Get("client_id"), "repeat_interval": "1"}
	if allDay {
		vals["all_day"], vals["start_time"], vals["end_time"] = "1", "09:00", "10:00"
	}
	if v.P.User.EmployeeID != nil {
		vals["employee_ids"] = strconv.FormatInt(*v.P.User.EmployeeID, 10)
	}
	v.Form = &Form{Values: vals}
	h.taskForm(w, r, v, http.StatusOK, nil)
}

// keepForm turns a posted form into the form values shown again (lists
// joined by commas).
func keepForm(v *View, form url.Values) {
	if v.Form == nil {
		return
	}
	for _, name := range []string{"employee_ids", "group_ids", "repeat_weekdays"} {
		v.Form.Values[name] = strings.Join(form[name], ",")
	}
	if form.Get("all_day") != "" {
		v.Form.Values["all_day"] = "1"
	}
}

// taskInput reads the task form. The recurrence comes from its controls,
// built into an RRULE here; "keep" keeps the rule the task has.
func taskInput(v *View, form url.Values, old *crm.Task) (service.TaskInput, error) {
	in := service.TaskInput{Title: form.Get("title"), Description: form.Get("description"), Status: form.Get("status"),
		Priority: form.Get("priority"), AllDay: form.Get("all_day") != "", GroupIDs: formIDs(form, "group_ids")}
	in.EmployeeIDs = formIDs(form, "employee_ids")
	if in.EmployeeIDs == nil {
		in.EmployeeIDs = []int64{}
	}
	var val crm.Validation
	if in.AllDay {
		if d, err := time.ParseInLocation(time.DateOnly, form.Get("start_date"), v.zone()); err == nil {
			in.Start = &d
		}
		if d, err := time.ParseInLocation(time.DateOnly, form.Get("end_date"), v.zone()); err == nil {
			d = d.AddDate(0, 0, 1) // the midnight after the last day
			in.End = &d
		}
	} else {
		in.Start = localTime(v, form.Get("start_date"), form.Get("start_time"))
		in.End = localTime(v, form.Get("end_date"), form.Get("end_time"))
	}
	if form.Get("start_date") != "" && in.Start == nil {
		val.Add("start", "err.task_time_invalid")
	}
	if form.Get("end_date") != "" && in.End == nil {
		val.Add("end", "err.task_time_invalid")
	}
	if id, err := strconv.ParseInt(form.Get("client_id"), 10, 64); err == nil && id > 0 {
		in.ClientID = &id
	}
	if form.Get("remind_date") != "" {
		clock := form.Get("remind_time")
		if clock == "" {
			clock = "09:00"
		}
		if in.RemindAt = localTime(v, form.Get("remind_date"), clock); in.RemindAt == nil {
			val.Add("remind_at", "err.task_time_invalid")
		}
	}
	if form.Get("repeat_freq") == "keep" && old != nil {
		in.Recurrence = old.Recurrence
	} else {
		ri := service.RecurrenceInput{Freq: form.Get("repeat_freq"), Weekdays: form["repeat_weekdays"], Until: form.Get("repeat_until")}
		ri.Interval, _ = strconv.Atoi(form.Get("repeat_interval"))
		if s := form.Get("repeat_count"); s != "" {
			if n, err := strconv.Atoi(s); err == nil {
				ri.Count = n
			} else {
				val.Add("repeat_count", "err.task_recurrence_count", "max", service.MaxRecurrenceCount)
			}
		}
		rule, err := service.BuildRecurrence(ri, v.zone())
		if e, ok := crm.AsError(err); ok {
			for f, m := range e.Fields {
				val.Add(f, m.Key, m.Args...)
			}
		}
		in.Recurrence = rule
	}
	return in, val.Err()
}

func (h *Web) createTask(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	in, err := taskInput(v, r.PostForm, nil)
	var k crm.Task
	if err == nil {
		k, err = h.svc.CreateTask(r.Context(), in)
	}
	if err != nil {
		h.failForm(w, r, v, err, func(status int) { keepForm(v, r.PostForm); h.taskForm(w, r, v, status, nil) })
		return
	}
	h.flash(w, "tasks.created")
	http.Redirect(w, r, "/tasks/"+strconv.FormatInt(k.ID, 10), http.StatusSeeOther)
}

func (h *Web) updateTask(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	old, ok := load(h, w, r, v, h.svc.Task)
	if !ok {
		return
	}
	f := r.PostForm
	again := func(status int) { keepForm(v, f); h.taskForm(w, r, v, status, &old) }
	in, err := taskInput(v, f, &old)
	if err == nil {
		if occ := f.Get("occurrence"); occ != "" && f.Get("scope") == service.ScopeOne {
			// "This occurrence only": its times and status.
			at, perr := time.Parse(time.RFC3339, occ)
			if perr != nil {
				h.notFound(w, r, v)
				return
			}
			_, err = h.svc.ChangeOccurrence(r.Context(), old.ID, at, service.OccurrenceInput{Start: in.Start, End: in.End, Status: in.Status})
		} else {
			_, err = h.svc.UpdateTask(r.Context(), old.ID, in)
		}
	}
	if err != nil {
		h.failForm(w, r, v, err, again)
		return
	}
	h.flash(w, "tasks.saved")
	http.Redirect(w, r, "/tasks/"+strconv.FormatInt(old.ID, 10), http.StatusSeeOther)
}

// TaskData is the model of a task's page.
type TaskData struct {
	Task     crm.Task
	Now      time.Time
	Upcoming []crm.TaskOccurrence // a recurring task's next occurrences
	Rule     string               // the recurrence in words
	History  HistoryView
	Files    *AttachedFiles // nil when the user may not see files
}

func (h *Web) task(w http.ResponseWriter, r *http.Request, v *View) {
	k, ok := load(h, w, r, v, h.svc.Task)
	if !ok {
		return
	}
	q := r.URL.Query()
	if q.Get("edit") != "" && v.Can("tasks", "edit") {
		v.Form = &Form{Values: taskFormValues(v, k)}
		if occ := q.Get("occurrence"); occ != "" && k.Recurring() {
			if at, err := time.Parse(time.RFC3339, occ); err == nil {
				if os, err := h.svc.TaskOccurrences(r.Context(), service.TaskRange{From: at.Add(-400 * 24 * time.Hour),
					To: at.Add(400 * 24 * time.Hour)}); err == nil {
					for _, o := range os {
						if o.TaskID == k.ID && (o.Original.Equal(at) || o.Start.Equal(at)) {
							setFormTimes(v, o.Start, o.End, k.AllDay)
							v.Form.Values["status"] = string(o.Status)
							v.Form.Values["occurrence"] = o.Original.Format(time.RFC3339)
							v.Form.Values["scope"] = service.ScopeOne
						}
					}
				}
			}
		}
		h.taskForm(w, r, v, http.StatusOK, &k)
		return
	}
	d := TaskData{Task: k, Now: time.Now(), Rule: ruleText(v, k.Recurrence)}
	if k.Recurring() {
		from := time.Now().Add(-24 * time.Hour)
		if os, err := h.svc.TaskOccurrences(r.Context(), service.TaskRange{From: from, To: from.AddDate(0, 3, 0)}); err == nil {
			for _, o := range os {
				if o.TaskID == k.ID && len(d.Upcoming) < 6 {
					d.Upcoming = append(d.Upcoming, o)
				}
			}
		}
	}
	var err error
	d.History, err = h.history(r, v, "task", k.ID, "/tasks/"+strconv.FormatInt(k.ID, 10))
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	d.Files = h.taskFiles(r, v, k.ID)
	v.Title, v.Section, v.Data = k.Title, "tasks", d
	h.render(w, r, http.StatusOK, "task", v)
}

func setFormTimes(v *View, start, end time.Time, allDay bool) {
	s, e := start.In(v.zone()), end.In(v.zone())
	if allDay {
		e = e.AddDate(0, 0, -1)
	}
	v.Form.Values["start_date"], v.Form.Values["start_time"] = s.Format(time.DateOnly), s.Format("15:04")
	v.Form.Values["end_date"], v.Form.Values["end_time"] = e.Format(time.DateOnly), e.Format("15:04")
}

func taskFormValues(v *View, k crm.Task) map[string]string {
	ids := func(xs []int64) string {
		s := make([]string, len(xs))
		for i, x := range xs {
			s[i] = strconv.FormatInt(x, 10)
		}
		return strings.Join(s, ",")
	}
	vals := map[string]string{"title": k.Title, "description": k.Description, "status": string(k.Status),
		"priority": string(k.Priority), "employee_ids": ids(k.EmployeeIDs), "group_ids": ids(k.GroupIDs),
		"client_id": idValue(k.ClientID), "repeat_interval": "1"}
	if k.AllDay {
		vals["all_day"] = "1"
	}
	v.Form = &Form{Values: vals}
	setFormTimes(v, k.Start, k.End, k.AllDay)
	if k.RemindAt != nil {
		r := k.RemindAt.In(v.zone())
		vals["remind_date"], vals["remind_time"] = r.Format(time.DateOnly), r.Format("15:04")
	}
	if ri, ok := service.RecurrenceOf(k.Recurrence, v.zone()); ok {
		vals["repeat_freq"], vals["repeat_until"] = ri.Freq, ri.Until
		vals["repeat_weekdays"] = strings.Join(ri.Weekdays, ",")
		if ri.Interval > 1 {
			vals["repeat_interval"] = strconv.Itoa(ri.Interval)
		}
		if ri.Count > 0 {
			vals["repeat_count"] = strconv.Itoa(ri.Count)
		}
	} else {
		vals["repeat_freq"] = "keep"
	}
	return vals
}

// ruleText says a recurrence in words ("Co tydzień: pn, śr; 10 razy").
func ruleText(v *View, rule string) string {
	if rule == "" {
		return ""
	}
	ri, ok := service.RecurrenceOf(rule, v.zone())
	if !ok {
		return rule
	}
	s := v.T("tasks.repeat." + ri.Freq)
	if ri.Interval > 1 {
		s = v.T("tasks.repeat.every", "n", ri.Interval, "unit", v.T("tasks.repeat.unit."+ri.Freq))
	}
	var days []string
	for _, d := range ri.Weekdays {
		if i := slices.Index(service.Weekdays, d); i >= 0 {
			days = append(days, v.L.WeekdayShort(time.Weekday((i+1)%7)))
		}
	}
	if len(days) > 0 {
		s += ": " + strings.Join(days, ", ")
	}
	switch {
	case ri.Count > 0:
		s += "; " + v.N("tasks.repeat.times", int64(ri.Count))
	case ri.Until != "":
		if d, err := time.ParseInLocation(time.DateOnly, ri.Until, v.zone()); err == nil {
			s += "; " + v.T("tasks.repeat.until_date", "date", v.Date(d))
		}
	}
	return s
}

// occurrenceParam reads the posted occurrence (RFC 3339); nil when none.
func occurrenceParam(form url.Values) (*time.Time, bool) {
	s := form.Get("occurrence")
	if s == "" {
		return nil, true
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil, false
	}
	return &t, true
}

// completeTask marks a task (or one occurrence) done in one click and goes
// back to the page it came from.
func (h *Web) completeTask(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	id, ok := pathID(r)
	at, okAt := occurrenceParam(r.PostForm)
	if !ok || !okAt {
		h.notFound(w, r, v)
		return
	}
	if _, err := h.svc.CompleteTask(r.Context(), id, at); err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	h.flash(w, "tasks.completed")
	to := "/tasks/" + strconv.FormatInt(id, 10)
	if back := safeNext(r.PostForm.Get("next")); back != "/" {
		to = back
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// deleteTask deletes a task, a whole series included (full access).
func (h *Web) deleteTask(w http.ResponseWriter, r *http.Request, v *View) {
	h.clientAction(w, r, v, func(id int64) error { return h.svc.DeleteTask(r.Context(), id) }, "tasks.deleted", "/tasks")
}

// cancelOccurrence removes one occurrence of a series (edit access).
func (h *Web) cancelOccurrence(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	id, ok := pathID(r)
	at, okAt := occurrenceParam(r.PostForm)
	if !ok || !okAt {
		h.notFound(w, r, v)
		return
	}
	if _, err := h.svc.Task(r.Context(), id); err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	if at == nil {
		var val crm.Validation
		val.Add("occurrence", "err.task_occurrence_unknown")
		h.fail(w, r, v, val.Err(), "")
		return
	}
	if err := h.svc.CancelOccurrence(r.Context(), id, *at); err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	h.flash(w, "tasks.occurrence_cancelled")
	http.Redirect(w, r, "/tasks/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// Span formats when a task or an occurrence runs: whole days for all-day
// ones ("30.01.2027 – 02.02.2027"), otherwise date and time, the end's date
// only when it is another day.
func (v *View) Span(start, end time.Time, allDay bool) string {
	s, e := start.In(v.zone()), end.In(v.zone())
	if allDay {
		last := e.AddDate(0, 0, -1)
		if daysEqual(s, last) || last.Before(s) {
			return v.L.Date(s)
		}
		return v.L.Date(s) + " – " + v.L.Date(last)
	}
	if daysEqual(s, e) {
		if s.Equal(e) {
			return v.L.DateTime(s)
		}
		return v.L.DateTime(s) + "–" + v.L.Time(e)
	}
	return v.L.DateTime(s) + " – " + v.L.DateTime(e)
}

func daysEqual(a, b time.Time) bool {
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// RFC formats t as RFC 3339 (hidden form values naming an occurrence).
func (v *View) RFC(t time.Time) string { return t.In(v.zone()).Format(time.RFC3339) }
