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

-- +goose Down
DROP INDEX clients_search_trgm;
