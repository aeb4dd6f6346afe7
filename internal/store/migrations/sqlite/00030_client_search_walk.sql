-- +goose Up
-- Nothing to do on SQLite: clients_by_name carries the search key since
-- 00015, and a common word's page walks it (commonSearch). PostgreSQL's
-- index of the same kind is in the migration of the same number.
SELECT 1;

-- +goose Down
SELECT 1;
