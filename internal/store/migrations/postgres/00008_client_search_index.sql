-- +goose Up
-- The client search index: a trigram GIN index on the folded search_key
-- serves "search_key LIKE '%term%'" for terms of 3 or more characters.
-- pg_trgm lives in the public schema (it is a trusted extension: the owner
-- of the database may create it), so that a database whose tables live in
-- another schema shares one copy; the operator class is named with its
-- schema for the same reason. Operators who run Klientela with a role that
-- may not create extensions run, once, as a superuser:
--   CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE INDEX clients_search_trgm ON clients USING gin (search_key public.gin_trgm_ops);


-- The number of each account's clients, in the list and in the trash, kept
-- by the store's writes of clients in the same transaction: the unfiltered
-- list shows its total without counting 100 000 index entries per page.
CREATE TABLE client_counts (
    account_id  BIGINT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    live        BIGINT NOT NULL DEFAULT 0,
    trashed     BIGINT NOT NULL DEFAULT 0
);
INSERT INTO client_counts (account_id, live, trashed)
    SELECT account_id, SUM(CASE WHEN deleted_at IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END) FROM clients GROUP BY account_id;

-- The list's default order, for the clients out of the trash. PostgreSQL
-- does not take "deleted_at IS NULL" as an equality that keeps the order of
-- clients_by_name (account_id, deleted_at, name, id), so it sorted all of an
-- account's clients for every page (21 ms at 100 000); this partial index
-- gives the page in order and stops after it. SQLite's planner does take it
-- so and needs no such index.
CREATE INDEX clients_live_by_name ON clients (account_id, name, id) WHERE deleted_at IS NULL;

-- +goose Down
DROP INDEX clients_live_by_name;
DROP TABLE client_counts;
DROP INDEX clients_search_trgm;
