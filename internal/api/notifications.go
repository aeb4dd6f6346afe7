package api

import (
	"net/http"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/service"
)

// Notifications are the caller's own: every user has them (the dashboard's
// access), and another user's are not found.
func (a *API) registerNotifications(mux httpx.Mux) {
	a.handle(mux, "GET", "/notifications", authz.Dashboard, authz.View, a.listNotifications)
	a.handle(mux, "POST", "/notifications/read-all", authz.Dashboard, authz.View, a.readAllNotifications)
	a.handle(mux, "GET", "/notifications/{id}", authz.Dashboard, authz.View, getByID(a.svc.Notification, notificationOut))
	a.handle(mux, "POST", "/notifications/{id}/read", authz.Dashboard, authz.View, a.readNotification)
}

// Notification is one of the caller's notifications as the API shows it.
type Notification struct {
	ID         int64   `json:"id"`
	Kind       string  `json:"kind"`
	TaskID     *int64  `json:"task_id"`
	ContactID  *int64  `json:"contact_id"`
	Occurrence string  `json:"occurrence"`
	Title      string  `json:"title"`
	Link       string  `json:"link"`
	At         string  `json:"at"`
	ReadAt     *string `json:"read_at"`
}

func notificationOut(r *http.Request, n crm.Notification) Notification {
	out := Notification{ID: n.ID, Kind: n.Kind, TaskID: n.TaskID, ContactID: n.ContactID, Occurrence: timestamp(r, n.Occurrence),
		Title: n.Title, Link: service.NotificationLink(n), At: timestamp(r, n.At)}
	if n.ReadAt != nil {
		s := timestamp(r, *n.ReadAt)
		out.ReadAt = &s
	}
	return out
}

// notificationList is a page of notifications with the unread count (up
// to service.BellMax+1).
type notificationList struct {
	List[Notification]
	UnreadCount int `json:"unread_count"`
}

func (a *API) listNotifications(w http.ResponseWriter, r *http.Request) (int, any, error) {
	pg, err := page(r)
	if err != nil {
		return 0, nil, err
	}
	q := service.NotificationQuery{Page: pg}
	switch r.URL.Query().Get("unread") {
	case "", "false":
	case "true":
		q.UnreadOnly = true
	default:
		return 0, nil, invalidField("unread", "err.invalid")
	}
	res, err := a.svc.Notifications(r.Context(), q)
	if err != nil {
		return 0, nil, err
	}
	items := make([]Notification, len(res.Items))
	for i, n := range res.Items {
		items[i] = notificationOut(r, n)
	}
	return http.StatusOK, notificationList{List: newList(items, res.Next), UnreadCount: res.Unread}, nil
}

func (a *API) readNotification(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	n, err := a.svc.ReadNotification(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, notificationOut(r, n), nil
}

func (a *API) readAllNotifications(w http.ResponseWriter, r *http.Request) (int, any, error) {
	n, err := a.svc.ReadAllNotifications(r.Context())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]int64{"marked": n}, nil
}
