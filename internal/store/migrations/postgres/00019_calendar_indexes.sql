-- +goose Up
-- Indexes of the calendar (issue 5 at 300 000 tasks and contacts).
--
-- A calendar range asks for the tasks whose span overlaps it:
-- span_start < to AND span_end > from. Open on one side, that read every
-- task that began before the range's end (125 000 of 300 000 index entries
-- for a month, to keep 13 000). tasks.span_class sorts the tasks into
-- 0: single tasks whose span lasts at most store.ShortSpan (a week: nearly
-- all), found by a range bounded on both sides (span_start >= from -
-- ShortSpan); 1: longer single tasks and 2: series, which keep the open
-- range, each in its own small part of the index (a month view reads the
-- series alone, and the single tasks begun before it alone). Every path
-- that writes tasks sets it (store.spanClass).
ALTER TABLE tasks ADD COLUMN span_class SMALLINT NOT NULL DEFAULT 2;
UPDATE tasks SET span_class = CASE WHEN recurrence <> '' THEN 2
    WHEN span_end IS NULL OR span_end - span_start > interval '7 days' THEN 1 ELSE 0 END;
DROP INDEX tasks_by_span;
CREATE INDEX tasks_by_span_class ON tasks (account_id, span_class, span_start, span_end);

-- The capped month view counts the birthdays of each day and reads only
-- the first few (store.BirthdayDays): the clients' count from this index
-- alone (SQLite: 0.14 ms a day instead of 3.7 ms of row reads at 100 000
-- clients), the persons' first ones in the order of the client. The
-- indexes of 00017 are their prefixes, so they serve what those did.
CREATE INDEX clients_birthday_md_scope ON clients (account_id, (substr(birthday, 6, 5)), deleted_at, employee_id);
DROP INDEX clients_birthday_md;
CREATE INDEX client_persons_birthday_md_client ON client_persons (account_id, (substr(birthday, 6, 5)), client_id);
DROP INDEX client_persons_birthday_md;

-- +goose Down
CREATE INDEX client_persons_birthday_md ON client_persons (account_id, (substr(birthday, 6, 5)));
DROP INDEX client_persons_birthday_md_client;
CREATE INDEX clients_birthday_md ON clients (account_id, (substr(birthday, 6, 5)));
DROP INDEX clients_birthday_md_scope;
DROP INDEX tasks_by_span_class;
CREATE INDEX tasks_by_span ON tasks (account_id, span_start, span_end);
ALTER TABLE tasks DROP COLUMN span_class;
