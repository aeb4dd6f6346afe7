-- +goose Up
-- A calendar range asks for the tasks whose span overlaps it:
-- span_start < to AND span_end > from. Open on one side, that read every
-- task that began before the range's end (125 000 of 300 000 index entries
-- for a month, to keep 13 000). Tasks whose span lasts at most
-- store.ShortSpan (a week: nearly every single task) are marked here, so
-- that for them the range is bounded on both sides (span_start >= from -
-- ShortSpan); the rest (series, long tasks: a few per cent) keep the open
-- range, in their own part of the same index. The default is the open,
-- always correct class: a row written without the mark is only slower to
-- find.
ALTER TABLE tasks ADD COLUMN span_long BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE tasks SET span_long = (span_end IS NULL OR span_end - span_start > interval '7 days');
DROP INDEX tasks_by_span;
CREATE INDEX tasks_by_span_class ON tasks (account_id, span_long, span_start, span_end);

-- +goose Down
DROP INDEX tasks_by_span_class;
CREATE INDEX tasks_by_span ON tasks (account_id, span_start, span_end);
ALTER TABLE tasks DROP COLUMN span_long;
