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

-- +goose Down
DROP TRIGGER clients_search_update;
DROP TRIGGER clients_search_delete;
DROP TRIGGER clients_search_insert;
DROP TABLE clients_search;
