-- +goose Up
-- The contact list filtered by status alone pages by (at, client_id, id)
-- from planned_contacts_by_status_client (store.ContactFilter.order). On
-- SQLite the rowid ends every index, so the index gives that order whole;
-- here it gave (at, client_id) only, and PostgreSQL, sorting either way,
-- walked planned_contacts_by_time backwards for the first page of done
-- contacts — past the 89 761 planned ones in the future — 25.6 ms, where
-- this index with the id reads 50 entries: 0.12 ms.
CREATE INDEX planned_contacts_by_status_client_id ON planned_contacts (account_id, status, at, client_id, id);
DROP INDEX planned_contacts_by_status_client;
ALTER INDEX planned_contacts_by_status_client_id RENAME TO planned_contacts_by_status_client;
ANALYZE planned_contacts;

-- +goose Down
CREATE INDEX planned_contacts_by_status_client_old ON planned_contacts (account_id, status, at, client_id);
DROP INDEX planned_contacts_by_status_client;
ALTER INDEX planned_contacts_by_status_client_old RENAME TO planned_contacts_by_status_client;
