package store

import (
	"testing"

	"github.com/jackc/pgx/v5"
)

// planEach becomes pgx's exec mode on PostgreSQL (an unnamed statement,
// planned for its values) and is dropped on SQLite; the caller's arguments
// are left as they were.
func TestPlanEachArgument(t *testing.T) {
	in := []any{planEach, int64(7), "%lodz%"}
	if got := (db{dialect: SQLite}).args(append([]any(nil), in...)); len(got) != 2 || got[0] != int64(7) || got[1] != "%lodz%" {
		t.Errorf("SQLite: %v", got)
	}
	got := (db{dialect: Postgres}).args(in)
	if len(got) != 3 || got[0] != pgx.QueryExecModeExec || got[1] != int64(7) || got[2] != "%lodz%" {
		t.Errorf("PostgreSQL: %v", got)
	}
	if in[0] != planEach {
		t.Errorf("the caller's arguments changed: %v", in)
	}
	if got := (db{dialect: Postgres}).args([]any{int64(7)}); len(got) != 1 || got[0] != int64(7) {
		t.Errorf("without planEach: %v", got)
	}
}
