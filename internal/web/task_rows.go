package web

import (
	"html/template"
	"strconv"
	"strings"

	"klientela/internal/crm"
)

// TaskRows writes the rows of the task list (tasks.html) in Go: executed
// by html/template, their 50 rows were half of a list page's CPU, mostly
// the reflection of about 20 printed values a row (each value through an
// escaper called by reflect.Value.Call). The markup and its escaping are
// exactly the template's (TestTaskRowsAsTheTemplate renders both).
func (v *View) TaskRows(d TasksData) template.HTML {
	var b strings.Builder
	b.Grow(len(d.Items) * 1200)
	esc := func(s string) { writeEscaped(&b, s) }
	canEdit := v.Can("tasks", "edit")
	recurring, overdue := v.T("tasks.recurring"), v.T("tasks.overdue")
	markDone, doneShort := v.T("tasks.mark_done"), v.T("tasks.done_short")
	for _, k := range d.Items {
		over := k.Overdue(d.Now)
		id := strconv.FormatInt(k.ID, 10)
		b.WriteString("\n    <tr class=\"")
		if over {
			b.WriteString("contact-overdue")
		}
		b.WriteString("\">\n      <td>")
		for _, g := range k.Groups {
			b.WriteString(`<svg class="group-dot" viewBox="0 0 10 10" width="10" height="10" aria-hidden="true" focusable="false"><circle cx="5" cy="5" r="5" fill="`)
			esc(g.Color)
			b.WriteString(`"/></svg> `)
		}
		b.WriteString(`<a href="/tasks/` + id + `">`)
		esc(k.Title)
		b.WriteString("</a>")
		if k.Recurring() {
			b.WriteString(` <span class="muted" title="`)
			esc(recurring)
			b.WriteString(`" aria-label="`)
			esc(recurring)
			b.WriteString(`">↻</span>`)
		}
		if over {
			b.WriteString(` <span class="badge badge-delete">`)
			esc(overdue)
			b.WriteString(`</span>`)
		}
		b.WriteString("</td>\n      <td>")
		switch {
		case !k.Recurring():
			esc(v.Span(k.Start, k.End, k.AllDay))
		case k.Next != nil:
			esc(v.Span(k.Next.Start, k.Next.End, k.Next.AllDay))
		default:
			b.WriteString(`<span class="muted">`)
			esc(v.T("tasks.series_ended"))
			b.WriteString(`</span>`)
		}
		b.WriteString("</td>\n      <td class=\"hide-narrow\">")
		for i, e := range k.Employees {
			if i > 0 {
				b.WriteString(", ")
			}
			esc(e.FullName())
		}
		b.WriteString("</td>\n      <td class=\"hide-narrow\">")
		if k.ClientID != nil {
			b.WriteString(`<a href="/clients/` + strconv.FormatInt(*k.ClientID, 10) + `">`)
			esc(k.ClientName)
			b.WriteString(`</a>`)
		}
		b.WriteString("</td>\n      <td class=\"hide-narrow\"><span class=\"badge")
		if k.Priority == crm.PriorityUrgent || k.Priority == crm.PriorityHigh {
			b.WriteString(" badge-delete")
		}
		b.WriteString(`">`)
		esc(v.T("tasks.priority." + string(k.Priority)))
		b.WriteString("</span></td>\n      <td>")
		st := k.Status
		if k.Recurring() && k.Next != nil {
			st = k.Next.Status
		}
		b.WriteString("\n        <span class=\"badge")
		switch st {
		case crm.TaskDone:
			b.WriteString(" badge-success")
		case crm.TaskInProgress:
			b.WriteString(" badge-update")
		}
		b.WriteString(`">`)
		esc(v.T("tasks.status." + string(st)))
		b.WriteString("</span>\n        ")
		if canEdit && st.Open() && (!k.Recurring() || k.Next != nil) {
			b.WriteString("\n        <form method=\"post\" action=\"/tasks/" + id + "/complete\">\n          ")
			if k.Recurring() && k.Next != nil {
				b.WriteString(`<input type="hidden" name="occurrence" value="`)
				esc(v.RFC(k.Next.Original))
				b.WriteString(`">`)
			}
			b.WriteString("\n          <input type=\"hidden\" name=\"next\" value=\"")
			esc(d.Here)
			b.WriteString("\">\n          <button type=\"submit\" class=\"btn btn-small\" aria-label=\"")
			esc(markDone)
			b.WriteString(": ")
			esc(k.Title)
			b.WriteString("\">✓ ")
			esc(doneShort)
			b.WriteString("</button>\n        </form>")
		}
		b.WriteString("\n      </td>\n    </tr>\n  ")
	}
	return template.HTML(b.String())
}

// writeEscaped writes s as html/template escapes a value in text and in a
// quoted attribute (its htmlEscaper): NUL, quotes, &, +, < and >.
func writeEscaped(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case 0:
			r = "\uFFFD"
		case '"':
			r = "&#34;"
		case '&':
			r = "&amp;"
		case '\'':
			r = "&#39;"
		case '+':
			r = "&#43;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(r)
		last = i + 1
	}
	b.WriteString(s[last:])
}
