-- +goose Up
-- Indexes of the task list (300 000 tasks in one account): each serves a
-- filter together with the list's order, so that a page reads its rows in
-- order from the index and a capped count reads only the index.
CREATE INDEX tasks_by_status ON tasks (account_id, status, start_at, id);
CREATE INDEX tasks_by_end ON tasks (account_id, end_at, id);
CREATE INDEX tasks_by_title ON tasks (account_id, title, id);

-- The task search index, as the clients' (00008): a trigram GIN index on
-- the folded search_key serves "search_key LIKE '%term%'" for terms of 3 or
-- more characters. pg_trgm lives in the public schema (a trusted
-- extension: the owner of the database may create it) and the operator
-- class is named with its schema; see 00008 for operators whose role may
-- not create extensions.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE INDEX tasks_search_trgm ON tasks USING gin (search_key public.gin_trgm_ops);

-- +goose Down
DROP INDEX tasks_search_trgm;
DROP INDEX tasks_by_title;
DROP INDEX tasks_by_end;
DROP INDEX tasks_by_status;
