-- +goose Up
-- The task list filtered by employee (and status) at 300 000 tasks: each
-- link of a task to an employee carries a copy of the task's status and
-- start, written in the same transaction as the task by every path that
-- writes tasks (store.CreateTask, UpdateTask, BulkCreateTasks), so that an
-- employee's page and its capped count read one range of one index instead
-- of probing (or sorting) the employee's 15 000 tasks.
ALTER TABLE task_employees ADD COLUMN status TEXT NOT NULL DEFAULT 'todo';
ALTER TABLE task_employees ADD COLUMN start_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
UPDATE task_employees SET status = t.status, start_at = t.start_at
    FROM tasks t WHERE t.account_id = task_employees.account_id AND t.id = task_employees.task_id;
-- Serves every lookup by employee that the old index did.
DROP INDEX task_employees_by_employee;
CREATE INDEX task_employees_by_status ON task_employees (account_id, employee_id, status, start_at, task_id);

-- A client search for a common word ("łódź": 3 000 of 100 000 clients)
-- walks the name index for its page and checks the search key there, in
-- the index, instead of reading every matching row (see store.Clients);
-- the list, the keyset export and everything else that used the index
-- reads the same prefix.
DROP INDEX clients_by_name;
CREATE INDEX clients_by_name ON clients (account_id, deleted_at, name, id, search_key);

-- The document search index, as the clients' (00008) and the tasks' (00013):
-- documents.search_key stays the source of truth and the exact filter; this
-- FTS5 trigram table finds the candidates of the query's terms of 3 or more
-- characters, kept in step by the triggers below.
CREATE VIRTUAL TABLE documents_search USING fts5(search_key, content='documents', content_rowid='id', tokenize='trigram');
INSERT INTO documents_search (documents_search) VALUES ('rebuild');

-- +goose StatementBegin
CREATE TRIGGER documents_search_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_search (rowid, search_key) VALUES (new.id, new.search_key);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER documents_search_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_search (documents_search, rowid, search_key) VALUES ('delete', old.id, old.search_key);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER documents_search_update AFTER UPDATE OF search_key ON documents BEGIN
    INSERT INTO documents_search (documents_search, rowid, search_key) VALUES ('delete', old.id, old.search_key);
    INSERT INTO documents_search (rowid, search_key) VALUES (new.id, new.search_key);
END;
-- +goose StatementEnd

-- Dropping an index drops its statistics: without them, beside the other
-- indexes' (store.Optimize runs ANALYZE), the planner took the wider
-- clients_by_name for a walk through every client to answer "Moje
-- kontakty" instead of planned_contacts_queue (EXPLAIN QUERY PLAN on the
-- 100 000-client benchmark database: the queue timed out). ANALYZE makes
-- the statistics whole again; it writes none for empty tables, so a new
-- database stays without.
ANALYZE;

-- +goose Down
DROP TRIGGER documents_search_update;
DROP TRIGGER documents_search_delete;
DROP TRIGGER documents_search_insert;
DROP TABLE documents_search;
DROP INDEX clients_by_name;
CREATE INDEX clients_by_name ON clients (account_id, deleted_at, name, id);
DROP INDEX task_employees_by_status;
CREATE INDEX task_employees_by_employee ON task_employees (account_id, employee_id, task_id);
ALTER TABLE task_employees DROP COLUMN start_at;
ALTER TABLE task_employees DROP COLUMN status;
