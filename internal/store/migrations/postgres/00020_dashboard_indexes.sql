-- +goose Up
-- The dashboard at 100 000 clients and 300 000 tasks (see the SQLite
-- migration of the same number).
--
-- "N nowych klientów w tym miesiącu": the clients created since the first
-- of the month, from an index instead of every client of the account.
CREATE INDEX clients_by_created ON clients (account_id, deleted_at, created_at, employee_id);

-- A week of the user's tasks: each link of a task to an employee carries a
-- copy of the task's span as it carries its status and start (00015),
-- written in the same transaction by every path that writes tasks
-- (store.setTaskLinks, InsertTasks), so the range is read from this index.
ALTER TABLE task_employees ADD COLUMN span_start TIMESTAMPTZ NOT NULL DEFAULT 'epoch',
    ADD COLUMN span_end TIMESTAMPTZ;
UPDATE task_employees te SET span_start = t.span_start, span_end = t.span_end
    FROM tasks t WHERE t.account_id = te.account_id AND t.id = te.task_id;
-- Every write sets it; no default hides a forgotten one.
ALTER TABLE task_employees ALTER COLUMN span_start DROP DEFAULT;
CREATE INDEX task_employees_by_span ON task_employees (account_id, employee_id, span_end, span_start, task_id);
ANALYZE clients, task_employees;

-- +goose Down
DROP INDEX task_employees_by_span;
ALTER TABLE task_employees DROP COLUMN span_end, DROP COLUMN span_start;
DROP INDEX clients_by_created;
