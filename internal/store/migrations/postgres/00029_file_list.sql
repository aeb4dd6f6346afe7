-- +goose Up
-- The file list at 50 000 files (issue 6): see the SQLite migration. A
-- file's counts (its account's, its folder's) are bumped at once, not at
-- commit: an upload already holds its account's lock until it commits (the
-- quota check), and a delete is rare. The indexes end in id (SQLite's end
-- in the rowid) so that a page of equal names or sizes is read in the
-- list's order too; a trigram index serves a search in names, as for
-- clients and documents.
CREATE TABLE file_counts (
    account_id  BIGINT PRIMARY KEY,
    files       BIGINT NOT NULL DEFAULT 0,
    bytes       BIGINT NOT NULL DEFAULT 0
);
INSERT INTO file_counts (account_id, files, bytes) SELECT account_id, COUNT(*), SUM(size) FROM files GROUP BY account_id;
ALTER TABLE file_folders ADD COLUMN files BIGINT NOT NULL DEFAULT 0;
UPDATE file_folders SET files = (SELECT COUNT(*) FROM files f WHERE f.account_id = file_folders.account_id AND f.folder_id = file_folders.id);
-- +goose StatementBegin
CREATE FUNCTION files_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE file_counts SET files = files - 1, bytes = bytes - OLD.size WHERE account_id = OLD.account_id;
        UPDATE file_folders SET files = files - 1 WHERE account_id = OLD.account_id AND id = OLD.folder_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO file_counts (account_id, files, bytes) VALUES (NEW.account_id, 1, NEW.size)
            ON CONFLICT (account_id) DO UPDATE SET files = file_counts.files + 1, bytes = file_counts.bytes + excluded.bytes;
        UPDATE file_folders SET files = files + 1 WHERE account_id = NEW.account_id AND id = NEW.folder_id;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- An update counts out the old row and in the new one, only when its size
-- or folder changes (a rename leaves the counts alone).
CREATE TRIGGER files_count AFTER INSERT OR DELETE ON files
    FOR EACH ROW EXECUTE FUNCTION files_count();
CREATE TRIGGER files_count_update AFTER UPDATE OF size, account_id, folder_id ON files
    FOR EACH ROW WHEN (OLD.size IS DISTINCT FROM NEW.size OR OLD.account_id IS DISTINCT FROM NEW.account_id
        OR OLD.folder_id IS DISTINCT FROM NEW.folder_id)
    EXECUTE FUNCTION files_count();

DROP INDEX files_by_folder;
CREATE INDEX files_by_folder ON files (account_id, folder_id, search_key, name, id);
CREATE INDEX files_by_name ON files (account_id, search_key, name, id);
CREATE INDEX files_by_size ON files (account_id, size, id);
CREATE INDEX files_by_folder_size ON files (account_id, folder_id, size, id);
CREATE INDEX files_search_trgm ON files USING gin (search_key public.gin_trgm_ops);
ANALYZE files;

-- +goose Down
DROP INDEX files_search_trgm;
DROP INDEX files_by_folder_size;
DROP INDEX files_by_size;
DROP INDEX files_by_name;
DROP INDEX files_by_folder;
CREATE INDEX files_by_folder ON files (account_id, folder_id, name);
DROP TRIGGER files_count_update ON files;
DROP TRIGGER files_count ON files;
DROP FUNCTION files_count();
DROP TABLE file_counts;
ALTER TABLE file_folders DROP COLUMN files;
