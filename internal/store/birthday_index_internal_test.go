package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"klientela/internal/crm"
)

// The birthday queries (the dashboard's coming week, the calendar) find a
// few days' birthdays through the indexes of migrations 00017 and 00019 on both
// engines: monthDay must write the expression the indexes have.
func TestBirthdayQueriesUseTheMonthDayIndex(t *testing.T) {
	searchEngines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		// An account of 3 000 clients with a contact person each, born on
		// every day of the year, with fresh statistics: what a planner
		// weighs an index by.
		f := newSearchFixture(t, s, "szef@urodziny.pl")
		var recs []ClientRecord
		for i := range 3000 {
			day := searchT0.AddDate(-30, 0, i%365).Format(time.DateOnly)
			recs = append(recs, ClientRecord{
				Client: crm.Client{Kind: crm.KindPerson, Name: fmt.Sprintf("Klient %d", i), Birthday: day, Status: crm.ClientActive,
					Country: "PL", CreatedAt: searchT0, UpdatedAt: searchT0},
				Persons: []crm.ClientPerson{{FirstName: "Osoba", LastName: fmt.Sprint(i), Birthday: day}}})
		}
		if err := f.ten.InTx(ctx, func(t *Tenant) error { _, err := t.InsertClients(ctx, recs); return err }); err != nil {
			t.Fatal(err)
		}
		// These two tables only: a whole database's ANALYZE on PostgreSQL
		// meets the tables of other tests' schemas as they are dropped
		// ("relation with OID … does not exist").
		if _, err := s.writeDB.ExecContext(ctx, `ANALYZE clients`); err != nil {
			t.Fatal(err)
		}
		if _, err := s.writeDB.ExecContext(ctx, `ANALYZE client_persons`); err != nil {
			t.Fatal(err)
		}
		account := strconv.FormatInt(f.ten.AccountID(), 10)
		for _, c := range []struct{ table, alias, index string }{
			{"clients", "c", "clients_birthday_md_scope"},
			{"client_persons", "p", "client_persons_birthday_md_client"},
		} {
			q := `SELECT ` + c.alias + `.id FROM ` + c.table + ` ` + c.alias + ` WHERE ` + c.alias + `.account_id = ` + account + ` AND ` +
				monthDay(c.alias+".birthday") + ` IN ('12-03', '12-04')`
			var plan []string
			if s.dialect == Postgres {
				q = `EXPLAIN ` + q
			} else {
				q = `EXPLAIN QUERY PLAN ` + q
			}
			rows, err := s.writeDB.QueryContext(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				if s, ok := vals[len(vals)-1].(string); ok {
					plan = append(plan, s)
				} else if b, ok := vals[len(vals)-1].([]byte); ok {
					plan = append(plan, string(b))
				}
			}
			rows.Close()
			// The index must serve the month and day, not only account_id
			// (its first column fits any query of the account).
			got := strings.Join(plan, " | ")
			bySQLite := strings.Contains(got, c.index+" (account_id=? AND <expr>=?)")
			byPostgres := strings.Contains(got, c.index) && strings.Contains(got, "Index Cond: ((account_id = "+account+") AND (substr(")
			if !bySQLite && !byPostgres {
				t.Errorf("%s: the plan does not find the days in %s: %s", c.table, c.index, got)
			}
		}
	})
}
