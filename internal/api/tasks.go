package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/i18n"
	"klientela/internal/service"
)

func (a *API) registerTasks(mux httpx.Mux) {
	a.handle(mux, "GET", "/tasks", authz.Tasks, authz.View, a.listTasks)
	a.handle(mux, "POST", "/tasks", authz.Tasks, authz.Edit, a.createTask)
	a.handle(mux, "GET", "/tasks/{id}", authz.Tasks, authz.View, getByID(a.svc.Task, taskOut))
	a.handle(mux, "PATCH", "/tasks/{id}", authz.Tasks, authz.Edit, a.patchTask)
	a.handle(mux, "DELETE", "/tasks/{id}", authz.Tasks, authz.Full, deleteByID(a.svc.DeleteTask))
	a.handle(mux, "POST", "/tasks/{id}/complete", authz.Tasks, authz.Edit, a.completeTask)
	a.handle(mux, "GET", "/task-groups", authz.Tasks, authz.View, a.listTaskGroups)
	a.handle(mux, "POST", "/task-groups", authz.Tasks, authz.Edit, a.createTaskGroup)
	a.handle(mux, "GET", "/task-groups/{id}", authz.Tasks, authz.View, getByID(a.svc.TaskGroup, taskGroupOut))
	a.handle(mux, "PATCH", "/task-groups/{id}", authz.Tasks, authz.Edit, a.patchTaskGroup)
	a.handle(mux, "DELETE", "/task-groups/{id}", authz.Tasks, authz.Full, deleteByID(a.svc.DeleteTaskGroup))
}

// Task is a task as the API shows it. Times are RFC 3339 with the offset of
// the account's time zone; an all-day task's end is the midnight after its
// last day (as DTEND in iCalendar).
type Task struct {
	ID          int64       `json:"id"`
	Title       string      `json:"title"`
	Description string      `json:"description"`
	Start       string      `json:"start"`
	End         string      `json:"end"`
	AllDay      bool        `json:"all_day"`
	Status      string      `json:"status"`
	Priority    string      `json:"priority"`
	EmployeeIDs []int64     `json:"employee_ids"`
	GroupIDs    []int64     `json:"group_ids"`
	ClientID    *int64      `json:"client_id"`
	ClientName  string      `json:"client_name"`
	RemindAt    *string     `json:"remind_at"`
	Recurrence  string      `json:"recurrence"`
	Next        *Occurrence `json:"next_occurrence"`
	DoneAt      *string     `json:"done_at"`
	CreatedAt   string      `json:"created_at"`
	UpdatedAt   string      `json:"updated_at"`
}

// Occurrence is one occurrence of a task.
type Occurrence struct {
	Original string `json:"original_start"`
	Start    string `json:"start"`
	End      string `json:"end"`
	Status   string `json:"status"`
}

func ids(v []int64) []int64 {
	if v == nil {
		return []int64{}
	}
	return v
}

func optTime(r *http.Request, t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := timestamp(r, *t)
	return &s
}

func taskOut(r *http.Request, k crm.Task) Task {
	out := Task{ID: k.ID, Title: k.Title, Description: k.Description, Start: timestamp(r, k.Start), End: timestamp(r, k.End),
		AllDay: k.AllDay, Status: string(k.Status), Priority: string(k.Priority), EmployeeIDs: ids(k.EmployeeIDs),
		GroupIDs: ids(k.GroupIDs), ClientID: k.ClientID, ClientName: k.ClientName, RemindAt: optTime(r, k.RemindAt),
		Recurrence: k.Recurrence, DoneAt: optTime(r, k.DoneAt), CreatedAt: timestamp(r, k.CreatedAt),
		UpdatedAt: timestamp(r, k.UpdatedAt)}
	if k.Next != nil {
		out.Next = &Occurrence{Original: timestamp(r, k.Next.Original), Start: timestamp(r, k.Next.Start),
			End: timestamp(r, k.Next.End), Status: string(k.Next.Status)}
	}
	return out
}

// taskRequest is a POST or PATCH body: absent fields keep their value
// (PATCH) or their default (POST); client_id and remind_at may be null.
type taskRequest struct {
	Title       *string         `json:"title"`
	Description *string         `json:"description"`
	Start       *string         `json:"start"`
	End         *string         `json:"end"`
	AllDay      *bool           `json:"all_day"`
	Status      *string         `json:"status"`
	Priority    *string         `json:"priority"`
	EmployeeIDs *[]int64        `json:"employee_ids"`
	GroupIDs    *[]int64        `json:"group_ids"`
	ClientID    json.RawMessage `json:"client_id"`
	RemindAt    json.RawMessage `json:"remind_at"`
	Recurrence  *string         `json:"recurrence"`
}

func zoneOf(r *http.Request) *time.Location {
	if p := crm.PrincipalFrom(r.Context()); p != nil {
		if loc, err := i18n.LoadZone(p.Account.TimeZone); err == nil {
			return loc
		}
	}
	return time.UTC
}

// parseTaskTime reads RFC 3339, or a date (YYYY-MM-DD) for all-day tasks:
// a start date is its local midnight, an end date the midnight after it.
func parseTaskTime(r *http.Request, s, field string, end bool) (*time.Time, error) {
	if d, err := time.ParseInLocation(time.DateOnly, s, zoneOf(r)); err == nil {
		if end {
			d = d.AddDate(0, 0, 1)
		}
		return &d, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil, invalidField(field, "err.task_time_invalid")
	}
	return &t, nil
}

func (q taskRequest) apply(r *http.Request, in *service.TaskInput) error {
	for dst, src := range map[*string]*string{&in.Title: q.Title, &in.Description: q.Description, &in.Status: q.Status,
		&in.Priority: q.Priority, &in.Recurrence: q.Recurrence} {
		if src != nil {
			*dst = *src
		}
	}
	if q.AllDay != nil {
		in.AllDay = *q.AllDay
	}
	if q.EmployeeIDs != nil {
		in.EmployeeIDs = append([]int64{}, *q.EmployeeIDs...)
	}
	if q.GroupIDs != nil {
		in.GroupIDs = append([]int64{}, *q.GroupIDs...)
	}
	var err error
	if q.Start != nil {
		if in.Start, err = parseTaskTime(r, *q.Start, "start", false); err != nil {
			return err
		}
	}
	if q.End != nil {
		if in.End, err = parseTaskTime(r, *q.End, "end", true); err != nil {
			return err
		}
	}
	if len(q.RemindAt) > 0 {
		var s *string
		if json.Unmarshal(q.RemindAt, &s) != nil {
			return invalidField("remind_at", "err.task_time_invalid")
		}
		in.RemindAt = nil
		if s != nil && *s != "" {
			if in.RemindAt, err = parseAt(*s, "remind_at"); err != nil {
				return invalidField("remind_at", "err.task_time_invalid")
			}
		}
	}
	return optionalID(q.ClientID, &in.ClientID, "client_id", "err.contact_client_unknown")
}

func (a *API) listTasks(w http.ResponseWriter, r *http.Request) (int, any, error) {
	pg, err := page(r)
	if err != nil {
		return 0, nil, err
	}
	q := r.URL.Query()
	query := service.TaskQuery{Q: q.Get("q"), Status: q.Get("status"), Sort: q.Get("sort"), Mine: q.Get("mine") == "true",
		Overdue: q.Get("overdue") == "true", Offset: int(pg.Cursor), Limit: pg.Limit}
	for name, dst := range map[string]*int64{"employee_id": &query.EmployeeID, "client_id": &query.ClientID, "group_id": &query.GroupID} {
		if s := q.Get(name); s != "" {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return 0, nil, invalidField(name, "err.invalid")
			}
			*dst = id
		}
	}
	for name, dst := range map[string]**time.Time{"from": &query.From, "to": &query.To} {
		if s := q.Get(name); s != "" {
			t, err := parseTaskTime(r, s, name, false)
			if err != nil {
				return 0, nil, err
			}
			*dst = t
		}
	}
	items, total, err := a.svc.Tasks(r.Context(), query)
	if err != nil {
		return 0, nil, err
	}
	out := make([]Task, len(items))
	for i, k := range items {
		out[i] = taskOut(r, k)
	}
	return http.StatusOK, cappedList(out, query.Offset, total, service.TaskCountBound(query)), nil
}

func (a *API) createTask(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var body taskRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	var in service.TaskInput
	if err := body.apply(r, &in); err != nil {
		return 0, nil, err
	}
	k, err := a.svc.CreateTask(r.Context(), in)
	if err != nil {
		return 0, nil, err
	}
	w.Header().Set("Location", Prefix+"/tasks/"+strconv.FormatInt(k.ID, 10))
	return http.StatusCreated, taskOut(r, k), nil
}

func (a *API) patchTask(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	cur, err := a.svc.Task(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	var body taskRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	in := service.TaskInputOf(cur)
	if err := body.apply(r, &in); err != nil {
		return 0, nil, err
	}
	k, err := a.svc.UpdateTask(r.Context(), id, in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, taskOut(r, k), nil
}

type completeTaskRequest struct {
	Occurrence *string `json:"occurrence"`
}

// completeTask marks a task as done; for a recurring task, the occurrence
// that starts at "occurrence" (RFC 3339) only.
func (a *API) completeTask(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	if _, err := a.svc.Task(r.Context(), id); err != nil {
		return 0, nil, err
	}
	var body completeTaskRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	var at *time.Time
	if body.Occurrence != nil && *body.Occurrence != "" {
		if at, err = parseAt(*body.Occurrence, "occurrence"); err != nil {
			return 0, nil, invalidField("occurrence", "err.task_time_invalid")
		}
	}
	k, err := a.svc.CompleteTask(r.Context(), id, at)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, taskOut(r, k), nil
}

// TaskGroup is a task group as the API shows it. Tasks counts the group's
// tasks that the caller may see.
type TaskGroup struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Color     string `json:"color"`
	Tasks     int    `json:"tasks"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

func taskGroupOut(r *http.Request, g crm.TaskGroup) TaskGroup {
	return TaskGroup{ID: g.ID, Name: g.Name, Color: g.Color, Tasks: g.Tasks, CreatedAt: timestamp(r, g.CreatedAt),
		UpdatedAt: timestamp(r, g.UpdatedAt)}
}

func (a *API) listTaskGroups(w http.ResponseWriter, r *http.Request) (int, any, error) {
	gs, err := a.svc.TaskGroups(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := make([]TaskGroup, len(gs))
	for i, g := range gs {
		out[i] = taskGroupOut(r, g)
	}
	return http.StatusOK, newList(out, 0), nil
}

func (a *API) createTaskGroup(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var body groupRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	var in service.ClientGroupInput
	body.apply(&in)
	g, err := a.svc.CreateTaskGroup(r.Context(), service.TaskGroupInput(in))
	if err != nil {
		return 0, nil, err
	}
	w.Header().Set("Location", Prefix+"/task-groups/"+strconv.FormatInt(g.ID, 10))
	return http.StatusCreated, taskGroupOut(r, g), nil
}

func (a *API) patchTaskGroup(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	cur, err := a.svc.TaskGroup(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	var body groupRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	in := service.ClientGroupInput(service.TaskGroupInputOf(cur))
	body.apply(&in)
	g, err := a.svc.UpdateTaskGroup(r.Context(), id, service.TaskGroupInput(in))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, taskGroupOut(r, g), nil
}
