-- +goose Up
-- Calendar: one private iCalendar feed per user (only a hash of its secret
-- token is kept; rotating replaces the hash, revoking deletes the row), and
-- indexes for a range of planned contacts by time: the whole firm's, and
-- one employee's (also their "only mine" calendar and feed).
CREATE TABLE calendar_feeds (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    token_hash   BLOB NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    UNIQUE (account_id, user_id),
    FOREIGN KEY (account_id, user_id) REFERENCES users (account_id, id) ON DELETE CASCADE
);
CREATE INDEX planned_contacts_by_time ON planned_contacts (account_id, at);
CREATE INDEX planned_contacts_by_employee_time ON planned_contacts (account_id, employee_id, at);

-- +goose Down
DROP INDEX planned_contacts_by_employee_time;
DROP INDEX planned_contacts_by_time;
DROP TABLE calendar_feeds;
