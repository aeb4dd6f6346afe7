-- +goose Up
-- The dashboard's "Zaległe zadania" of the user's employee (store.Tasks with
-- Overdue for one employee): open single tasks whose end passed. The links
-- carried status, start and span, not whether the task recurs, so every
-- overdue candidate was probed in tasks (SQLite walked the firm's 30 000
-- open overdue tasks in tasks_open for 701 of them; PostgreSQL probed 915
-- tasks: 85 ms). Each link now also carries whether its task is a series,
-- written with the others by every path that writes tasks (setTaskLinks,
-- InsertTasks), and this index holds just the open single tasks' links by
-- their end (a single task's span ends where it ends): the count and the
-- page by end come from it alone. (status and recurring are in it as well:
-- SQLite reads a partial index's rows for the terms of its WHERE unless the
-- index covers them.)
ALTER TABLE task_employees ADD COLUMN recurring BOOLEAN NOT NULL DEFAULT 0;
UPDATE task_employees SET recurring = 1
    WHERE EXISTS (SELECT 1 FROM tasks t WHERE t.account_id = task_employees.account_id AND t.id = task_employees.task_id
        AND t.recurrence <> '');
CREATE INDEX task_employees_overdue ON task_employees (account_id, employee_id, span_end, task_id, status, recurring)
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
