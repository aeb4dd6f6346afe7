-- +goose Up
-- Documents written in Klientela: a title and a body of sanitised HTML (what
-- the editor produces, cleaned by an allow-list before it is stored), with an
-- optional client and business, tags, and a flag that makes it a template
-- with merge fields. search_key is folded from the title and the body's text;
-- title_key (the folded title) orders the list.
CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    title_key    TEXT NOT NULL DEFAULT '',
    body_html    TEXT NOT NULL DEFAULT '',
    search_key   TEXT NOT NULL DEFAULT '',
    client_id    INTEGER,
    business_id  INTEGER,
    is_template  BOOLEAN NOT NULL DEFAULT FALSE,
    created_by   INTEGER,                      -- the user, if still there
    updated_by   INTEGER,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (account_id, id),
    FOREIGN KEY (account_id, client_id) REFERENCES clients (account_id, id),
    FOREIGN KEY (account_id, business_id) REFERENCES businesses (account_id, id)
);
CREATE INDEX documents_by_updated ON documents (account_id, updated_at, id);
CREATE INDEX documents_by_title ON documents (account_id, title_key, id);
CREATE INDEX documents_by_client ON documents (account_id, client_id, updated_at);

-- Free-form tags of a document; tag_key (lower-cased) is unique per document.
CREATE TABLE document_tags (
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    document_id  INTEGER NOT NULL,
    tag_key      TEXT NOT NULL,
    tag          TEXT NOT NULL,
    PRIMARY KEY (account_id, document_id, tag_key),
    FOREIGN KEY (account_id, document_id) REFERENCES documents (account_id, id) ON DELETE CASCADE
);
CREATE INDEX document_tags_by_tag ON document_tags (account_id, tag_key, document_id);

-- Versions: the body after every save that changed it. Autosaves of one
-- user within a few minutes are folded into one version (updated_at moves).
CREATE TABLE document_versions (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    document_id  INTEGER NOT NULL,
    title        TEXT NOT NULL,
    body_html    TEXT NOT NULL,
    autosave     BOOLEAN NOT NULL DEFAULT FALSE,
    restored_from INTEGER,                     -- the version a restore copied
    created_by   INTEGER,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (account_id, id),
    FOREIGN KEY (account_id, document_id) REFERENCES documents (account_id, id) ON DELETE CASCADE
);
CREATE INDEX document_versions_by_document ON document_versions (account_id, document_id, id);

-- Files can be attached to a document (images uploaded into it, or any
-- file). SQLite cannot add a two-column foreign key to an existing table;
-- the service checks that the document is of the same account.
ALTER TABLE files ADD COLUMN document_id INTEGER REFERENCES documents (id);
CREATE INDEX files_by_document ON files (account_id, document_id);

-- +goose Down
DROP INDEX files_by_document;
ALTER TABLE files DROP COLUMN document_id;
DROP TABLE document_versions;
DROP TABLE document_tags;
DROP TABLE documents;
