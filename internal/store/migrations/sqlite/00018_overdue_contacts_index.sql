-- +goose Up
-- "Zaległe kontakty": the dashboard counts an account's planned contacts
-- whose time has passed. No index led to them by status and time, so the
-- count walked every client of the account and probed its contacts:
-- 368 ms at 100 000 clients and 300 000 contacts (SQLite), 1.0 ms with
-- this index, which reads just the planned ones before now.
CREATE INDEX planned_contacts_by_status ON planned_contacts (account_id, status, at);

-- +goose Down
DROP INDEX planned_contacts_by_status;
