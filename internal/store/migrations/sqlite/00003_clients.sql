-- +goose Up
-- Clients: companies and people the firm works with. A deleted client goes
-- to the trash first (deleted_at set) and is removed for good after 30 days
-- or when someone with full access empties it.
CREATE TABLE clients (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('company', 'person')),
    name         TEXT NOT NULL,                 -- display name: a company's name, a person's "Last First"
    first_name   TEXT NOT NULL DEFAULT '',
    last_name    TEXT NOT NULL DEFAULT '',
    short_name   TEXT NOT NULL DEFAULT '',
    nip          TEXT NOT NULL DEFAULT '',      -- 10 bare digits
    regon        TEXT NOT NULL DEFAULT '',
    pesel        TEXT NOT NULL DEFAULT '',
    emails       TEXT NOT NULL DEFAULT '[]',    -- JSON array of strings
    phones       TEXT NOT NULL DEFAULT '[]',    -- JSON array of strings
    website      TEXT NOT NULL DEFAULT '',
    street       TEXT NOT NULL DEFAULT '',
    postal_code  TEXT NOT NULL DEFAULT '',
    city         TEXT NOT NULL DEFAULT '',
    country      TEXT NOT NULL DEFAULT 'PL',
    birthday     TEXT NOT NULL DEFAULT '',      -- 'YYYY-MM-DD' or ''
    status       TEXT NOT NULL DEFAULT 'potential' CHECK (status IN ('potential', 'active', 'inactive')),
    employee_id  INTEGER,
    business_id  INTEGER,
    notes        TEXT NOT NULL DEFAULT '',
    search_key   TEXT NOT NULL DEFAULT '',
    deleted_at   TIMESTAMP,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (account_id, id),
    FOREIGN KEY (account_id, employee_id) REFERENCES employees (account_id, id),
    FOREIGN KEY (account_id, business_id) REFERENCES businesses (account_id, id)
);
CREATE INDEX clients_by_name ON clients (account_id, deleted_at, name, id);
CREATE INDEX clients_by_employee ON clients (account_id, employee_id);

-- Contact persons of a client.
CREATE TABLE client_persons (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    client_id   INTEGER NOT NULL,
    first_name  TEXT NOT NULL DEFAULT '',
    last_name   TEXT NOT NULL DEFAULT '',
    role        TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    birthday    TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    FOREIGN KEY (account_id, client_id) REFERENCES clients (account_id, id) ON DELETE CASCADE
);
CREATE INDEX client_persons_by_client ON client_persons (account_id, client_id, id);

-- +goose Down
DROP TABLE client_persons;
DROP TABLE clients;
