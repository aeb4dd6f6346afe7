-- +goose Up
-- Nothing to do on SQLite: its single writer takes one write at a time, so
-- when the trigger of task_employee_counts (00024) runs inside a write does
-- not make other writes wait longer. PostgreSQL's trigger moves to the
-- commit in the migration of the same number.
SELECT 1;

-- +goose Down
SELECT 1;
