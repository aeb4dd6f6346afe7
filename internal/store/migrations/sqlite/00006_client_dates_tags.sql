-- +goose Up
-- Important dates of a client other than the birthday ("Rocznica
-- współpracy" every year, "Koniec umowy" once), in the order entered.
CREATE TABLE client_dates (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    client_id   INTEGER NOT NULL,
    position    INTEGER NOT NULL DEFAULT 0,
    name        TEXT NOT NULL,
    date        TEXT NOT NULL,                 -- 'YYYY-MM-DD'
    yearly      BOOLEAN NOT NULL DEFAULT FALSE,
    FOREIGN KEY (account_id, client_id) REFERENCES clients (account_id, id) ON DELETE CASCADE
);
CREATE INDEX client_dates_by_client ON client_dates (account_id, client_id, position);

-- Free-form tags of a client; tag_key (lower-cased) is unique per client.
CREATE TABLE client_tags (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    client_id   INTEGER NOT NULL,
    tag_key     TEXT NOT NULL,
    tag         TEXT NOT NULL,
    PRIMARY KEY (account_id, client_id, tag_key),
    FOREIGN KEY (account_id, client_id) REFERENCES clients (account_id, id) ON DELETE CASCADE
);
CREATE INDEX client_tags_by_tag ON client_tags (account_id, tag_key, client_id);

-- A planned contact can be cancelled, with an optional reason.
ALTER TABLE planned_contacts ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE planned_contacts ADD COLUMN cancelled_at TIMESTAMP;
-- "Has an overdue contact": one seek per client (status 'planned', at < now).
CREATE INDEX planned_contacts_overdue ON planned_contacts (account_id, client_id, status, at);

-- +goose Down
DROP INDEX planned_contacts_overdue;
ALTER TABLE planned_contacts DROP COLUMN cancelled_at;
ALTER TABLE planned_contacts DROP COLUMN cancel_reason;
DROP TABLE client_tags;
DROP TABLE client_dates;
