-- +goose Up
-- The calendar's month keeps the account's series of a range with their
-- groups' colours (service.calendarSeries), valid for the account's
-- version of 00023: a task's groups and a group's colour now bump it too.
CREATE CONSTRAINT TRIGGER task_groups_feed AFTER INSERT OR UPDATE OR DELETE ON task_groups
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION feed_version_bump();
CREATE CONSTRAINT TRIGGER task_group_members_feed AFTER INSERT OR UPDATE OR DELETE ON task_group_members
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION feed_version_bump();

-- +goose Down
DROP TRIGGER task_group_members_feed ON task_group_members;
DROP TRIGGER task_groups_feed ON task_groups;
