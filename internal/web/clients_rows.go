package web

import (
	"html/template"

	"klientela/internal/crm"
)

// Bulk reports whether the list shows the bulk group form and a checkbox
// per row: the user may edit clients and the account has groups.
func (d ClientsData) Bulk(v *View) bool {
	return v.Can("clients", "edit") && len(d.BulkGroups) > 0
}

// Rows renders the client list's table rows (typed, see htmlout.go), the
// markup the list's template had:
//
//	<tr>
//	  {{if $bulk}}<td><input type="checkbox" name="client_id" value="{{.ID}}" aria-label="{{$.T "clientgroups.select_client" "name" .Name}}"></td>{{end}}
//	  <td><a href="/clients/{{.ID}}">{{.Name}}</a>{{if .ShortName}} <span class="muted">({{.ShortName}})</span>{{end}}{{range .Groups}} <span class="badge">{{template "group-dot" .}} {{.Name}}</span>{{end}}{{template "tag-badges" .Tags}}</td>
//	  <td>{{.City}}</td>
//	  <td class="hide-narrow">{{with .Phone}}<a href="tel:{{$.Tel .}}">{{.}}</a>{{end}}</td>
//	  <td class="hide-narrow">{{with .Email}}<a href="mailto:{{.}}">{{.}}</a>{{end}}</td>
//	  <td><span class="badge{{if eq .Status "active"}} badge-success{{end}}">{{$.T (printf "clients.status.%s" .Status)}}</span></td>
//	</tr>
func (d ClientsData) Rows(v *View, bulk bool) template.HTML {
	o := newHTMLOut()
	status := map[crm.ClientStatus]string{}
	for _, c := range d.Items {
		o.raw("\n    <tr>\n      ")
		if bulk {
			o.raw(`<td><input type="checkbox" name="client_id" value="`)
			o.int(c.ID)
			o.raw(`" aria-label="`)
			o.text(v.T("clientgroups.select_client", "name", c.Name))
			o.raw(`"></td>`)
		}
		o.raw("\n      <td><a href=\"/clients/")
		o.int(c.ID)
		o.raw(`">`)
		o.text(c.Name)
		o.raw(`</a>`)
		if c.ShortName != "" {
			o.raw(` <span class="muted">(`)
			o.text(c.ShortName)
			o.raw(`)</span>`)
		}
		for _, g := range c.Groups {
			o.raw(` <span class="badge">`)
			o.groupDot(g)
			o.raw(` `)
			o.text(g.Name)
			o.raw(`</span>`)
		}
		o.tagBadges(c.Tags)
		o.raw("</td>\n      <td>")
		o.text(c.City)
		o.raw("</td>\n      <td class=\"hide-narrow\">")
		if p := c.Phone(); p != "" {
			o.raw(`<a href="tel:`)
			o.url(v.Tel(p), true)
			o.raw(`">`)
			o.text(p)
			o.raw(`</a>`)
		}
		o.raw("</td>\n      <td class=\"hide-narrow\">")
		if e := c.Email(); e != "" {
			o.raw(`<a href="mailto:`)
			o.url(e, true)
			o.raw(`">`)
			o.text(e)
			o.raw(`</a>`)
		}
		o.raw("</td>\n      <td><span class=\"badge")
		if c.Status == "active" {
			o.raw(` badge-success`)
		}
		o.raw(`">`)
		label, ok := status[c.Status]
		if !ok {
			label = v.T("clients.status." + string(c.Status))
			status[c.Status] = label
		}
		o.text(label)
		o.raw("</span></td>\n    </tr>\n  ")
	}
	return o.done()
}

// groupDot is the "group-dot" partial.
func (o *htmlOut) groupDot(g crm.ClientGroup) {
	o.raw(`<svg class="group-dot" viewBox="0 0 10 10" width="10" height="10" aria-hidden="true" focusable="false"><circle cx="5" cy="5" r="5" fill="`)
	o.text(g.Color)
	o.raw(`"/></svg>`)
}

// tagBadges is the "tag-badges" partial.
func (o *htmlOut) tagBadges(tags []string) {
	for _, t := range tags {
		o.raw(` <a class="badge badge-tag" href="/clients?tag=`)
		o.url(t, false)
		o.raw(`">#`)
		o.text(t)
		o.raw(`</a>`)
	}
}
