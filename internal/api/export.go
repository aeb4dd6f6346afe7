package api

import (
	"net/http"
	"time"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/export"
	"klientela/internal/httpx"
	"klientela/internal/i18n"
	"klientela/internal/service"
)

func (a *API) registerExport(mux httpx.Mux) {
	a.handleRaw(mux, "GET", "/clients/export", authz.Clients, authz.View, a.exportClients)
}

// exportClients streams the clients matching the list filters as CSV
// (format=csv, the default), XLSX (format=xlsx) or vCards (format=vcf).
func (a *API) exportClients(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	name := q.Get("format")
	if name == "" {
		name = "csv"
	}
	f, ok := export.Formats[name]
	if !ok && name != "vcf" {
		a.writeError(w, r, invalidField("format", "err.export_format"))
		return
	}
	query, err := clientFilters(r)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	// Fail before the first byte when the user may not list clients.
	if _, _, err := a.svc.Clients(r.Context(), service.ClientQuery{Limit: 1}); err != nil {
		a.writeError(w, r, err)
		return
	}
	names := a.svc.ClientEmployeeNames(r.Context())
	l := a.localizer(r)
	zone, err := i18n.LoadZone(crm.PrincipalFrom(r.Context()).Account.TimeZone)
	if err != nil {
		zone = time.UTC
	}
	if name == "vcf" {
		w.Header().Set("Content-Type", "text/vcard; charset=utf-8")
		w.Header().Set("Content-Disposition", httpx.Attachment(l.T("export.client.file")+"-"+time.Now().In(zone).Format("2006-01-02")+".vcf"))
		if err := a.svc.EachClient(r.Context(), query, export.NewVCards(w).Client); err != nil {
			a.log.Error("client cards", "id", httpx.RequestID(r.Context()), "err", err)
		}
		return
	}
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Content-Disposition", httpx.Attachment(l.T("export.client.file")+"-"+time.Now().In(zone).Format("2006-01-02")+"."+f.Ext))
	w.Header().Set("Cache-Control", "no-store")
	t, err := export.New(w, f, l.T("nav.clients"))
	if err == nil {
		err = export.Clients(t, l, zone, names, func(fn func(crm.Client) error) error {
			return a.svc.EachClient(r.Context(), query, fn)
		})
	}
	if err != nil {
		a.log.Error("client export", "id", httpx.RequestID(r.Context()), "err", err)
	}
}
