package web

import (
	"net/http"
	"net/url"
	"strconv"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/service"
)

func (h *Web) registerClientGroups(mux httpx.Mux) {
	h.route(mux, "GET /client-groups", authz.Clients, authz.View, h.clientGroups)
	h.route(mux, "POST /client-groups", authz.Clients, authz.Edit, h.createClientGroup)
	h.route(mux, "POST /client-groups/{id}", authz.Clients, authz.Edit, h.updateClientGroup)
	h.route(mux, "POST /client-groups/{id}/delete", authz.Clients, authz.Full, h.deleteClientGroup)
	h.route(mux, "POST /clients/bulk-groups", authz.Clients, authz.Edit, h.bulkClientGroups)
}

// ClientGroupsData is the model of the client groups page.
type ClientGroupsData struct {
	Items    []crm.ClientGroup
	EditID   int64 // the group whose inline form failed
	NewColor string
}

func (h *Web) showClientGroups(w http.ResponseWriter, r *http.Request, v *View, status int, editID int64) {
	gs, err := h.svc.ClientGroups(r.Context())
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	v.Title, v.Section = v.T("clientgroups.title"), "clients"
	v.Data = ClientGroupsData{Items: gs, EditID: editID, NewColor: service.DefaultGroupColor}
	h.render(w, r, status, "client_groups", v)
}

func (h *Web) clientGroups(w http.ResponseWriter, r *http.Request, v *View) {
	h.showClientGroups(w, r, v, http.StatusOK, 0)
}

func groupInput(form url.Values) service.ClientGroupInput {
	return service.ClientGroupInput{Name: form.Get("name"), Color: form.Get("color")}
}

func (h *Web) createClientGroup(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	if _, err := h.svc.CreateClientGroup(r.Context(), groupInput(r.PostForm)); err != nil {
		h.failForm(w, r, v, err, func(status int) { h.showClientGroups(w, r, v, status, 0) })
		return
	}
	h.flash(w, "clientgroups.created")
	http.Redirect(w, r, "/client-groups", http.StatusSeeOther)
}

func (h *Web) updateClientGroup(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r, v)
		return
	}
	if _, err := h.svc.UpdateClientGroup(r.Context(), id, groupInput(r.PostForm)); err != nil {
		h.failForm(w, r, v, err, func(status int) { h.showClientGroups(w, r, v, status, id) })
		return
	}
	h.flash(w, "clientgroups.saved")
	http.Redirect(w, r, "/client-groups", http.StatusSeeOther)
}

func (h *Web) deleteClientGroup(w http.ResponseWriter, r *http.Request, v *View) {
	h.clientAction(w, r, v, func(id int64) error { return h.svc.DeleteClientGroup(r.Context(), id) },
		"clientgroups.deleted", "/client-groups")
}

// formIDs reads the positive integers posted under name.
func formIDs(form url.Values, name string) []int64 {
	var ids []int64
	for _, s := range form[name] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

// bulkClientGroups adds the clients ticked on the list to a group, or
// takes them out of it, and goes back to the list.
func (h *Web) bulkClientGroups(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	f := r.PostForm
	gid, err := strconv.ParseInt(f.Get("group_id"), 10, 64)
	if err != nil || gid < 1 {
		h.flash(w, "clientgroups.choose_group")
		http.Redirect(w, r, "/clients", http.StatusSeeOther)
		return
	}
	ids := formIDs(f, "client_id")
	if len(ids) == 0 {
		h.flash(w, "clientgroups.choose_clients")
		http.Redirect(w, r, "/clients", http.StatusSeeOther)
		return
	}
	flash := "clientgroups.bulk_added"
	if f.Get("action") == "remove" {
		flash = "clientgroups.bulk_removed"
		_, err = h.svc.RemoveClientsFromGroup(r.Context(), gid, ids)
	} else {
		_, err = h.svc.AddClientsToGroup(r.Context(), gid, ids)
	}
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	h.flash(w, flash)
	next := "/clients"
	if back := safeNext(f.Get("next")); back != "" && back != "/" {
		next = back
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}
