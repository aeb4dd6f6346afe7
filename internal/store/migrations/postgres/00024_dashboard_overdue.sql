-- +goose Up
-- The dashboard's overdue tasks of the user's employee: each link carries
-- whether its task is a series, and this index holds the open single tasks'
-- links by their end (see the SQLite migration of the same number).
ALTER TABLE task_employees ADD COLUMN recurring BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE task_employees te SET recurring = TRUE
    FROM tasks t WHERE t.account_id = te.account_id AND t.id = te.task_id AND t.recurrence <> '';
CREATE INDEX task_employees_overdue ON task_employees (account_id, employee_id, span_end, task_id)
    WHERE status IN ('todo', 'in_progress') AND NOT recurring;
ANALYZE task_employees;

-- The dashboard's "N zaległych kontaktów w firmie" (store.CountOverdueContacts)
-- reads the planned contacts before now from this index with their client,
-- and looks each client up by its key for the trash: covered, the contacts'
-- rows are not read (PostgreSQL: an index-only scan, instead of choosing
-- planned_contacts_overdue, whose client_id comes before status, and reading
-- the whole account's part of it). It serves what planned_contacts_by_status
-- (00018), its prefix, served.
CREATE INDEX planned_contacts_by_status_client ON planned_contacts (account_id, status, at, client_id);
DROP INDEX planned_contacts_by_status;
ANALYZE planned_contacts;

-- +goose Down
CREATE INDEX planned_contacts_by_status ON planned_contacts (account_id, status, at);
DROP INDEX planned_contacts_by_status_client;
DROP INDEX task_employees_overdue;
ALTER TABLE task_employees DROP COLUMN recurring;
