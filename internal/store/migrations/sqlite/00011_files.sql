-- +goose Up
-- Files: the metadata of uploaded files; their bytes live in the blob store
-- under blob_key (random, never the user's file name). A file sits in one
-- folder or at the top, and may be attached to a client and/or an employee;
-- later migrations add task_id and document_id the same way. Every foreign
-- key includes account_id, so a file can only point at its own account's
-- records. Clients and employees are detached by the service before they
-- are removed (no ON DELETE action: a missed detach fails loudly).
CREATE TABLE file_folders (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,                 -- lower-cased name: unique per account
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (account_id, id),
    UNIQUE (account_id, name_key)
);

CREATE TABLE files (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    folder_id    INTEGER,
    client_id    INTEGER,
    employee_id  INTEGER,
    name         TEXT NOT NULL,                -- the original name, shown and sent on download
    search_key   TEXT NOT NULL DEFAULT '',
    size         INTEGER NOT NULL,             -- bytes
    media_type   TEXT NOT NULL,                -- sniffed from the first 512 bytes at upload
    sha256       TEXT NOT NULL,                -- hex digest of the bytes
    blob_key     TEXT NOT NULL UNIQUE,
    uploaded_by  INTEGER,                      -- the user, if still there
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (account_id, id),
    FOREIGN KEY (account_id, folder_id) REFERENCES file_folders (account_id, id),
    FOREIGN KEY (account_id, client_id) REFERENCES clients (account_id, id),
    FOREIGN KEY (account_id, employee_id) REFERENCES employees (account_id, id)
);
CREATE INDEX files_by_folder ON files (account_id, folder_id, name);
CREATE INDEX files_by_client ON files (account_id, client_id);
CREATE INDEX files_by_employee ON files (account_id, employee_id);

-- Blob keys whose bytes may have no file: written before an upload's bytes
-- and in the transaction that deletes a file; removed once the bytes are
-- referenced or gone. The cleanup deletes the bytes of old entries, so a
-- crash between the blob store and the database leaves no orphan bytes.
CREATE TABLE file_blobs_pending (
    blob_key    TEXT PRIMARY KEY,
    account_id  INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX file_blobs_pending_by_age ON file_blobs_pending (created_at);

-- +goose Down
DROP TABLE file_blobs_pending;
DROP TABLE files;
DROP TABLE file_folders;
