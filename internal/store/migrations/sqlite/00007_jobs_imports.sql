-- +goose Up
-- Background jobs: work that runs outside a request (imports now, reminders
-- later). Any instance may run a job: it claims it by setting locked_by and
-- a lease (locked_until) that it renews while it works; a job whose lease
-- ran out (its instance died) is claimed again.
CREATE TABLE jobs (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    progress      INTEGER NOT NULL DEFAULT 0,
    total         INTEGER NOT NULL DEFAULT 0,
    payload       TEXT NOT NULL DEFAULT '{}',   -- JSON, the kind's input
    result        TEXT NOT NULL DEFAULT '{}',   -- JSON, the kind's output
    error         TEXT NOT NULL DEFAULT '',     -- why the last attempt failed (for the log, not for users)
    attempts      INTEGER NOT NULL DEFAULT 0,
    max_attempts  INTEGER NOT NULL DEFAULT 3,
    user_id       INTEGER,                      -- who started it; the job acts as them
    run_at        TIMESTAMP NOT NULL,
    locked_by     TEXT NOT NULL DEFAULT '',
    locked_until  TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    UNIQUE (account_id, id)
);
CREATE INDEX jobs_due ON jobs (state, run_at);
CREATE INDEX jobs_finished ON jobs (finished_at);

-- Uploaded files waiting to be imported. The bytes live in the database so
-- that every instance can read them; they go when the import finishes, or
-- after 24 hours.
CREATE TABLE import_files (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    data        BLOB NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (account_id, id)
);
CREATE INDEX import_files_by_age ON import_files (created_at);

-- Client imports: one uploaded CSV file, how its columns map to client
-- fields, and once started, its job and what it did.
CREATE TABLE client_imports (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    file_id     INTEGER,                        -- import_files row; NULL once removed
    job_id      INTEGER,                        -- NULL until started
    file_name   TEXT NOT NULL DEFAULT '',
    file_size   INTEGER NOT NULL DEFAULT 0,
    encoding    TEXT NOT NULL DEFAULT '',       -- 'utf-8' | 'windows-1250'
    delimiter   TEXT NOT NULL DEFAULT ';',
    header      TEXT NOT NULL DEFAULT '[]',     -- JSON array: the file's column names
    row_count   INTEGER NOT NULL DEFAULT 0,     -- data rows (without the header)
    mapping     TEXT NOT NULL DEFAULT '[]',     -- JSON array: client field per column, '' to skip
    duplicates  TEXT NOT NULL DEFAULT 'skip',   -- 'skip' | 'merge'
    on_error    TEXT NOT NULL DEFAULT 'skip',   -- 'skip' | 'abort'
    rows_done   INTEGER NOT NULL DEFAULT 0,     -- rows processed, saved with each batch (a retaken job resumes here)
    result      TEXT NOT NULL DEFAULT '{}',     -- JSON summary, saved with each batch
    undone_at   TIMESTAMP,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (account_id, id)
);
CREATE INDEX client_imports_by_job ON client_imports (account_id, job_id);

-- What an import did to each client: created it, or merged a row into it
-- (with the client as it was before, to undo the merge).
CREATE TABLE client_import_changes (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    import_id   INTEGER NOT NULL,
    client_id   INTEGER NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('created', 'merged')),
    before      TEXT NOT NULL DEFAULT '',       -- JSON of the merged client before the import
    PRIMARY KEY (account_id, import_id, client_id),
    FOREIGN KEY (account_id, import_id) REFERENCES client_imports (account_id, id) ON DELETE CASCADE
);

-- The column mapping an account chose for a header set, offered again
-- when a file with the same columns comes.
CREATE TABLE import_mappings (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    header_key  TEXT NOT NULL,                  -- digest of the folded column names
    mapping     TEXT NOT NULL,                  -- JSON array, as client_imports.mapping
    updated_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, header_key)
);

-- +goose Down
DROP TABLE import_mappings;
DROP TABLE client_import_changes;
DROP TABLE client_imports;
DROP TABLE import_files;
DROP TABLE jobs;
