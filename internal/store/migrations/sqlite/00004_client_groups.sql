-- +goose Up
-- Client groups: named, coloured sets of clients. A client belongs to any
-- number of groups; deleting a group or a client removes the memberships.
CREATE TABLE client_groups (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,                 -- lower-cased name: unique per account
    color       TEXT NOT NULL DEFAULT '#6b7280', -- '#rrggbb'
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (account_id, id),
    UNIQUE (account_id, name_key)
);

CREATE TABLE client_group_members (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    group_id    INTEGER NOT NULL,
    client_id   INTEGER NOT NULL,
    PRIMARY KEY (account_id, group_id, client_id),
    FOREIGN KEY (account_id, group_id) REFERENCES client_groups (account_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, client_id) REFERENCES clients (account_id, id) ON DELETE CASCADE
);
CREATE INDEX client_group_members_by_client ON client_group_members (account_id, client_id);

-- +goose Down
DROP TABLE client_group_members;
DROP TABLE client_groups;
