-- +goose Up
-- Tasks: work that lasts from start to end, assigned to employees, in
-- groups, optionally for a client, possibly repeating (an RFC 5545 RRULE
-- with exceptions for single occurrences). Deleting a client (or its
-- account) removes its tasks; an employee with tasks is not deleted.
CREATE TABLE task_groups (
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

CREATE TABLE tasks (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    start_at     TIMESTAMP NOT NULL,
    end_at       TIMESTAMP NOT NULL,
    all_day      BOOLEAN NOT NULL DEFAULT 0,
    status       TEXT NOT NULL DEFAULT 'todo',   -- 'todo' | 'in_progress' | 'done' | 'cancelled'
    priority     TEXT NOT NULL DEFAULT 'normal', -- 'low' | 'normal' | 'high' | 'urgent'
    client_id    INTEGER,
    remind_at    TIMESTAMP,
    recurrence   TEXT NOT NULL DEFAULT '',       -- RRULE; '' for a single task
    span_start   TIMESTAMP NOT NULL,             -- first start of any occurrence
    span_end     TIMESTAMP,                      -- last end of any occurrence; NULL: a series without end
    search_key   TEXT NOT NULL DEFAULT '',
    done_at      TIMESTAMP,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (account_id, id),
    FOREIGN KEY (account_id, client_id) REFERENCES clients (account_id, id) ON DELETE CASCADE
);
CREATE INDEX tasks_by_start ON tasks (account_id, start_at, id);
CREATE INDEX tasks_by_span ON tasks (account_id, span_start, span_end);
CREATE INDEX tasks_by_client ON tasks (account_id, client_id, start_at);
CREATE INDEX tasks_open ON tasks (account_id, status, end_at);

CREATE TABLE task_employees (
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    task_id      INTEGER NOT NULL,
    employee_id  INTEGER NOT NULL,
    PRIMARY KEY (account_id, task_id, employee_id),
    FOREIGN KEY (account_id, task_id) REFERENCES tasks (account_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, employee_id) REFERENCES employees (account_id, id)
);
CREATE INDEX task_employees_by_employee ON task_employees (account_id, employee_id, task_id);

CREATE TABLE task_group_members (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    task_id     INTEGER NOT NULL,
    group_id    INTEGER NOT NULL,
    PRIMARY KEY (account_id, task_id, group_id),
    FOREIGN KEY (account_id, task_id) REFERENCES tasks (account_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, group_id) REFERENCES task_groups (account_id, id) ON DELETE CASCADE
);
CREATE INDEX task_group_members_by_group ON task_group_members (account_id, group_id, task_id);

-- One changed occurrence of a recurring task, keyed by its start as the
-- rule makes it.
CREATE TABLE task_exceptions (
    account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    task_id        INTEGER NOT NULL,
    original_start TIMESTAMP NOT NULL,
    start_at       TIMESTAMP NOT NULL,
    end_at         TIMESTAMP NOT NULL,
    status         TEXT NOT NULL DEFAULT '',      -- '' keeps the series' status
    cancelled      BOOLEAN NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, task_id, original_start),
    FOREIGN KEY (account_id, task_id) REFERENCES tasks (account_id, id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE task_exceptions;
DROP TABLE task_group_members;
DROP TABLE task_employees;
DROP TABLE tasks;
DROP TABLE task_groups;
