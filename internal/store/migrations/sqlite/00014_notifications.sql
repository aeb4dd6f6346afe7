-- +goose Up
-- In-app notifications and the reminders that make them.
--
-- reminders holds, for every task with a reminder and every planned
-- contact, the next time someone is to be told (due_at; NULL when nothing
-- is pending) and what was told last (fired_*), so that a reminder fires
-- once per occurrence however often the task is saved. The background
-- runner of any instance takes due rows (FOR UPDATE SKIP LOCKED on
-- PostgreSQL), writes the notifications and moves the row on, in one
-- transaction. Deleting the task or contact removes its row.
CREATE TABLE reminders (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    task_id          INTEGER,
    contact_id       INTEGER,
    due_at           TIMESTAMP,      -- when to notify next; NULL: nothing pending
    occurrence       TIMESTAMP,      -- start of the occurrence due_at is for
    fired_due        TIMESTAMP,      -- the reminder time last delivered
    fired_occurrence TIMESTAMP,      -- the occurrence last delivered
    CHECK ((task_id IS NULL) <> (contact_id IS NULL)),
    UNIQUE (account_id, id),
    FOREIGN KEY (account_id, task_id) REFERENCES tasks (account_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, contact_id) REFERENCES planned_contacts (account_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX reminders_of_task ON reminders (account_id, task_id);
CREATE UNIQUE INDEX reminders_of_contact ON reminders (account_id, contact_id);
CREATE INDEX reminders_due ON reminders (due_at) WHERE due_at IS NOT NULL;

-- A notification is one user's: kind says what it is about, subject_id
-- which record (the task or contact, also in task_id/contact_id so that
-- deleting the record withdraws its notifications), occurrence which
-- occurrence of it. A user is told about one occurrence once.
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    kind        TEXT NOT NULL,            -- 'task_reminder' | 'contact_reminder'
    subject_id  INTEGER NOT NULL,
    task_id     INTEGER,
    contact_id  INTEGER,
    occurrence  TIMESTAMP NOT NULL,       -- the task occurrence's or the contact's start
    title       TEXT NOT NULL,
    at          TIMESTAMP NOT NULL,       -- when it was delivered
    read_at     TIMESTAMP,
    UNIQUE (account_id, id),
    FOREIGN KEY (account_id, user_id) REFERENCES users (account_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, task_id) REFERENCES tasks (account_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, contact_id) REFERENCES planned_contacts (account_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX notifications_once ON notifications (account_id, user_id, kind, subject_id, occurrence);
CREATE INDEX notifications_of_user ON notifications (account_id, user_id, id);
-- The bell: a user's unread count read from this index alone (SQLite
-- needs read_at in it to see that it covers the query).
CREATE INDEX notifications_unread ON notifications (account_id, user_id, read_at, id) WHERE read_at IS NULL;
CREATE INDEX notifications_read ON notifications (read_at) WHERE read_at IS NOT NULL;
CREATE INDEX notifications_by_task ON notifications (account_id, task_id) WHERE task_id IS NOT NULL;
CREATE INDEX notifications_by_contact ON notifications (account_id, contact_id) WHERE contact_id IS NOT NULL;

-- What was planned before this version: open tasks with a reminder (the
-- runner works out a series' next occurrence when the row comes due) and
-- planned contacts still to come.
INSERT INTO reminders (account_id, task_id, due_at, occurrence)
    SELECT account_id, id, remind_at, start_at FROM tasks
    WHERE remind_at IS NOT NULL AND status IN ('todo', 'in_progress');
INSERT INTO reminders (account_id, contact_id, due_at, occurrence)
    SELECT account_id, id, datetime(at, '-15 minutes'), at FROM planned_contacts
    WHERE status = 'planned' AND at > datetime('now');

-- +goose Down
DROP TABLE notifications;
DROP TABLE reminders;
