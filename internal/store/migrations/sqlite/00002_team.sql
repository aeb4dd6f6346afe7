-- +goose Up
-- Employees: people who appear in the CRM (tasks and client contacts are
-- assigned to them); some of them are also users who log in.
CREATE TABLE employees (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    first_name     TEXT NOT NULL,
    last_name      TEXT NOT NULL,
    position       TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    commission_bp  INTEGER NOT NULL DEFAULT 0 CHECK (commission_bp BETWEEN 0 AND 10000), -- hundredths of a percent
    color          TEXT NOT NULL DEFAULT '#2f5bea',
    notes          TEXT NOT NULL DEFAULT '',
    active         BOOLEAN NOT NULL DEFAULT 1,
    business_id    INTEGER,
    search_key     TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    UNIQUE (account_id, id),
    FOREIGN KEY (account_id, business_id) REFERENCES businesses (account_id, id)
);
CREATE INDEX employees_by_name ON employees (account_id, last_name, first_name, id);

-- A user's scope (JSON: {"permissions":{…},"own_only":[…]}) and the one
-- employee they are. An employee is at most one user.
ALTER TABLE users ADD COLUMN scope TEXT NOT NULL DEFAULT '{}';
ALTER TABLE users ADD COLUMN employee_id INTEGER REFERENCES employees (id);
CREATE UNIQUE INDEX users_one_per_employee ON users (account_id, employee_id) WHERE employee_id IS NOT NULL;

-- Businesses get their details: invoices will be issued by them.
ALTER TABLE businesses ADD COLUMN nip TEXT NOT NULL DEFAULT '';
ALTER TABLE businesses ADD COLUMN street TEXT NOT NULL DEFAULT '';
ALTER TABLE businesses ADD COLUMN postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE businesses ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE businesses ADD COLUMN country TEXT NOT NULL DEFAULT 'PL';
ALTER TABLE businesses ADD COLUMN bank_account TEXT NOT NULL DEFAULT '';
ALTER TABLE businesses ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE businesses ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE businesses ADD COLUMN logo BLOB;
ALTER TABLE businesses ADD COLUMN logo_type TEXT NOT NULL DEFAULT '';

-- The business a browser session works in, chosen in the top bar.
ALTER TABLE sessions ADD COLUMN business_id INTEGER;

-- The history of every change. Append-only: the database refuses to
-- change or remove an entry.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    at          TIMESTAMP NOT NULL,
    user_id     INTEGER,
    actor       TEXT NOT NULL DEFAULT '',
    entity      TEXT NOT NULL,
    entity_id   INTEGER NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    label       TEXT NOT NULL DEFAULT '',
    changes     TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX audit_by_entity ON audit_log (account_id, entity, entity_id, id);
CREATE INDEX audit_by_account ON audit_log (account_id, id);

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_log_no_delete;
DROP TRIGGER audit_log_no_update;
DROP TABLE audit_log;
ALTER TABLE sessions DROP COLUMN business_id;
ALTER TABLE businesses DROP COLUMN logo_type;
ALTER TABLE businesses DROP COLUMN logo;
ALTER TABLE businesses DROP COLUMN phone;
ALTER TABLE businesses DROP COLUMN email;
ALTER TABLE businesses DROP COLUMN bank_account;
ALTER TABLE businesses DROP COLUMN country;
ALTER TABLE businesses DROP COLUMN city;
ALTER TABLE businesses DROP COLUMN postal_code;
ALTER TABLE businesses DROP COLUMN street;
ALTER TABLE businesses DROP COLUMN nip;
DROP INDEX users_one_per_employee;
ALTER TABLE users DROP COLUMN employee_id;
ALTER TABLE users DROP COLUMN scope;
DROP TABLE employees;
