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
	h.route(mux, "GET /clients/export.csv", authz.Clients, authz.View, h.exportClients)
}

// exportClients streams the client list, with the filters of its URL, as
// CSV: rows are written as they are read, so memory does not grow with the
// number of clients.
func (h *Web) exportClients(w http.ResponseWriter, r *http.Request, v *View) {
	names := map[int64]string{}
	if es, err := h.svc.ClientEmployees(r.Context()); err == nil {
		for _, e := range es {
			names[e.ID] = e.FullName()
		}
	}
	name := v.T("export.client.file") + "-" + time.Now().In(v.zone()).Format("2006-01-02") + ".csv"
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", httpx.Attachment(name))
	w.Header().Set("Cache-Control", "no-store")
	out, err := export.NewCSV(w)
	if err == nil {
		err = out.Row(export.ClientHeader(v.L)...)
	}
	if err == nil {
		err = h.svc.EachClient(r.Context(), clientQuery(r.URL.Query()), func(c crm.Client) error {
			emp := ""
			if c.EmployeeID != nil {
				emp = names[*c.EmployeeID]
			}
			return out.Row(export.ClientRow(v.L, v.zone(), c, emp)...)
		})
	}
	if err == nil {
		err = out.Flush()
	}
	if err != nil {
		// Headers are gone: the download ends short; the log says why.
		h.log.Error("client export", "id", httpx.RequestID(r.Context()), "err", err)
	}
}
