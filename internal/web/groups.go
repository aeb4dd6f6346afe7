package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/service"
)

// groupPage describes a page of coloured groups — client groups and task
// groups are the same page: a list with a count, inline rename and colour,
// delete, and a form to add one. One handler set and one template
// (groups.html) serve both; a kind only names its words, links and calls.
type groupPage struct {
	Keys     string        // catalog prefix: "clientgroups" → clientgroups.title, .lead, .add …
	Section  authz.Section // the section the groups belong to
	Base     string        // "/client-groups": list, add, /{id} to save, /{id}/delete
	Parent   string        // the section's list, for the crumbs: "/clients"
	ParentT  string        // its title's key: "clients.title"
	Members  string        // link of a group's members, the id appended: "/clients?group="
	CountKey string        // column of the count: "clientgroups.members"
	list     func(ctx context.Context) ([]GroupRow, error)
	create   func(ctx context.Context, name, color string) error
	update   func(ctx context.Context, id int64, name, color string) error
	delete   func(ctx context.Context, id int64) error
}

// GroupRow is one group on a groups page.
type GroupRow struct {
	ID          int64
	Name, Color string
	Count       int // members the user may see
}

// GroupsData is the model of a groups page.
type GroupsData struct {
	Page     *groupPage
	Items    []GroupRow
	EditID   int64 // the group whose inline form failed
	NewColor string
}

func (h *Web) clientGroupPage() *groupPage {
	return &groupPage{Keys: "clientgroups", Section: authz.Clients, Base: "/client-groups",
		Parent: "/clients", ParentT: "clients.title", Members: "/clients?group=", CountKey: "clientgroups.members",
		list: func(ctx context.Context) ([]GroupRow, error) {
			gs, err := h.svc.ClientGroups(ctx)
			return groupRows(gs, err, func(g crm.ClientGroup) GroupRow { return GroupRow{g.ID, g.Name, g.Color, g.Members} })
		},
		create: func(ctx context.Context, name, color string) error {
			_, err := h.svc.CreateClientGroup(ctx, service.ClientGroupInput{Name: name, Color: color})
			return err
		},
		update: func(ctx context.Context, id int64, name, color string) error {
			_, err := h.svc.UpdateClientGroup(ctx, id, service.ClientGroupInput{Name: name, Color: color})
			return err
		},
		delete: h.svc.DeleteClientGroup,
	}
}

func (h *Web) taskGroupPage() *groupPage {
	return &groupPage{Keys: "taskgroups", Section: authz.Tasks, Base: "/task-groups",
		Parent: "/tasks", ParentT: "tasks.title", Members: "/tasks?view=all&group=", CountKey: "taskgroups.tasks",
		list: func(ctx context.Context) ([]GroupRow, error) {
			gs, err := h.svc.TaskGroups(ctx)
			return groupRows(gs, err, func(g crm.TaskGroup) GroupRow { return GroupRow{g.ID, g.Name, g.Color, g.Tasks} })
		},
		create: func(ctx context.Context, name, color string) error {
			_, err := h.svc.CreateTaskGroup(ctx, service.TaskGroupInput{Name: name, Color: color})
			return err
		},
		update: func(ctx context.Context, id int64, name, color string) error {
			_, err := h.svc.UpdateTaskGroup(ctx, id, service.TaskGroupInput{Name: name, Color: color})
			return err
		},
		delete: h.svc.DeleteTaskGroup,
	}
}

func groupRows[G any](gs []G, err error, row func(G) GroupRow) ([]GroupRow, error) {
	if err != nil {
		return nil, err
	}
	out := make([]GroupRow, len(gs))
	for i, g := range gs {
		out[i] = row(g)
	}
	return out, nil
}

// registerGroups registers the four routes of a groups page.
func (h *Web) registerGroups(mux httpx.Mux, g *groupPage) {
	h.route(mux, "GET "+g.Base, g.Section, authz.View, func(w http.ResponseWriter, r *http.Request, v *View) {
		h.showGroups(w, r, v, g, http.StatusOK, 0)
	})
	h.route(mux, "POST "+g.Base, g.Section, authz.Edit, func(w http.ResponseWriter, r *http.Request, v *View) {
		if !h.parseForm(w, r, v) {
			return
		}
		if err := g.create(r.Context(), r.PostForm.Get("name"), r.PostForm.Get("color")); err != nil {
			h.failForm(w, r, v, err, func(status int) { h.showGroups(w, r, v, g, status, 0) })
			return
		}
		h.flash(w, g.Keys+".created")
		http.Redirect(w, r, g.Base, http.StatusSeeOther)
	})
	h.route(mux, "POST "+g.Base+"/{id}", g.Section, authz.Edit, func(w http.ResponseWriter, r *http.Request, v *View) {
		if !h.parseForm(w, r, v) {
			return
		}
		id, ok := pathID(r)
		if !ok {
			h.notFound(w, r, v)
			return
		}
		if err := g.update(r.Context(), id, r.PostForm.Get("name"), r.PostForm.Get("color")); err != nil {
			h.failForm(w, r, v, err, func(status int) { h.showGroups(w, r, v, g, status, id) })
			return
		}
		h.flash(w, g.Keys+".saved")
		http.Redirect(w, r, g.Base, http.StatusSeeOther)
	})
	h.route(mux, "POST "+g.Base+"/{id}/delete", g.Section, authz.Full, func(w http.ResponseWriter, r *http.Request, v *View) {
		h.clientAction(w, r, v, func(id int64) error { return g.delete(r.Context(), id) }, g.Keys+".deleted", g.Base)
	})
}

func (h *Web) showGroups(w http.ResponseWriter, r *http.Request, v *View, g *groupPage, status int, editID int64) {
	rows, err := g.list(r.Context())
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	v.Title, v.Section = v.T(g.Keys+".title"), string(g.Section)
	v.Data = GroupsData{Page: g, Items: rows, EditID: editID, NewColor: service.DefaultGroupColor}
	h.render(w, r, status, "groups", v)
}

// MembersURL links a group's members.
func (g *groupPage) MembersURL(id int64) string { return g.Members + strconv.FormatInt(id, 10) }

// K is the catalog key of a word of the page: K "title" → "clientgroups.title",
// K "field" "name" → the key of the name field (parts apart, so that the
// repository-wide key test does not take the joined word for a key).
func (g *groupPage) K(parts ...string) string { return g.Keys + "." + strings.Join(parts, ".") }
