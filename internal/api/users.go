package api

import (
	"encoding/json"
	"klientela/internal/httpx"
	"net/http"
	"strconv"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/service"
)

func (a *API) registerUsers(mux httpx.Mux) {
	a.handle(mux, "GET", "/users", authz.Users, authz.View, a.listUsers)
	a.handle(mux, "POST", "/users", authz.Users, authz.Edit, a.createUser)
	a.handle(mux, "GET", "/users/{id}", authz.Users, authz.View, getByID(a.svc.User, userOut))
	a.handle(mux, "PATCH", "/users/{id}", authz.Users, authz.Edit, a.patchUser)
	a.handle(mux, "DELETE", "/users/{id}", authz.Users, authz.Full, deleteByID(a.svc.DeleteUser))
}

// UserOut is a user as the owner sees it through the API.
type UserOut struct {
	ID                 int64             `json:"id"`
	Email              string            `json:"email"`
	Name               string            `json:"name"`
	Role               crm.Role          `json:"role"`
	Active             bool              `json:"active"`
	MustChangePassword bool              `json:"must_change_password"`
	EmployeeID         *int64            `json:"employee_id"`
	Permissions        map[string]string `json:"permissions"`
	OwnOnly            []string          `json:"own_only"`
	CreatedAt          string            `json:"created_at"`
	UpdatedAt          string            `json:"updated_at"`
}

func userOut(r *http.Request, u crm.User) UserOut {
	out := UserOut{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Active: u.Active,
		MustChangePassword: u.MustChangePassword, EmployeeID: u.EmployeeID,
		Permissions: u.Scope.Permissions, OwnOnly: u.Scope.OwnOnly,
		CreatedAt: timestamp(r, u.CreatedAt), UpdatedAt: timestamp(r, u.UpdatedAt)}
	if out.Permissions == nil {
		out.Permissions = map[string]string{}
	}
	if out.OwnOnly == nil {
		out.OwnOnly = []string{}
	}
	return out
}

// userRequest is a POST or PATCH body; absent fields keep their value.
type userRequest struct {
	Email              *string            `json:"email"`
	Name               *string            `json:"name"`
	Password           string             `json:"password"`
	Role               *crm.Role          `json:"role"`
	Active             *bool              `json:"active"`
	MustChangePassword *bool              `json:"must_change_password"`
	EmployeeID         json.RawMessage    `json:"employee_id"`
	Permissions        *map[string]string `json:"permissions"`
	OwnOnly            *[]string          `json:"own_only"`
	Locale             string             `json:"locale"`
}

// input turns the request into the service's input; cur is the user's
// current scope, which permissions or own_only alone amend.
func (q userRequest) input(cur crm.Scope) (service.UserInput, error) {
	in := service.UserInput{Email: q.Email, Name: q.Name, Password: q.Password, Role: q.Role, Active: q.Active,
		MustChangePassword: q.MustChangePassword, Locale: q.Locale}
	if q.Permissions != nil || q.OwnOnly != nil {
		sc := cur
		if q.Permissions != nil {
			sc.Permissions = *q.Permissions
		}
		if q.OwnOnly != nil {
			sc.OwnOnly = *q.OwnOnly
		}
		in.Scope = &sc
	}
	if len(q.EmployeeID) > 0 {
		var emp *int64
		if string(q.EmployeeID) != "null" {
			id, err := strconv.ParseInt(string(q.EmployeeID), 10, 64)
			if err != nil {
				return in, invalidField("employee_id", "err.employee_unknown")
			}
			emp = &id
		}
		in.EmployeeID = &emp
	}
	return in, nil
}

func (a *API) listUsers(w http.ResponseWriter, r *http.Request) (int, any, error) {
	us, err := a.svc.Users(r.Context(), r.URL.Query().Get("q"))
	if err != nil {
		return 0, nil, err
	}
	out := make([]UserOut, len(us))
	for i, u := range us {
		out[i] = userOut(r, u)
	}
	total := len(out)
	l := newList(out, 0)
	l.Total = &total
	return http.StatusOK, l, nil
}

func (a *API) createUser(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var body userRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	in, err := body.input(crm.Scope{})
	if err != nil {
		return 0, nil, err
	}
	u, err := a.svc.CreateUser(r.Context(), in)
	if err != nil {
		return 0, nil, err
	}
	w.Header().Set("Location", Prefix+"/users/"+strconv.FormatInt(u.ID, 10))
	return http.StatusCreated, userOut(r, u), nil
}

func (a *API) patchUser(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	var body userRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	cur, err := a.svc.User(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	in, err := body.input(cur.Scope)
	if err != nil {
		return 0, nil, err
	}
	u, err := a.svc.UpdateUser(r.Context(), id, in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, userOut(r, u), nil
}
