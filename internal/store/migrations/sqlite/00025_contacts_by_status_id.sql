-- +goose Up
-- Nothing to do on SQLite: planned_contacts_by_status_client (00024) ends
-- with the rowid, the contact's id, so it already gives the order of the
-- contact list by status, (at, client_id, id). PostgreSQL's index gains the
-- id in the migration of the same number.
SELECT 1;

-- +goose Down
SELECT 1;
