-- +goose Up
-- The client search index. clients.search_key (folded: lower case, no
-- diacritics) stays the source of truth and the exact filter; this FTS5
-- table with the trigram tokenizer finds the candidate rows of every query
-- term of 3 or more characters without reading the whole account. It is an
-- external-content table over clients, kept in step by the triggers below.
CREATE VIRTUAL TABLE clients_search USING fts5(search_key, content='clients', content_rowid='id', tokenize='trigram');
INSERT INTO clients_search (clients_search) VALUES ('rebuild');

-- +goose StatementBegin
CREATE TRIGGER clients_search_insert AFTER INSERT ON clients BEGIN
    INSERT INTO clients_search (rowid, search_key) VALUES (new.id, new.search_key);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER clients_search_delete AFTER DELETE ON clients BEGIN
    INSERT INTO clients_search (clients_search, rowid, search_key) VALUES ('delete', old.id, old.search_key);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER clients_search_update AFTER UPDATE OF search_key ON clients BEGIN
    INSERT INTO clients_search (clients_search, rowid, search_key) VALUES ('delete', old.id, old.search_key);
    INSERT INTO clients_search (rowid, search_key) VALUES (new.id, new.search_key);
END;
-- +goose StatementEnd


-- The number of each account's clients, in the list and in the trash, kept
-- by the store's writes of clients in the same transaction: the unfiltered
-- list shows its total without counting 100 000 index entries per page.
CREATE TABLE client_counts (
    account_id  INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    live        INTEGER NOT NULL DEFAULT 0,
    trashed     INTEGER NOT NULL DEFAULT 0
);
INSERT INTO client_counts (account_id, live, trashed)
    SELECT account_id, SUM(CASE WHEN deleted_at IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END) FROM clients GROUP BY account_id;

-- +goose Down
DROP TABLE client_counts;
DROP TRIGGER clients_search_update;
DROP TRIGGER clients_search_delete;
DROP TRIGGER clients_search_insert;
DROP TABLE clients_search;
