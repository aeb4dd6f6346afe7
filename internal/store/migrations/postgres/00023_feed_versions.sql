-- +goose Up
-- The version of what an account's calendar feeds show (issue 5). Every
-- write of a row a feed is made of bumps its account's version in the same
-- transaction: triggers, so that no write path (the store's methods, bulk
-- loads, imports, demo seeding) can forget it. A feed kept from an earlier
-- poll is answered again (or 304) only while the version is the one it was
-- made at (service.CalendarFeed). Users' scope, employee, locale and
-- activity and the account's name and time zone bump it too, so that
-- Last-Modified moves with every change of the document.
-- changed_unix is the time of the last bump (seconds since 1970, UTC).
-- No foreign key: triggers of rows removed with their account would
-- otherwise fail; accounts are not deleted.
CREATE TABLE feed_versions (
    account_id    BIGINT PRIMARY KEY,
    version       BIGINT NOT NULL DEFAULT 0,
    changed_unix  BIGINT NOT NULL DEFAULT 0
);

-- On PostgreSQL the bump is a deferred constraint trigger: it runs at
-- commit, once per transaction and account (a transaction-local setting
-- remembers it), so the account's row is locked only while committing,
-- not from a transaction's first write to its end, and a bulk load of
-- 100 000 rows updates it once.
-- +goose StatementBegin
CREATE FUNCTION feed_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    acc bigint;
    done text;
BEGIN
    IF TG_TABLE_NAME = 'accounts' THEN
        acc := NEW.id;
    ELSIF TG_OP = 'DELETE' THEN
        acc := OLD.account_id;
    ELSE
        acc := NEW.account_id;
    END IF;
    done := 'klientela.feed_bumped_' || acc;
    IF current_setting(done, true) = '1' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config(done, '1', true);
    INSERT INTO feed_versions (account_id, version, changed_unix)
        VALUES (acc, 1, extract(epoch FROM clock_timestamp())::bigint)
        ON CONFLICT (account_id) DO UPDATE SET version = feed_versions.version + 1, changed_unix = excluded.changed_unix;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER tasks_feed AFTER INSERT OR UPDATE OR DELETE ON tasks
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION feed_version_bump();
CREATE CONSTRAINT TRIGGER task_employees_feed AFTER INSERT OR UPDATE OR DELETE ON task_employees
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION feed_version_bump();
CREATE CONSTRAINT TRIGGER task_exceptions_feed AFTER INSERT OR UPDATE OR DELETE ON task_exceptions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION feed_version_bump();
CREATE CONSTRAINT TRIGGER planned_contacts_feed AFTER INSERT OR UPDATE OR DELETE ON planned_contacts
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION feed_version_bump();
CREATE CONSTRAINT TRIGGER clients_feed AFTER INSERT OR UPDATE OR DELETE ON clients
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION feed_version_bump();
CREATE CONSTRAINT TRIGGER client_persons_feed AFTER INSERT OR UPDATE OR DELETE ON client_persons
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION feed_version_bump();
CREATE CONSTRAINT TRIGGER client_dates_feed AFTER INSERT OR UPDATE OR DELETE ON client_dates
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION feed_version_bump();
CREATE CONSTRAINT TRIGGER employees_feed AFTER INSERT OR UPDATE OR DELETE ON employees
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION feed_version_bump();
CREATE CONSTRAINT TRIGGER users_feed AFTER UPDATE OF scope, employee_id, locale, active, role ON users
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION feed_version_bump();
CREATE CONSTRAINT TRIGGER accounts_feed AFTER UPDATE OF name, time_zone ON accounts
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION feed_version_bump();

-- +goose Down
DROP TRIGGER tasks_feed ON tasks;
DROP TRIGGER task_employees_feed ON task_employees;
DROP TRIGGER task_exceptions_feed ON task_exceptions;
DROP TRIGGER planned_contacts_feed ON planned_contacts;
DROP TRIGGER clients_feed ON clients;
DROP TRIGGER client_persons_feed ON client_persons;
DROP TRIGGER client_dates_feed ON client_dates;
DROP TRIGGER employees_feed ON employees;
DROP TRIGGER users_feed ON users;
DROP TRIGGER accounts_feed ON accounts;
DROP FUNCTION feed_version_bump();
DROP TABLE feed_versions;
