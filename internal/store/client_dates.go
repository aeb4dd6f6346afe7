package store

import (
	"context"
	"strings"

	"klientela/internal/crm"
)

// idList is "?, ?, …" for n ids and the ids as arguments.
func idList(ids []int64) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", "), args
}

// DatesOfClients returns the important dates of each of the clients, in the
// order they were entered.
func (t *Tenant) DatesOfClients(ctx context.Context, clientIDs []int64) (map[int64][]crm.ClientDate, error) {
	out := map[int64][]crm.ClientDate{}
	if len(clientIDs) == 0 {
		return out, nil
	}
	in, args := idList(clientIDs)
	rows, err := t.query(ctx, `SELECT client_id, name, date, yearly FROM client_dates
		WHERE account_id = ? AND client_id IN (`+in+`) ORDER BY client_id, position, id`, append([]any{t.account}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var cid int64
		var d crm.ClientDate
		if err := rows.Scan(&cid, &d.Name, &d.Date, &d.Yearly); err != nil {
			return nil, err
		}
		out[cid] = append(out[cid], d)
	}
	return out, rows.Err()
}

// SetClientDates makes the important dates of a client exactly dates.
func (t *Tenant) SetClientDates(ctx context.Context, clientID int64, dates []crm.ClientDate) error {
	if _, err := t.exec(ctx, `DELETE FROM client_dates WHERE account_id = ? AND client_id = ?`, t.account, clientID); err != nil {
		return mapError(err)
	}
	return t.AddClientDates(ctx, clientID, dates)
}

// AddClientDates writes the important dates of a client that has none yet
// (a new one), without deleting first.
func (t *Tenant) AddClientDates(ctx context.Context, clientID int64, dates []crm.ClientDate) error {
	for i, d := range dates {
		if _, err := t.exec(ctx, `INSERT INTO client_dates (account_id, client_id, position, name, date, yearly)
			VALUES (?, ?, ?, ?, ?, ?)`, t.account, clientID, i, d.Name, d.Date, d.Yearly); err != nil {
			return mapError(err)
		}
	}
	return nil
}

// TagKey is what makes two tags the same: case does not count.
func TagKey(tag string) string { return strings.ToLower(strings.TrimSpace(tag)) }

// TagsOfClients returns the tags of each of the clients, alphabetically.
func (t *Tenant) TagsOfClients(ctx context.Context, clientIDs []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(clientIDs) == 0 {
		return out, nil
	}
	in, args := idList(clientIDs)
	rows, err := t.query(ctx, `SELECT client_id, tag FROM client_tags WHERE account_id = ? AND client_id IN (`+in+`)
		ORDER BY client_id, tag_key`, append([]any{t.account}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var cid int64
		var tag string
		if err := rows.Scan(&cid, &tag); err != nil {
			return nil, err
		}
		out[cid] = append(out[cid], tag)
	}
	return out, rows.Err()
}

// SetClientTags makes the tags of a client exactly tags (already cleaned
// and unique by TagKey).
func (t *Tenant) SetClientTags(ctx context.Context, clientID int64, tags []string) error {
	if _, err := t.exec(ctx, `DELETE FROM client_tags WHERE account_id = ? AND client_id = ?`, t.account, clientID); err != nil {
		return mapError(err)
	}
	return t.AddClientTags(ctx, clientID, tags)
}

// AddClientTags writes the tags of a client that has none yet (a new one),
// without deleting first.
func (t *Tenant) AddClientTags(ctx context.Context, clientID int64, tags []string) error {
	for _, tag := range tags {
		if _, err := t.exec(ctx, `INSERT INTO client_tags (account_id, client_id, tag_key, tag) VALUES (?, ?, ?, ?)`,
			t.account, clientID, TagKey(tag), tag); err != nil {
			return mapError(err)
		}
	}
	return nil
}

// ClientTags lists the account's tags (of clients out of the trash; only of
// ownEmployee's clients with ownOnly), the most used first, at most limit.
func (t *Tenant) ClientTags(ctx context.Context, ownOnly bool, ownEmployee int64, limit int) ([]string, error) {
	own, args := ``, []any{t.account}
	if ownOnly {
		own = ` AND c.employee_id = ?`
		args = append(args, ownEmployee)
	}
	rows, err := t.query(ctx, `SELECT MIN(tg.tag) FROM client_tags tg
		JOIN clients c ON c.account_id = tg.account_id AND c.id = tg.client_id
		WHERE tg.account_id = ? AND c.deleted_at IS NULL`+own+`
		GROUP BY tg.tag_key ORDER BY COUNT(*) DESC, tg.tag_key LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var tag string
		if err := rows.Scan(&tag); err != nil {
			return nil, err
		}
		out = append(out, tag)
	}
	return out, rows.Err()
}

// DateRow is a birthday or an important date as stored, found by
// ImportantDates.
type DateRow struct {
	Kind       string // crm.DateBirthday, crm.DatePersonBirthday or crm.DateOther
	ClientID   int64
	ClientName string
	PersonID   *int64
	Label      string // the person's name or the date's name
	Date       string // "YYYY-MM-DD" as entered
	Yearly     bool
}

// monthDay is the SQL of a date column's month and day ("MM-DD" of
// "YYYY-MM-DD"), written exactly as the indexes of migration 00017 have it
// for birthdays, so that both engines find a few days' birthdays in the
// index instead of reading every client and contact person.
func monthDay(column string) string { return "substr(" + column + ", 6, 5)" }

// ImportantDates lists the birthdays of clients (out of the trash) and of
// their contact persons, and the clients' yearly important dates, whose
// month and day ("MM-DD") is one of days; and the one-time important dates
// from first to last ("YYYY-MM-DD", inclusive). With own, only the clients
// of ownEmployee count.
func (t *Tenant) ImportantDates(ctx context.Context, days []string, first, last string, own bool, ownEmployee int64) ([]DateRow, error) {
	q, args := t.importantDates(days, first, last, own, ownEmployee, false)
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DateRow
	for rows.Next() {
		var r DateRow
		if err := rows.Scan(&r.Kind, &r.ClientID, &r.ClientName, &r.PersonID, &r.Label, &r.Date, &r.Yearly); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CountImportantDates counts what ImportantDates finds, each yearly date
// once (its month-day falls on one of days), except a yearly important date
// that begins after last (not before the date itself; a birthday is never in
// the future). The clients' birthdays are counted from their month-day index
// alone, without reading a client.
func (t *Tenant) CountImportantDates(ctx context.Context, days []string, first, last string, own bool, ownEmployee int64) (int, error) {
	q, args := t.importantDates(days, first, last, own, ownEmployee, true)
	var n int
	err := t.queryRow(ctx, q, args...).Scan(&n)
	return n, mapError(err)
}

// importantDates is the query of ImportantDates, or with count that of
// CountImportantDates.
func (t *Tenant) importantDates(days []string, first, last string, own bool, ownEmployee int64, count bool) (string, []any) {
	scope := ``
	var scopeArgs []any
	if own {
		scope = ` AND c.employee_id = ?`
		scopeArgs = []any{ownEmployee}
	}
	in := `''`
	var dayArgs []any
	if len(days) > 0 {
		in = strings.TrimSuffix(strings.Repeat("?,", len(days)), ",")
		for _, d := range days {
			dayArgs = append(dayArgs, d)
		}
	}
	sel := [3]string{`'` + crm.DateBirthday + `', c.id, c.name, NULL, '', c.birthday, TRUE`,
		`'` + crm.DatePersonBirthday + `', c.id, c.name, p.id, TRIM(p.first_name || ' ' || p.last_name), p.birthday, TRUE`,
		`'` + crm.DateOther + `', c.id, c.name, NULL, d.name, d.date, d.yearly`}
	yearly := ``
	if count {
		sel = [3]string{`COUNT(*)`, `COUNT(*)`, `COUNT(*)`}
		yearly = ` AND d.date <= ?`
	}
	var args []any
	args = append(append(append(args, t.account), dayArgs...), scopeArgs...)
	args = append(append(append(args, t.account), dayArgs...), scopeArgs...)
	args = append(append(args, t.account), dayArgs...)
	if count {
		args = append(args, last)
	}
	args = append(append(args, first, last), scopeArgs...)
	parts := [3]string{`SELECT ` + sel[0] + ` FROM clients c
		WHERE c.account_id = ? AND c.deleted_at IS NULL AND ` + monthDay("c.birthday") + ` IN (` + in + `)` + scope,
		`SELECT ` + sel[1] + `
		FROM client_persons p JOIN clients c ON c.account_id = p.account_id AND c.id = p.client_id
		WHERE p.account_id = ? AND c.deleted_at IS NULL AND ` + monthDay("p.birthday") + ` IN (` + in + `)` + scope,
		`SELECT ` + sel[2] + `
		FROM client_dates d JOIN clients c ON c.account_id = d.account_id AND c.id = d.client_id
		WHERE d.account_id = ? AND c.deleted_at IS NULL
		AND ((d.yearly AND substr(d.date, 6, 5) IN (` + in + `)` + yearly + `) OR (NOT d.yearly AND d.date >= ? AND d.date <= ?))` + scope}
	if count {
		// Each person's client is looked up by its key: joined, PostgreSQL
		// expects ten times the persons of a few days and hashes every
		// client of the account for them (63–85 ms instead of 3–5 at
		// 100 000 clients).
		parts[1] = `SELECT COUNT(*) FROM client_persons p WHERE p.account_id = ? AND ` + monthDay("p.birthday") + ` IN (` + in + `)
			AND (SELECT c.deleted_at IS NULL` + scope + ` FROM clients c WHERE c.account_id = p.account_id AND c.id = p.client_id)`
		return `SELECT (` + parts[0] + `) + (` + parts[1] + `) + (` + parts[2] + `)`, args
	}
	return parts[0] + `
		UNION ALL
		` + parts[1] + `
		UNION ALL
		` + parts[2], args
}
