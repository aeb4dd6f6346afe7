-- +goose Up
-- The calendar's month keeps the account's series of a range with their
-- groups' colours (service.calendarSeries), valid for the account's
-- version of 00023: a task's groups and a group's colour now bump it too.
-- +goose StatementBegin
CREATE TRIGGER task_groups_feed_insert AFTER INSERT ON task_groups BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (new.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER task_groups_feed_update AFTER UPDATE ON task_groups BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (new.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER task_groups_feed_delete AFTER DELETE ON task_groups BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (old.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER task_group_members_feed_insert AFTER INSERT ON task_group_members BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (new.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER task_group_members_feed_update AFTER UPDATE ON task_group_members BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (new.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER task_group_members_feed_delete AFTER DELETE ON task_group_members BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (old.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER task_groups_feed_insert;
DROP TRIGGER task_groups_feed_update;
DROP TRIGGER task_groups_feed_delete;
DROP TRIGGER task_group_members_feed_insert;
DROP TRIGGER task_group_members_feed_update;
DROP TRIGGER task_group_members_feed_delete;
