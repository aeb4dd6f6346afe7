-- +goose Up
-- Calendar: one private iCalendar feed per user (only a hash of its secret
-- token is kept; rotating replaces the hash, revoking deletes the row), and
-- an index for a range of the whole firm's planned contacts by time.
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

-- +goose Down
DROP INDEX planned_contacts_by_time;
DROP TABLE calendar_feeds;
