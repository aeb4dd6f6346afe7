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

-- The number of each employee's tasks by status, kept by triggers on
-- task_employees (every write of a link, and the links a deleted task or a
-- purged client takes with it): "Moje zadania" and an employee's list show
-- their exact total without counting the employee's index range (8 735
-- entries, 2.2 ms a page at 300 000 tasks).
CREATE TABLE task_employee_counts (
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    employee_id  INTEGER NOT NULL,
    status       TEXT NOT NULL,
    n            INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, employee_id, status)
);
INSERT INTO task_employee_counts (account_id, employee_id, status, n)
    SELECT account_id, employee_id, status, COUNT(*) FROM task_employees GROUP BY account_id, employee_id, status;
-- +goose StatementBegin
CREATE TRIGGER task_employees_count_insert AFTER INSERT ON task_employees BEGIN
    INSERT INTO task_employee_counts (account_id, employee_id, status, n) VALUES (new.account_id, new.employee_id, new.status, 1)
        ON CONFLICT (account_id, employee_id, status) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER task_employees_count_delete AFTER DELETE ON task_employees BEGIN
    UPDATE task_employee_counts SET n = n - 1
        WHERE account_id = old.account_id AND employee_id = old.employee_id AND status = old.status;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER task_employees_count_update AFTER UPDATE OF employee_id, status ON task_employees BEGIN
    UPDATE task_employee_counts SET n = n - 1
        WHERE account_id = old.account_id AND employee_id = old.employee_id AND status = old.status;
    INSERT INTO task_employee_counts (account_id, employee_id, status, n) VALUES (new.account_id, new.employee_id, new.status, 1)
        ON CONFLICT (account_id, employee_id, status) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER task_employees_count_update;
DROP TRIGGER task_employees_count_delete;
DROP TRIGGER task_employees_count_insert;
DROP TABLE task_employee_counts;
CREATE INDEX planned_contacts_by_status ON planned_contacts (account_id, status, at);
DROP INDEX planned_contacts_by_status_client;
DROP INDEX task_employees_overdue;
ALTER TABLE task_employees DROP COLUMN recurring;
