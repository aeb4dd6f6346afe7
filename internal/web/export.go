package web

import (
	"net/http"
	"time"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/export"
	"klientela/internal/httpx"
)

func (h *Web) registerExport(mux httpx.Mux) {
	h.route(mux, "GET /clients/export.csv", authz.Clients, authz.View, h.exportClients(export.Formats["csv"]))
	h.route(mux, "GET /clients/export.xlsx", authz.Clients, authz.View, h.exportClients(export.Formats["xlsx"]))
	h.route(mux, "GET /clients/export.vcf", authz.Clients, authz.View, h.exportClientCards)
	h.route(mux, "GET /clients/{id}/card.vcf", authz.Clients, authz.View, h.clientCard)
}

// vcardType is the media type of .vcf files.
const vcardType = "text/vcard; charset=utf-8"

// exportClientCards writes the filtered client list as one .vcf file.
func (h *Web) exportClientCards(w http.ResponseWriter, r *http.Request, v *View) {
	w.Header().Set("Content-Type", vcardType)
	w.Header().Set("Content-Disposition", httpx.Attachment(v.T("export.client.file")+"-"+time.Now().In(v.zone()).Format("2006-01-02")+".vcf"))
	cards := export.NewVCards(w)
	if err := h.svc.EachClient(r.Context(), clientQuery(r.URL.Query()), cards.Client); err != nil {
		h.log.Error("client cards", "id", httpx.RequestID(r.Context()), "err", err)
	}
}

// clientCard is one client, with its contact persons, as a .vcf file for
// a phone or a mail program.
func (h *Web) clientCard(w http.ResponseWriter, r *http.Request, v *View) {
	c, ok := load(h, w, r, v, h.svc.Client)
	if !ok {
		return
	}
	persons, err := h.svc.ClientPersons(r.Context(), c.ID)
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	w.Header().Set("Content-Type", vcardType)
	w.Header().Set("Content-Disposition", httpx.Attachment(c.Name+".vcf"))
	cards := export.NewVCards(w)
	err = cards.Client(c)
	for _, p := range persons {
		if err == nil {
			err = cards.Person(c, p)
		}
	}
	if err != nil {
		h.log.Error("client card", "id", httpx.RequestID(r.Context()), "err", err)
	}
}

// exportClients streams the client list, with the filters of its URL, as a
// file: rows are written as they are read, so memory does not grow with
// the number of clients.
func (h *Web) exportClients(f export.Format) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, v *View) {
		name := v.T("export.client.file") + "-" + time.Now().In(v.zone()).Format("2006-01-02") + "." + f.Ext
		w.Header().Set("Content-Type", f.ContentType)
		w.Header().Set("Content-Disposition", httpx.Attachment(name))
		w.Header().Set("Cache-Control", "no-store")
		t, err := export.New(w, f, v.T("nav.clients"))
		if err == nil {
			err = export.Clients(t, v.L, v.zone(), h.svc.ClientEmployeeNames(r.Context()), func(fn func(crm.Client) error) error {
				return h.svc.EachClient(r.Context(), clientQuery(r.URL.Query()), fn)
			})
		}
		if err != nil {
			// Headers are gone: the download ends short; the log says why.
			h.log.Error("client export", "id", httpx.RequestID(r.Context()), "err", err)
		}
	}
}
