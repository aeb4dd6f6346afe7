package api

import (
	"net/http"
	"strconv"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/service"
)

func (a *API) registerClientGroups(mux httpx.Mux) {
	a.handle(mux, "GET", "/client-groups", authz.Clients, authz.View, a.listClientGroups)
	a.handle(mux, "POST", "/client-groups", authz.Clients, authz.Edit, a.createClientGroup)
	a.handle(mux, "GET", "/client-groups/{id}", authz.Clients, authz.View, getByID(a.svc.ClientGroup, groupOut))
	a.handle(mux, "PATCH", "/client-groups/{id}", authz.Clients, authz.Edit, a.patchClientGroup)
	a.handle(mux, "DELETE", "/client-groups/{id}", authz.Clients, authz.Full, deleteByID(a.svc.DeleteClientGroup))
	a.handle(mux, "POST", "/client-groups/{id}/members", authz.Clients, authz.Edit, a.groupMembers(true))
	a.handle(mux, "DELETE", "/client-groups/{id}/members", authz.Clients, authz.Edit, a.groupMembers(false))
}

// ClientGroup is a client group as the API shows it. Members counts the
// group's clients (out of the trash) that the caller may see.
type ClientGroup struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Color     string `json:"color"`
	Members   int    `json:"members"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

func groupOut(r *http.Request, g crm.ClientGroup) ClientGroup {
	return ClientGroup{ID: g.ID, Name: g.Name, Color: g.Color, Members: g.Members, CreatedAt: timestamp(r, g.CreatedAt),
		UpdatedAt: timestamp(r, g.UpdatedAt)}
}

type groupRequest struct {
	Name  *string `json:"name"`
	Color *string `json:"color"`
}

func (q groupRequest) apply(in *service.ClientGroupInput) {
	if q.Name != nil {
		in.Name = *q.Name
	}
	if q.Color != nil {
		in.Color = *q.Color
	}
}

func (a *API) listClientGroups(w http.ResponseWriter, r *http.Request) (int, any, error) {
	gs, err := a.svc.ClientGroups(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := make([]ClientGroup, len(gs))
	for i, g := range gs {
		out[i] = groupOut(r, g)
	}
	return http.StatusOK, newList(out, 0), nil
}

func (a *API) createClientGroup(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var body groupRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	var in service.ClientGroupInput
	body.apply(&in)
	g, err := a.svc.CreateClientGroup(r.Context(), in)
	if err != nil {
		return 0, nil, err
	}
	w.Header().Set("Location", Prefix+"/client-groups/"+strconv.FormatInt(g.ID, 10))
	return http.StatusCreated, groupOut(r, g), nil
}

func (a *API) patchClientGroup(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	cur, err := a.svc.ClientGroup(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	var body groupRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	in := service.ClientGroupInputOf(cur)
	body.apply(&in)
	g, err := a.svc.UpdateClientGroup(r.Context(), id, in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, groupOut(r, g), nil
}

// membersRequest names the clients to add to a group or take out of it.
type membersRequest struct {
	ClientIDs []int64 `json:"client_ids"`
}

// groupMembers serves POST (add) and DELETE (remove) of
// /client-groups/{id}/members and answers with the group and how many
// clients changed.
func (a *API) groupMembers(add bool) handler {
	return func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathID(r)
		if err != nil {
			return 0, nil, err
		}
		if _, err := a.svc.ClientGroup(r.Context(), id); err != nil {
			return 0, nil, err
		}
		var body membersRequest
		if err := a.decode(r, &body); err != nil {
			return 0, nil, err
		}
		var n int
		if add {
			n, err = a.svc.AddClientsToGroup(r.Context(), id, body.ClientIDs)
		} else {
			n, err = a.svc.RemoveClientsFromGroup(r.Context(), id, body.ClientIDs)
		}
		if err != nil {
			return 0, nil, err
		}
		g, err := a.svc.ClientGroup(r.Context(), id)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, struct {
			Group   ClientGroup `json:"group"`
			Changed int         `json:"changed"`
		}{groupOut(r, g), n}, nil
	}
}
