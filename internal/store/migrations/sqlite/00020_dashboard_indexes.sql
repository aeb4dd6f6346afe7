-- +goose Up
-- The dashboard at 100 000 clients and 300 000 tasks (SQLite, pprof of the
-- kept load-benchmark database: 300 ms of CPU a dashboard).
--
-- "N nowych klientów w tym miesiącu" counted the clients created since the
-- first of the month by reading every client of the account (no index has
-- created_at): 108 ms. This index reads just the month's (266 entries).
CREATE INDEX clients_by_created ON clients (account_id, deleted_at, created_at, employee_id);

-- A week of the user's tasks (the dashboard's "this week", and every
-- employee's range of tasks) probed each of the employee's tasks (8 700 of
-- them) for its span: 50 ms. Each link of a task to an employee now carries
-- a copy of the task's span as it carries its status and start (00015),
-- written in the same transaction by every path that writes tasks
-- (store.setTaskLinks, InsertTasks), so the range is read from this index:
-- the links whose span ends after the range starts (the employee's current
-- and future tasks) and begins before it ends.
ALTER TABLE task_employees ADD COLUMN span_start TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
ALTER TABLE task_employees ADD COLUMN span_end TIMESTAMP;
UPDATE task_employees SET span_start = t.span_start, span_end = t.span_end
    FROM tasks t WHERE t.account_id = task_employees.account_id AND t.id = task_employees.task_id;
CREATE INDEX task_employees_by_span ON task_employees (account_id, employee_id, span_end, span_start, task_id);

-- Statistics for the new indexes beside the others' (see 00015); none are
-- written for empty tables, so a new database stays without.
ANALYZE clients;
ANALYZE task_employees;

-- +goose Down
DROP INDEX task_employees_by_span;
ALTER TABLE task_employees DROP COLUMN span_end;
ALTER TABLE task_employees DROP COLUMN span_start;
DROP INDEX clients_by_created;
