package web

import (
	"net/http"
	"net/url"
	"strconv"

	"klientela/internal/authz"
	"klientela/internal/httpx"
)

func (h *Web) registerClientGroups(mux httpx.Mux) {
	h.registerGroups(mux, h.clientGroupPage())
	h.route(mux, "POST /clients/bulk-groups", authz.Clients, authz.Edit, h.bulkClientGroups)
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
