-- +goose Up
-- Indexes of the task list (300 000 tasks in one account): each serves a
-- filter together with the list's order, so that a page reads its rows in
-- order from the index and a capped count reads only the index.
CREATE INDEX tasks_by_status ON tasks (account_id, status, start_at, id);
CREATE INDEX tasks_by_end ON tasks (account_id, end_at, id);
CREATE INDEX tasks_by_title ON tasks (account_id, title, id);

-- The task search index, as the clients' (00008): tasks.search_key
-- (folded: lower case, no diacritics) stays the source of truth and the
-- exact filter; this FTS5 table with the trigram tokenizer finds the
-- candidate rows of every query term of 3 or more characters without
-- reading the whole account. An external-content table over tasks, kept in
-- step by the triggers below.
CREATE VIRTUAL TABLE tasks_search USING fts5(search_key, content='tasks', content_rowid='id', tokenize='trigram');
INSERT INTO tasks_search (tasks_search) VALUES ('rebuild');

-- +goose StatementBegin
CREATE TRIGGER tasks_search_insert AFTER INSERT ON tasks BEGIN
    INSERT INTO tasks_search (rowid, search_key) VALUES (new.id, new.search_key);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tasks_search_delete AFTER DELETE ON tasks BEGIN
    INSERT INTO tasks_search (tasks_search, rowid, search_key) VALUES ('delete', old.id, old.search_key);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tasks_search_update AFTER UPDATE OF search_key ON tasks BEGIN
    INSERT INTO tasks_search (tasks_search, rowid, search_key) VALUES ('delete', old.id, old.search_key);
    INSERT INTO tasks_search (rowid, search_key) VALUES (new.id, new.search_key);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER tasks_search_update;
DROP TRIGGER tasks_search_delete;
DROP TRIGGER tasks_search_insert;
DROP TABLE tasks_search;
DROP INDEX tasks_by_title;
DROP INDEX tasks_by_end;
DROP INDEX tasks_by_status;
