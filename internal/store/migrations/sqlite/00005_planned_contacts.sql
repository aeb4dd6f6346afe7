-- +goose Up
-- Planned contacts: orders for an employee to contact a client at a given
-- time. Deleting a client (or its account) removes its contacts.
CREATE TABLE planned_contacts (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    client_id    INTEGER NOT NULL,
    person_id    INTEGER,                       -- a contact person of the client, or NULL
    employee_id  INTEGER NOT NULL,
    at           TIMESTAMP NOT NULL,
    channel      TEXT NOT NULL,                 -- 'phone' | 'email' | 'meeting' | 'visit'
    subject      TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'planned', -- 'planned' | 'done' | 'cancelled'
    outcome      TEXT NOT NULL DEFAULT '',      -- '' | 'success' | 'no_answer' | 'postponed' | 'refused'
    outcome_note TEXT NOT NULL DEFAULT '',
    done_at      TIMESTAMP,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (account_id, id),
    FOREIGN KEY (account_id, client_id) REFERENCES clients (account_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, employee_id) REFERENCES employees (account_id, id),
    FOREIGN KEY (person_id) REFERENCES client_persons (id) ON DELETE SET NULL
);
CREATE INDEX planned_contacts_queue ON planned_contacts (account_id, employee_id, status, at);
CREATE INDEX planned_contacts_by_client ON planned_contacts (account_id, client_id, at);

-- +goose Down
DROP TABLE planned_contacts;
