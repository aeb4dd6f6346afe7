package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/plid"
	"klientela/internal/service"
)

func (h *Web) registerBusinesses(mux httpx.Mux) {
	h.route(mux, "GET /settings/businesses", authz.Settings, authz.View, h.businesses)
	h.route(mux, "GET /settings/businesses/new", authz.Settings, authz.Edit, h.newBusiness)
	h.route(mux, "POST /settings/businesses", authz.Settings, authz.Edit, h.createBusiness)
	h.route(mux, "GET /settings/businesses/{id}", authz.Settings, authz.View, h.business)
	h.route(mux, "GET /settings/businesses/{id}/edit", authz.Settings, authz.Edit, h.editBusiness)
	h.route(mux, "POST /settings/businesses/{id}", authz.Settings, authz.Edit, h.updateBusiness)
	h.route(mux, "POST /settings/businesses/{id}/default", authz.Settings, authz.Edit, h.setDefaultBusiness)
	h.route(mux, "POST /settings/businesses/{id}/delete", authz.Settings, authz.Full, h.deleteBusiness)
	h.route(mux, "GET /settings/businesses/{id}/logo", authz.Settings, authz.View, h.businessLogo)
	h.route(mux, "POST /business/switch", authz.Dashboard, authz.View, h.switchBusiness)
}

// businessesShown bounds the web list; an account has a handful.
const businessesShown = service.MaxPageSize

// BusinessSwitch is the model of the top bar's business switcher: the
// business this browser works in and the others it can switch to.
type BusinessSwitch struct {
	Current crm.Business
	Others  []crm.Business
}

// businessSwitch fills the switcher of a logged-in page when the account
// has more than one business. A failure only hides the switcher.
func (h *Web) businessSwitch(r *http.Request, v *View) {
	if v.P == nil || v.Businesses != nil {
		return
	}
	c, err := h.businessChoice(r, v)
	if err != nil {
		h.log.Warn("business switcher", "id", httpx.RequestID(r.Context()), "err", err)
		return
	}
	if len(c.All) < 2 {
		return
	}
	bs := &BusinessSwitch{Current: c.Current}
	for _, b := range c.All {
		if b.ID != c.Current.ID {
			bs.Others = append(bs.Others, b)
		}
	}
	v.Businesses = bs
}

func (h *Web) switchBusiness(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	id, err := strconv.ParseInt(r.PostForm.Get("business_id"), 10, 64)
	if err != nil || id < 1 {
		h.notFound(w, r, v)
		return
	}
	if err := h.svc.SwitchBusiness(r.Context(), id); err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	h.flash(w, "businesses.switched")
	http.Redirect(w, r, safeNext(r.PostForm.Get("next")), http.StatusSeeOther)
}

// BusinessView is a business with its identifiers formatted for reading.
type BusinessView struct {
	crm.Business
	NIPText  string // "123-456-32-18"
	BankText string // "61 1090 1014 0000 0712 1981 2874"
}

func businessView(b crm.Business) BusinessView {
	return BusinessView{Business: b, NIPText: plid.FormatNIP(b.NIP), BankText: service.FormatBankAccount(b.BankAccount)}
}

// BusinessesData is the model of the business list.
type BusinessesData struct {
	Items []BusinessView
	Q     string
	Total int
}

func (h *Web) businesses(w http.ResponseWriter, r *http.Request, v *View) {
	q := r.URL.Query().Get("q")
	items, total, err := h.svc.ListBusinesses(r.Context(), service.BusinessQuery{Q: q, Limit: businessesShown})
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	d := BusinessesData{Q: q, Total: total}
	for _, b := range items {
		d.Items = append(d.Items, businessView(b))
	}
	v.Title, v.Section, v.Data = v.T("businesses.title"), "settings", d
	h.render(w, r, http.StatusOK, "businesses", v)
}

// BusinessFormData is the model of the business form.
type BusinessFormData struct {
	Business  *BusinessView // nil for a new one
	MaxLogoKB int
}

func (h *Web) businessForm(w http.ResponseWriter, r *http.Request, v *View, status int, b *crm.Business) {
	d := BusinessFormData{MaxLogoKB: service.MaxLogoBytes >> 10}
	if b == nil {
		v.Title = v.T("businesses.new")
	} else {
		bv := businessView(*b)
		d.Business = &bv
		v.Title = b.Name
	}
	v.Section, v.Data = "settings", d
	h.render(w, r, status, "business_form", v)
}

func (h *Web) newBusiness(w http.ResponseWriter, r *http.Request, v *View) {
	v.Form = &Form{Values: map[string]string{"country": service.DefaultCountry}}
	h.businessForm(w, r, v, http.StatusOK, nil)
}

func (h *Web) editBusiness(w http.ResponseWriter, r *http.Request, v *View) {
	b, ok := h.loadBusiness(w, r, v)
	if !ok {
		return
	}
	vals := map[string]string{"name": b.Name, "nip": plid.FormatNIP(b.NIP), "street": b.Street,
		"postal_code": b.PostalCode, "city": b.City, "country": b.Country,
		"bank_account": service.FormatBankAccount(b.BankAccount), "email": b.Email, "phone": b.Phone}
	if b.IsDefault {
		vals["default"] = "1"
	}
	v.Form = &Form{Values: vals}
	h.businessForm(w, r, v, http.StatusOK, &b)
}

// businessInput reads the form. The default business keeps its mark: the
// form offers no way to drop it (another business is marked instead).
func businessInput(form url.Values, old *crm.Business) service.BusinessInput {
	return service.BusinessInput{Name: form.Get("name"), NIP: form.Get("nip"), Street: form.Get("street"),
		PostalCode: form.Get("postal_code"), City: form.Get("city"), Country: form.Get("country"),
		BankAccount: form.Get("bank_account"), Email: form.Get("email"), Phone: form.Get("phone"),
		Default: form.Get("default") != "" || (old != nil && old.IsDefault)}
}

// parseBusinessForm reads the business form: multipart when it carries a
// logo, plain otherwise. Only the first MaxLogoBytes+1 bytes of the file
// are read, enough for the service to refuse a bigger one.
func (h *Web) parseBusinessForm(w http.ResponseWriter, r *http.Request, v *View) (service.LogoInput, bool) {
	var logo service.LogoInput
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		if httpx.IsTooLarge(err) {
			h.errorPage(w, r, v, http.StatusRequestEntityTooLarge, "errors.too_large")
		} else {
			h.errorPage(w, r, v, http.StatusBadRequest, "errors.bad_request")
		}
		return logo, false
	}
	logo.Remove = r.PostForm.Get("remove_logo") != ""
	if r.MultipartForm == nil {
		return logo, true
	}
	if fhs := r.MultipartForm.File["logo"]; len(fhs) > 0 {
		f, err := fhs[0].Open()
		if err != nil {
			h.errorPage(w, r, v, http.StatusBadRequest, "errors.bad_request")
			return logo, false
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, service.MaxLogoBytes+1))
		if err != nil {
			h.errorPage(w, r, v, http.StatusBadRequest, "errors.bad_request")
			return logo, false
		}
		logo.Data = data
	}
	return logo, true
}

func (h *Web) createBusiness(w http.ResponseWriter, r *http.Request, v *View) {
	logo, ok := h.parseBusinessForm(w, r, v)
	if !ok {
		return
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	b, err := h.svc.CreateBusiness(r.Context(), businessInput(r.PostForm, nil), logo)
	if err != nil {
		h.failForm(w, r, v, err, func(status int) { h.businessForm(w, r, v, status, nil) })
		return
	}
	h.flash(w, "businesses.created")
	http.Redirect(w, r, businessPath(b.ID), http.StatusSeeOther)
}

func (h *Web) updateBusiness(w http.ResponseWriter, r *http.Request, v *View) {
	logo, ok := h.parseBusinessForm(w, r, v)
	if !ok {
		return
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	old, ok := h.loadBusiness(w, r, v)
	if !ok {
		return
	}
	b, err := h.svc.UpdateBusiness(r.Context(), old.ID, businessInput(r.PostForm, &old), logo)
	if err != nil {
		h.failForm(w, r, v, err, func(status int) { h.businessForm(w, r, v, status, &old) })
		return
	}
	h.flash(w, "businesses.saved")
	http.Redirect(w, r, businessPath(b.ID), http.StatusSeeOther)
}

func (h *Web) setDefaultBusiness(w http.ResponseWriter, r *http.Request, v *View) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r, v)
		return
	}
	if _, err := h.svc.SetDefaultBusiness(r.Context(), id); err != nil {
		h.failBusinessAction(w, r, v, id, err)
		return
	}
	h.flash(w, "businesses.default_set")
	http.Redirect(w, r, businessPath(id), http.StatusSeeOther)
}

func (h *Web) deleteBusiness(w http.ResponseWriter, r *http.Request, v *View) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r, v)
		return
	}
	if err := h.svc.DeleteBusiness(r.Context(), id); err != nil {
		h.failBusinessAction(w, r, v, id, err)
		return
	}
	h.flash(w, "businesses.deleted")
	http.Redirect(w, r, "/settings/businesses", http.StatusSeeOther)
}

// failBusinessAction shows the business card again with the reason an
// action was refused (409), or the right error page.
func (h *Web) failBusinessAction(w http.ResponseWriter, r *http.Request, v *View, id int64, err error) {
	e, ok := crm.AsError(err)
	if !ok || (e.Code != crm.CodeConflict && e.Code != crm.CodeInvalid) {
		h.fail(w, r, v, err, "")
		return
	}
	b, lerr := h.svc.Business(r.Context(), id)
	if lerr != nil {
		h.fail(w, r, v, lerr, "")
		return
	}
	msg := v.T(e.Key, e.Args...)
	for _, m := range e.Fields {
		msg = v.T(m.Key, m.Args...)
	}
	h.showBusiness(w, r, v, httpx.Status(e.Code), BusinessData{Business: businessView(b), Tab: "details", Error: msg})
}

// BusinessData is the model of a business's card.
type BusinessData struct {
	Business BusinessView
	Tab      string // "details" or "history"
	History  HistoryView
	Error    string // why the last action was refused
}

func (h *Web) business(w http.ResponseWriter, r *http.Request, v *View) {
	b, ok := h.loadBusiness(w, r, v)
	if !ok {
		return
	}
	d := BusinessData{Business: businessView(b), Tab: r.URL.Query().Get("tab")}
	if d.Tab == "history" {
		hv, err := h.history(r, v, "business", b.ID, businessPath(b.ID))
		if err != nil {
			h.fail(w, r, v, err, "")
			return
		}
		d.History = hv
	} else {
		d.Tab = "details"
	}
	h.showBusiness(w, r, v, http.StatusOK, d)
}

func (h *Web) showBusiness(w http.ResponseWriter, r *http.Request, v *View, status int, d BusinessData) {
	v.Title, v.Section, v.Data = d.Business.Name, "settings", d
	h.render(w, r, status, "business", v)
}

// loadBusiness reads the business of the URL, answering 404 itself.
func (h *Web) loadBusiness(w http.ResponseWriter, r *http.Request, v *View) (crm.Business, bool) {
	return load(h, w, r, v, h.svc.Business)
}

func businessPath(id int64) string { return "/settings/businesses/" + strconv.FormatInt(id, 10) }

func (h *Web) businessLogo(w http.ResponseWriter, r *http.Request, v *View) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r, v)
		return
	}
	data, mediaType, err := h.svc.BusinessLogo(r.Context(), id)
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	httpx.ServeImage(w, r, data, mediaType)
}

// businessChoice loads the account's businesses and the one chosen in this
// session, once per request (the switcher, forms and filters all need it).
func (h *Web) businessChoice(r *http.Request, v *View) (service.BusinessChoice, error) {
	if v.choice != nil {
		return *v.choice, nil
	}
	c, err := h.svc.CurrentBusiness(r.Context())
	if err == nil {
		v.choice = &c
	}
	return c, err
}
