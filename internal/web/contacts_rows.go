package web

import "html/template"

// List renders the queue's entries (typed, see htmlout.go), the markup the
// page's template had for each row:
//
//	{{range .Data.Rows}}{{$id := .ID}}
//	  <li class="card{{if .Overdue}} contact-overdue{{end}}" id="contact-{{$id}}">
//	    <p><strong><a href="/contacts/{{$id}}">{{.At}}</a></strong>{{if .Overdue}} <span class="badge badge-delete">{{$l.Overdue}}</span>{{end}}
//	      · {{.Channel}} · <a href="/clients/{{.ClientID}}">{{.ClientName}}</a>{{with .PersonName}} ({{.}}){{end}}</p>
//	    {{with .Subject}}<p>{{.}}</p>{{end}}
//	    {{if $d.CanEdit}}
//	    <form method="post" action="/contacts/{{$id}}/complete" class="filters"> … the outcome, note, next date and time … </form>
//	    {{end}}
//	  </li>
//	{{end}}
func (d QueueData) List() template.HTML {
	o := newHTMLOut()
	l := d.Labels
	for _, r := range d.Rows {
		o.raw("\n  <li class=\"card")
		if r.Overdue {
			o.raw(" contact-overdue")
		}
		o.raw(`" id="contact-`)
		o.int(r.ID)
		o.raw("\">\n    <p><strong><a href=\"/contacts/")
		o.int(r.ID)
		o.raw(`">`)
		o.text(r.At)
		o.raw(`</a></strong>`)
		if r.Overdue {
			o.raw(` <span class="badge badge-delete">`)
			o.text(l.Overdue)
			o.raw(`</span>`)
		}
		o.raw("\n      · ")
		o.text(r.Channel)
		o.raw(` · <a href="/clients/`)
		o.int(r.ClientID)
		o.raw(`">`)
		o.text(r.ClientName)
		o.raw(`</a>`)
		if r.PersonName != "" {
			o.raw(` (`)
			o.text(r.PersonName)
			o.raw(`)`)
		}
		o.raw("</p>\n    ")
		if r.Subject != "" {
			o.raw(`<p>`)
			o.text(r.Subject)
			o.raw(`</p>`)
		}
		o.raw("\n    ")
		if d.CanEdit {
			o.raw("\n    <form method=\"post\" action=\"/contacts/")
			o.int(r.ID)
			o.raw("/complete\" class=\"filters\">\n      <input type=\"hidden\" name=\"next\" value=\"/contacts/mine\">\n      <div class=\"field\">\n        <label for=\"o-")
			o.int(r.ID)
			o.raw(`">`)
			o.text(l.Outcome)
			o.raw("</label>\n        <select id=\"o-")
			o.int(r.ID)
			o.raw(`" name="outcome" required>`)
			o.raw(string(d.Outcomes))
			o.raw("</select>\n      </div>\n      <div class=\"field field-grow\">\n        <label for=\"n-")
			o.int(r.ID)
			o.raw(`">`)
			o.text(l.Note)
			o.raw("</label>\n        <input id=\"n-")
			o.int(r.ID)
			o.raw("\" name=\"note\" type=\"text\" autocomplete=\"off\">\n      </div>\n      <div class=\"field\">\n        <label for=\"nd-")
			o.int(r.ID)
			o.raw(`">`)
			o.text(l.NextDate)
			o.raw("</label>\n        <input id=\"nd-")
			o.int(r.ID)
			o.raw("\" name=\"next_date\" type=\"date\">\n      </div>\n      <div class=\"field\">\n        <label for=\"nt-")
			o.int(r.ID)
			o.raw(`">`)
			o.text(l.NextTime)
			o.raw("</label>\n        <input id=\"nt-")
			o.int(r.ID)
			o.raw("\" name=\"next_time\" type=\"time\">\n      </div>\n      <button type=\"submit\" class=\"btn btn-primary\">")
			o.text(l.Complete)
			o.raw("</button>\n    </form>\n    ")
		}
		o.raw("\n  </li>\n")
	}
	return o.done()
}
