package web

import (
	"net/http"
	"strconv"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/service"
)

// Every logged-in user has notifications of their own (the dashboard's
// access); another user's are not found.
func (h *Web) registerNotifications(mux httpx.Mux) {
	h.route(mux, "GET /notifications", authz.Dashboard, authz.View, h.notifications)
	h.route(mux, "POST /notifications/read-all", authz.Dashboard, authz.View, h.readAllNotifications)
	h.route(mux, "POST /notifications/{id}/read", authz.Dashboard, authz.View, h.readNotification)
	h.route(mux, "POST /notifications/{id}/open", authz.Dashboard, authz.View, h.openNotification)
}

// NotificationsPage is the model of the notifications page.
type NotificationsPage struct {
	Items      []NotificationRow
	UnreadOnly bool
	Unread     int
	More       string // link to older notifications
}

// NotificationRow is one notification as the page shows it.
type NotificationRow struct {
	crm.Notification
	Link string
}

// bell loads the top bar's unread count: one index-only count per page.
func (h *Web) bell(r *http.Request, v *View) {
	if v.P == nil || v.Bell != nil {
		return
	}
	n, err := h.svc.UnreadCount(r.Context())
	if err != nil {
		h.log.Warn("bell", "err", err) // a page without its count is better than no page
		n = 0
	}
	v.Bell = &Bell{Unread: n}
}

func (h *Web) notifications(w http.ResponseWriter, r *http.Request, v *View) {
	q := service.NotificationQuery{UnreadOnly: r.URL.Query().Get("unread") == "1"}
	if c, err := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64); err == nil && c > 0 {
		q.Cursor = c
	}
	res, err := h.svc.Notifications(r.Context(), q)
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	d := NotificationsPage{UnreadOnly: q.UnreadOnly, Unread: res.Unread}
	for _, n := range res.Items {
		d.Items = append(d.Items, NotificationRow{Notification: n, Link: service.NotificationLink(n)})
	}
	if res.Next > 0 {
		d.More = "/notifications?before=" + strconv.FormatInt(res.Next, 10)
		if q.UnreadOnly {
			d.More += "&unread=1"
		}
	}
	v.Title, v.Data = v.T("notifications.title"), d
	v.Bell = &Bell{Unread: res.Unread}
	h.render(w, r, http.StatusOK, "notifications", v)
}

// openNotification marks a notification read and goes to its task or
// contact: one click from the list.
func (h *Web) openNotification(w http.ResponseWriter, r *http.Request, v *View) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r, v)
		return
	}
	n, err := h.svc.ReadNotification(r.Context(), id)
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	http.Redirect(w, r, service.NotificationLink(n), http.StatusSeeOther)
}

func (h *Web) readNotification(w http.ResponseWriter, r *http.Request, v *View) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r, v)
		return
	}
	if _, err := h.svc.ReadNotification(r.Context(), id); err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	http.Redirect(w, r, here(r), http.StatusSeeOther)
}

func (h *Web) readAllNotifications(w http.ResponseWriter, r *http.Request, v *View) {
	if _, err := h.svc.ReadAllNotifications(r.Context()); err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	h.flash(w, "notifications.all_read")
	http.Redirect(w, r, "/notifications", http.StatusSeeOther)
}
