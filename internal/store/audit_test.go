package store

import (
	"context"
	"testing"
	"time"

	"klientela/internal/crm"
)

// The history is append-only in the database itself: an UPDATE or DELETE
// of an entry fails, whoever sends it.
func TestAuditLogIsAppendOnly(t *testing.T) {
	for _, dsn := range []func(testing.TB) string{sqliteDSN, postgresDSN} {
		s := openTest(t, dsn(t))
		if s == nil {
			continue
		}
		ctx := context.Background()
		a, _, err := s.CreateAccount(ctx, NewAccount{Name: "F", TimeZone: "Europe/Warsaw", OwnerName: "J", OwnerEmail: "j@example.pl", PasswordHash: "h", Locale: "pl", Now: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		tn := s.Tenant(a.ID)
		if err := tn.Audit(ctx, crm.AuditEntry{At: time.Now(), Entity: "employee", EntityID: 1, Action: crm.ActionCreate, Label: "X",
			Changes: []crm.Change{{Field: "first_name", New: "X"}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := tn.exec(ctx, `UPDATE audit_log SET label = 'forged' WHERE account_id = ?`, a.ID); err == nil {
			t.Errorf("%s: UPDATE of the history succeeded", s.dialect)
		}
		if _, err := tn.exec(ctx, `DELETE FROM audit_log WHERE account_id = ?`, a.ID); err == nil {
			t.Errorf("%s: DELETE from the history succeeded", s.dialect)
		}
		es, err := tn.AuditLog(ctx, AuditFilter{Limit: 10})
		if err != nil || len(es) != 1 || es[0].Label != "X" || len(es[0].Changes) != 1 {
			t.Fatalf("%s: history = %+v, %v", s.dialect, es, err)
		}
	}
}
