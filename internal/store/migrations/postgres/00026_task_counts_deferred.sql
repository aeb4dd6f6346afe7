-- +goose Up
-- The employees' task counts (task_employee_counts, 00024) are bumped at
-- commit, as the feed version is (00023): a deferred constraint trigger.
-- Bumped at the link's insert, the employee's count row stayed locked for
-- the rest of the transaction (the task's groups, reminders, history and
-- the commit), and every other new task of the same employee waited for it:
-- 8 concurrent POST /api/v1/tasks of one user's employee gave 97 req/s, p99
-- 621 ms, the backends waiting on "Lock: transactionid/tuple" in
-- INSERT INTO task_employees. A deferred row trigger sees each row change
-- with its OLD and NEW, so the counts stay exact; they only move at commit,
-- which nothing inside a writing transaction reads them before.
DROP TRIGGER task_employees_count ON task_employees;
CREATE CONSTRAINT TRIGGER task_employees_count AFTER INSERT OR DELETE OR UPDATE OF employee_id, status ON task_employees
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION task_employees_count();

-- +goose Down
DROP TRIGGER task_employees_count ON task_employees;
CREATE TRIGGER task_employees_count AFTER INSERT OR DELETE OR UPDATE OF employee_id, status ON task_employees
    FOR EACH ROW EXECUTE FUNCTION task_employees_count();
