package web

import (
	"html/template"
	"strconv"

	"klientela/internal/crm"
)

// TaskRows writes the rows of the task list (tasks.html) in Go: executed
// by html/template, their 50 rows were half of a list page's CPU, mostly
// the reflection of about 20 printed values a row (each value through an
// escaper called by reflect.Value.Call). The markup and its escaping are
// exactly the template's (TestTaskRowsAsTheTemplate renders both); the
// escaping is htmlOut's (htmlout.go).
func (v *View) TaskRows(d TasksData) template.HTML {
	o := newHTMLOut()
	canEdit := v.Can("tasks", "edit")
	recurring, overdue := v.T("tasks.recurring"), v.T("tasks.overdue")
	markDone, doneShort := v.T("tasks.mark_done"), v.T("tasks.done_short")
	for _, k := range d.Items {
		over := k.Overdue(d.Now)
		id := strconv.FormatInt(k.ID, 10)
		o.raw("\n    <tr class=\"")
		if over {
			o.raw("contact-overdue")
		}
		o.raw("\">\n      <td>")
		for _, g := range k.Groups {
			o.raw(`<svg class="group-dot" viewBox="0 0 10 10" width="10" height="10" aria-hidden="true" focusable="false"><circle cx="5" cy="5" r="5" fill="`)
			o.text(g.Color)
			o.raw(`"/></svg> `)
		}
		o.raw(`<a href="/tasks/` + id + `">`)
		o.text(k.Title)
		o.raw("</a>")
		if k.Recurring() {
			o.raw(` <span class="muted" title="`)
			o.text(recurring)
			o.raw(`" aria-label="`)
			o.text(recurring)
			o.raw(`">↻</span>`)
		}
		if over {
			o.raw(` <span class="badge badge-delete">`)
			o.text(overdue)
			o.raw(`</span>`)
		}
		o.raw("</td>\n      <td>")
		switch {
		case !k.Recurring():
			o.text(v.Span(k.Start, k.End, k.AllDay))
		case k.Next != nil:
			o.text(v.Span(k.Next.Start, k.Next.End, k.Next.AllDay))
		default:
			o.raw(`<span class="muted">`)
			o.text(v.T("tasks.series_ended"))
			o.raw(`</span>`)
		}
		o.raw("</td>\n      <td class=\"hide-narrow\">")
		for i, e := range k.Employees {
			if i > 0 {
				o.raw(", ")
			}
			o.text(e.FullName())
		}
		o.raw("</td>\n      <td class=\"hide-narrow\">")
		if k.ClientID != nil {
			o.raw(`<a href="/clients/` + strconv.FormatInt(*k.ClientID, 10) + `">`)
			o.text(k.ClientName)
			o.raw(`</a>`)
		}
		o.raw("</td>\n      <td class=\"hide-narrow\"><span class=\"badge")
		if k.Priority == crm.PriorityUrgent || k.Priority == crm.PriorityHigh {
			o.raw(" badge-delete")
		}
		o.raw(`">`)
		o.text(v.T("tasks.priority." + string(k.Priority)))
		o.raw("</span></td>\n      <td>")
		st := k.Status
		if k.Recurring() && k.Next != nil {
			st = k.Next.Status
		}
		o.raw("\n        <span class=\"badge")
		switch st {
		case crm.TaskDone:
			o.raw(" badge-success")
		case crm.TaskInProgress:
			o.raw(" badge-update")
		}
		o.raw(`">`)
		o.text(v.T("tasks.status." + string(st)))
		o.raw("</span>\n        ")
		if canEdit && st.Open() && (!k.Recurring() || k.Next != nil) {
			o.raw("\n        <form method=\"post\" action=\"/tasks/" + id + "/complete\">\n          ")
			if k.Recurring() && k.Next != nil {
				o.raw(`<input type="hidden" name="occurrence" value="`)
				o.text(v.RFC(k.Next.Original))
				o.raw(`">`)
			}
			o.raw("\n          <input type=\"hidden\" name=\"next\" value=\"")
			o.text(d.Here)
			o.raw("\">\n          <button type=\"submit\" class=\"btn btn-small\" aria-label=\"")
			o.text(markDone)
			o.raw(": ")
			o.text(k.Title)
			o.raw("\">✓ ")
			o.text(doneShort)
			o.raw("</button>\n        </form>")
		}
		o.raw("\n      </td>\n    </tr>\n  ")
	}
	return o.done()
}
