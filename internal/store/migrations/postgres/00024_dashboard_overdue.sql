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

-- The number of each employee's tasks by status, kept by triggers on
-- task_employees (see the SQLite migration of the same number).
CREATE TABLE task_employee_counts (
    account_id   BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    employee_id  BIGINT NOT NULL,
    status       TEXT NOT NULL,
    n            BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, employee_id, status)
);
INSERT INTO task_employee_counts (account_id, employee_id, status, n)
    SELECT account_id, employee_id, status, COUNT(*) FROM task_employees GROUP BY account_id, employee_id, status;
-- +goose StatementBegin
CREATE FUNCTION task_employees_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE task_employee_counts SET n = n - 1
            WHERE account_id = OLD.account_id AND employee_id = OLD.employee_id AND status = OLD.status;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO task_employee_counts (account_id, employee_id, status, n) VALUES (NEW.account_id, NEW.employee_id, NEW.status, 1)
            ON CONFLICT (account_id, employee_id, status) DO UPDATE SET n = task_employee_counts.n + 1;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER task_employees_count AFTER INSERT OR DELETE OR UPDATE OF employee_id, status ON task_employees
    FOR EACH ROW EXECUTE FUNCTION task_employees_count();

-- +goose Down
DROP TRIGGER task_employees_count ON task_employees;
DROP FUNCTION task_employees_count();
DROP TABLE task_employee_counts;
CREATE INDEX planned_contacts_by_status ON planned_contacts (account_id, status, at);
DROP INDEX planned_contacts_by_status_client;
DROP INDEX task_employees_overdue;
ALTER TABLE task_employees DROP COLUMN recurring;
