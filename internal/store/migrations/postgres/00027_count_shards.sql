-- +goose Up
-- Counts every writer of an account changes, in shards. A kept count is one
-- row per account (client_counts, 00008; feed_versions, 00023) or per
-- employee and status (task_employee_counts, 00024), and PostgreSQL keeps
-- a changed row locked until the transaction has committed, its WAL flushed:
-- concurrent writes of one account then commit one after another, one WAL
-- flush each, where PostgreSQL would flush several commits at once. Each row
-- becomes up to 16 rows, one per shard, and a writer bumps the shard of its
-- backend (pg_backend_pid() % 16: one transaction at a time per backend, so
-- two concurrent writers meet only when their backends share a shard); the
-- count is the shards' sum, the feed's version their sum too (it grows by at
-- least one with every commit that bumps it, so it never repeats) and its
-- time their latest. A shard's count may go below zero (a client trashed on
-- another shard than it was added on); only the sum is meaningful. SQLite,
-- with one writer at a time, keeps its single rows (the sums read them).
ALTER TABLE client_counts ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE client_counts DROP CONSTRAINT client_counts_pkey;
ALTER TABLE client_counts ADD PRIMARY KEY (account_id, shard);

ALTER TABLE feed_versions ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE feed_versions DROP CONSTRAINT feed_versions_pkey;
ALTER TABLE feed_versions ADD PRIMARY KEY (account_id, shard);

ALTER TABLE task_employee_counts ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE task_employee_counts DROP CONSTRAINT task_employee_counts_pkey;
ALTER TABLE task_employee_counts ADD PRIMARY KEY (account_id, employee_id, status, shard);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION feed_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
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
    INSERT INTO feed_versions (account_id, shard, version, changed_unix)
        VALUES (acc, pg_backend_pid() % 16, 1, extract(epoch FROM clock_timestamp())::bigint)
        ON CONFLICT (account_id, shard) DO UPDATE SET version = feed_versions.version + 1, changed_unix = excluded.changed_unix;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION task_employees_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO task_employee_counts (account_id, employee_id, status, shard, n)
            VALUES (OLD.account_id, OLD.employee_id, OLD.status, pg_backend_pid() % 16, -1)
            ON CONFLICT (account_id, employee_id, status, shard) DO UPDATE SET n = task_employee_counts.n - 1;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO task_employee_counts (account_id, employee_id, status, shard, n)
            VALUES (NEW.account_id, NEW.employee_id, NEW.status, pg_backend_pid() % 16, 1)
            ON CONFLICT (account_id, employee_id, status, shard) DO UPDATE SET n = task_employee_counts.n + 1;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION task_employees_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE task_employee_counts SET n = n - 1
            WHERE account_id = OLD.account_id AND employee_id = OLD.employee_id AND status = OLD.status;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO task_employee_counts (account_id, employee_id, status, n) VALUES (NEW.account_id, NEW.employee_id, NEW.status, 1)
            ON CONFLICT (account_id, employee_id, status) DO UPDATE SET n = task_employee_counts.n + 1;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION feed_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
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
-- The shards are summed back into shard 0 before it is the only row again.
CREATE TEMPORARY TABLE sums AS SELECT account_id, SUM(live) AS live, SUM(trashed) AS trashed FROM client_counts GROUP BY account_id;
DELETE FROM client_counts;
ALTER TABLE client_counts DROP CONSTRAINT client_counts_pkey;
ALTER TABLE client_counts DROP COLUMN shard;
INSERT INTO client_counts (account_id, live, trashed) SELECT account_id, live, trashed FROM sums;
ALTER TABLE client_counts ADD PRIMARY KEY (account_id);
DROP TABLE sums;
CREATE TEMPORARY TABLE sums AS SELECT account_id, SUM(version) AS version, MAX(changed_unix) AS changed_unix FROM feed_versions GROUP BY account_id;
DELETE FROM feed_versions;
ALTER TABLE feed_versions DROP CONSTRAINT feed_versions_pkey;
ALTER TABLE feed_versions DROP COLUMN shard;
INSERT INTO feed_versions (account_id, version, changed_unix) SELECT account_id, version, changed_unix FROM sums;
ALTER TABLE feed_versions ADD PRIMARY KEY (account_id);
DROP TABLE sums;
CREATE TEMPORARY TABLE sums AS SELECT account_id, employee_id, status, SUM(n) AS n FROM task_employee_counts GROUP BY account_id, employee_id, status;
DELETE FROM task_employee_counts;
ALTER TABLE task_employee_counts DROP CONSTRAINT task_employee_counts_pkey;
ALTER TABLE task_employee_counts DROP COLUMN shard;
INSERT INTO task_employee_counts (account_id, employee_id, status, n) SELECT account_id, employee_id, status, n FROM sums;
ALTER TABLE task_employee_counts ADD PRIMARY KEY (account_id, employee_id, status);
DROP TABLE sums;
