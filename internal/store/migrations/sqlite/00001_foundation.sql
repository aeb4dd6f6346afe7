-- +goose Up
-- Accounts (tenants). Every other table carries account_id; unique rules and
-- foreign keys include it so that the schema can be sharded by account.
CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    time_zone   TEXT NOT NULL DEFAULT 'Europe/Warsaw',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

-- Users log in by e-mail alone, so an e-mail is unique across accounts. The
-- table is small; on a sharded cluster it stays a reference table.
CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    account_id           INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    email                TEXT NOT NULL,
    name                 TEXT NOT NULL,
    password_hash        TEXT NOT NULL,
    role                 TEXT NOT NULL CHECK (role IN ('owner', 'user')),
    locale               TEXT NOT NULL DEFAULT 'pl',
    active               BOOLEAN NOT NULL DEFAULT 1,
    must_change_password BOOLEAN NOT NULL DEFAULT 0,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    UNIQUE (email),
    UNIQUE (account_id, id)
);

CREATE TABLE businesses (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    is_default  BOOLEAN NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (account_id, id)
);
CREATE UNIQUE INDEX businesses_one_default ON businesses (account_id) WHERE is_default;

-- Browser sessions live in the database so that any instance can serve any
-- request. Only the SHA-256 of the session token is stored.
CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    token_hash    BLOB NOT NULL UNIQUE,
    account_id    INTEGER NOT NULL,
    user_id       INTEGER NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    last_seen_at  TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL,
    user_agent    TEXT NOT NULL DEFAULT '',
    ip            TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (account_id, user_id) REFERENCES users (account_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_user ON sessions (account_id, user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    token_hash    BLOB NOT NULL UNIQUE,
    account_id    INTEGER NOT NULL,
    user_id       INTEGER NOT NULL,
    name          TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    last_used_at  TIMESTAMP,
    FOREIGN KEY (account_id, user_id) REFERENCES users (account_id, id) ON DELETE CASCADE
);
CREATE INDEX api_tokens_user ON api_tokens (account_id, user_id);

-- Fixed-window counters for rate limits (login attempts), shared by all
-- instances.
CREATE TABLE rate_limits (
    key           TEXT PRIMARY KEY,
    window_start  TIMESTAMP NOT NULL,
    hits          INTEGER NOT NULL
);

-- +goose Down
DROP TABLE rate_limits;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE businesses;
DROP TABLE users;
DROP TABLE accounts;
