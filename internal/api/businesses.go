package api

import (
	"net/http"
	"strconv"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/service"
)

func (a *API) registerBusinesses(mux httpx.Mux) {
	a.handle(mux, "GET", "/businesses", authz.Settings, authz.View, a.listBusinesses)
	a.handle(mux, "POST", "/businesses", authz.Settings, authz.Edit, a.createBusiness)
	a.handle(mux, "GET", "/businesses/{id}", authz.Settings, authz.View, getByID(a.svc.Business, businessOut))
	a.handle(mux, "PATCH", "/businesses/{id}", authz.Settings, authz.Edit, a.patchBusiness)
	a.handle(mux, "DELETE", "/businesses/{id}", authz.Settings, authz.Full, deleteByID(a.svc.DeleteBusiness))
	a.handleRaw(mux, "GET", "/businesses/{id}/logo", authz.Settings, authz.View, a.businessLogo)
}

// BusinessAddress is a business's postal address.
type BusinessAddress struct {
	Street     string `json:"street"`
	PostalCode string `json:"postal_code"`
	City       string `json:"city"`
	Country    string `json:"country"`
}

// Business is a business as the API shows it. NIP is 10 bare digits and
// bank_account an IBAN in electronic form; both are "" when not given.
type Business struct {
	ID          int64           `json:"id"`
	Name        string          `json:"name"`
	NIP         string          `json:"nip"`
	Address     BusinessAddress `json:"address"`
	BankAccount string          `json:"bank_account"`
	Email       string          `json:"email"`
	Phone       string          `json:"phone"`
	Default     bool            `json:"default"`
	HasLogo     bool            `json:"has_logo"`
	CreatedAt   string          `json:"created_at"`
	UpdatedAt   string          `json:"updated_at"`
}

func businessOut(r *http.Request, b crm.Business) Business {
	return Business{ID: b.ID, Name: b.Name, NIP: b.NIP,
		Address:     BusinessAddress{Street: b.Street, PostalCode: b.PostalCode, City: b.City, Country: b.Country},
		BankAccount: b.BankAccount, Email: b.Email, Phone: b.Phone, Default: b.IsDefault, HasLogo: b.HasLogo(),
		CreatedAt: timestamp(r, b.CreatedAt), UpdatedAt: timestamp(r, b.UpdatedAt)}
}

// addressRequest is the address of a POST or PATCH body; absent fields
// keep their value.
type addressRequest struct {
	Street     *string `json:"street"`
	PostalCode *string `json:"postal_code"`
	City       *string `json:"city"`
	Country    *string `json:"country"`
}

// businessRequest is a POST or PATCH body: absent fields keep their value
// (PATCH) or their default (POST).
type businessRequest struct {
	Name        *string         `json:"name"`
	NIP         *string         `json:"nip"`
	Address     *addressRequest `json:"address"`
	BankAccount *string         `json:"bank_account"`
	Email       *string         `json:"email"`
	Phone       *string         `json:"phone"`
	Default     *bool           `json:"default"`
}

func (q businessRequest) apply(in *service.BusinessInput) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&in.Name, q.Name)
	set(&in.NIP, q.NIP)
	set(&in.BankAccount, q.BankAccount)
	set(&in.Email, q.Email)
	set(&in.Phone, q.Phone)
	if ad := q.Address; ad != nil {
		set(&in.Street, ad.Street)
		set(&in.PostalCode, ad.PostalCode)
		set(&in.City, ad.City)
		set(&in.Country, ad.Country)
	}
	if q.Default != nil {
		in.Default = *q.Default
	}
}

func (a *API) listBusinesses(w http.ResponseWriter, r *http.Request) (int, any, error) {
	pg, err := page(r)
	if err != nil {
		return 0, nil, err
	}
	query := service.BusinessQuery{Q: r.URL.Query().Get("q"), Offset: int(pg.Cursor), Limit: pg.Limit}
	items, total, err := a.svc.ListBusinesses(r.Context(), query)
	if err != nil {
		return 0, nil, err
	}
	out := make([]Business, len(items))
	for i, b := range items {
		out[i] = businessOut(r, b)
	}
	return http.StatusOK, offsetList(out, query.Offset, total), nil
}

func (a *API) createBusiness(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var body businessRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	var in service.BusinessInput
	body.apply(&in)
	b, err := a.svc.CreateBusiness(r.Context(), in, service.LogoInput{})
	if err != nil {
		return 0, nil, err
	}
	w.Header().Set("Location", Prefix+"/businesses/"+strconv.FormatInt(b.ID, 10))
	return http.StatusCreated, businessOut(r, b), nil
}

func (a *API) patchBusiness(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	var body businessRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	cur, err := a.svc.Business(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	in := service.BusinessInputOf(cur)
	body.apply(&in)
	b, err := a.svc.UpdateBusiness(r.Context(), id, in, service.LogoInput{})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, businessOut(r, b), nil
}

func (a *API) businessLogo(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	data, mediaType, err := a.svc.BusinessLogo(r.Context(), id)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	httpx.ServeImage(w, r, data, mediaType)
}
