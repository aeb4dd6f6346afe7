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
    account_id    INTEGER PRIMARY KEY,
    version       INTEGER NOT NULL DEFAULT 0,
    changed_unix  INTEGER NOT NULL DEFAULT 0
);
-- +goose StatementBegin
CREATE TRIGGER tasks_feed_insert AFTER INSERT ON tasks BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (new.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tasks_feed_update AFTER UPDATE ON tasks BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (new.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tasks_feed_delete AFTER DELETE ON tasks BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (old.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER task_employees_feed_insert AFTER INSERT ON task_employees BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (new.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER task_employees_feed_update AFTER UPDATE ON task_employees BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (new.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER task_employees_feed_delete AFTER DELETE ON task_employees BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (old.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER task_exceptions_feed_insert AFTER INSERT ON task_exceptions BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (new.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER task_exceptions_feed_update AFTER UPDATE ON task_exceptions BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (new.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER task_exceptions_feed_delete AFTER DELETE ON task_exceptions BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (old.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER planned_contacts_feed_insert AFTER INSERT ON planned_contacts BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (new.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER planned_contacts_feed_update AFTER UPDATE ON planned_contacts BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (new.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER planned_contacts_feed_delete AFTER DELETE ON planned_contacts BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (old.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER clients_feed_insert AFTER INSERT ON clients BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (new.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER clients_feed_update AFTER UPDATE ON clients BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (new.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER clients_feed_delete AFTER DELETE ON clients BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (old.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER client_persons_feed_insert AFTER INSERT ON client_persons BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (new.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER client_persons_feed_update AFTER UPDATE ON client_persons BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (new.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER client_persons_feed_delete AFTER DELETE ON client_persons BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (old.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER client_dates_feed_insert AFTER INSERT ON client_dates BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (new.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER client_dates_feed_update AFTER UPDATE ON client_dates BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (new.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER client_dates_feed_delete AFTER DELETE ON client_dates BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (old.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER employees_feed_insert AFTER INSERT ON employees BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (new.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER employees_feed_update AFTER UPDATE ON employees BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (new.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER employees_feed_delete AFTER DELETE ON employees BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (old.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_feed_update AFTER UPDATE OF scope, employee_id, locale, active, role ON users BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (new.account_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER accounts_feed_update AFTER UPDATE OF name, time_zone ON accounts BEGIN
    INSERT INTO feed_versions (account_id, version, changed_unix) VALUES (new.id, 1, CAST(strftime('%s', 'now') AS INTEGER))
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1, changed_unix = excluded.changed_unix;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER tasks_feed_insert;
DROP TRIGGER tasks_feed_update;
DROP TRIGGER tasks_feed_delete;
DROP TRIGGER task_employees_feed_insert;
DROP TRIGGER task_employees_feed_update;
DROP TRIGGER task_employees_feed_delete;
DROP TRIGGER task_exceptions_feed_insert;
DROP TRIGGER task_exceptions_feed_update;
DROP TRIGGER task_exceptions_feed_delete;
DROP TRIGGER planned_contacts_feed_insert;
DROP TRIGGER planned_contacts_feed_update;
DROP TRIGGER planned_contacts_feed_delete;
DROP TRIGGER clients_feed_insert;
DROP TRIGGER clients_feed_update;
DROP TRIGGER clients_feed_delete;
DROP TRIGGER client_persons_feed_insert;
DROP TRIGGER client_persons_feed_update;
DROP TRIGGER client_persons_feed_delete;
DROP TRIGGER client_dates_feed_insert;
DROP TRIGGER client_dates_feed_update;
DROP TRIGGER client_dates_feed_delete;
DROP TRIGGER employees_feed_insert;
DROP TRIGGER employees_feed_update;
DROP TRIGGER employees_feed_delete;
DROP TRIGGER users_feed_update;
DROP TRIGGER accounts_feed_update;
DROP TABLE feed_versions;
