package api

import (
	"net/http"

	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/service"
)

type tokenRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Name     string `json:"name"`
}

// Token is the answer to POST /tokens. The token is shown only here.
type Token struct {
	ID        int64  `json:"id"`
	Token     string `json:"token"`
	Name      string `json:"name"`
	CreatedAt string `json:"created_at"`
}

func (a *API) createToken(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var in tokenRequest
	if err := a.decode(r, &in); err != nil {
		return 0, nil, err
	}
	tok, t, err := a.svc.CreateAPIToken(r.Context(), service.LoginInput{
		Email: in.Email, Password: in.Password, IP: httpx.ClientIP(r, a.trustProxy)}, in.Name)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, Token{ID: t.ID, Token: tok, Name: t.Name, CreatedAt: timestamp(r, t.CreatedAt)}, nil
}

func (a *API) revokeToken(w http.ResponseWriter, r *http.Request) (int, any, error) {
	return http.StatusNoContent, nil, a.svc.RevokeCurrentToken(r.Context())
}

// Me is the answer to GET /me.
type Me struct {
	User    User    `json:"user"`
	Account Account `json:"account"`
}

// User is a user as the API shows it.
type User struct {
	ID                 int64    `json:"id"`
	Email              string   `json:"email"`
	Name               string   `json:"name"`
	Role               crm.Role `json:"role"`
	Locale             string   `json:"locale"`
	Active             bool     `json:"active"`
	MustChangePassword bool     `json:"must_change_password"`
	CreatedAt          string   `json:"created_at"`
}

// Account is an account as the API shows it.
type Account struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	TimeZone  string `json:"time_zone"`
	CreatedAt string `json:"created_at"`
}

func (a *API) me(w http.ResponseWriter, r *http.Request) (int, any, error) {
	p := crm.PrincipalFrom(r.Context())
	u, acc := p.User, p.Account
	return http.StatusOK, Me{
		User: User{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Locale: u.Locale, Active: u.Active,
			MustChangePassword: u.MustChangePassword, CreatedAt: timestamp(r, u.CreatedAt)},
		Account: Account{ID: acc.ID, Name: acc.Name, TimeZone: acc.TimeZone, CreatedAt: timestamp(r, acc.CreatedAt)},
	}, nil
}

// TokenInfo is a token as listed: never the token itself.
type TokenInfo struct {
	ID         int64   `json:"id"`
	Name       string  `json:"name"`
	CreatedAt  string  `json:"created_at"`
	LastUsedAt *string `json:"last_used_at"`
	Current    bool    `json:"current"` // the token of this request
}

func (a *API) listTokens(w http.ResponseWriter, r *http.Request) (int, any, error) {
	pg, err := page(r)
	if err != nil {
		return 0, nil, err
	}
	toks, next, err := a.svc.APITokens(r.Context(), pg)
	if err != nil {
		return 0, nil, err
	}
	cur := crm.PrincipalFrom(r.Context()).TokenID
	items := make([]TokenInfo, len(toks))
	for i, t := range toks {
		items[i] = TokenInfo{ID: t.ID, Name: t.Name, CreatedAt: timestamp(r, t.CreatedAt), Current: t.ID == cur}
		if t.LastUsedAt != nil {
			s := timestamp(r, *t.LastUsedAt)
			items[i].LastUsedAt = &s
		}
	}
	return http.StatusOK, newList(items, next), nil
}

func (a *API) deleteToken(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, a.svc.RevokeAPIToken(r.Context(), id)
}
