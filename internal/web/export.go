package web

import (
	"context"
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
			err = export.Clients(t, v.L, v.zone(), h.employeeNamesForClients(r.Context()), func(fn func(crm.Client) error) error {
				return h.svc.EachClient(r.Context(), clientQuery(r.URL.Query()), fn)
			})
		}
		if err != nil {
			// Headers are gone: the download ends short; the log says why.
			h.log.Error("client export", "id", httpx.RequestID(r.Context()), "err", err)
		}
	}
}

// employeeNamesForClients maps the employees clients can be assigned to.
func (h *Web) employeeNamesForClients(ctx context.Context) map[int64]string {
	names := map[int64]string{}
	if es, err := h.svc.ClientEmployees(ctx); err == nil {
		for _, e := range es {
			names[e.ID] = e.FullName()
		}
	}
	return names
}
