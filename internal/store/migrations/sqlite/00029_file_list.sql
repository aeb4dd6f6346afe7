-- +goose Up
-- The file list at 50 000 files (issue 6). Each page counted every file
-- and summed every file's size (the quota bar) and sorted the account's
-- files for its 50 rows. Now:
-- * file_counts keeps each account's number of files and their bytes, and
--   file_folders.files each folder's number of files (the list's folders
--   counted 2 000 index entries each, 40 000 a page), kept by triggers so
--   that no write path (uploads, moves, deletes, an account's removal) can
--   forget them. file_counts has no foreign key, as feed_versions (00023):
--   the trigger of a file removed with its account would fail on it.
-- * each order of the list has an index that ends in it, so that a page
--   reads its 50 entries in order (the folder's too); the name's index
--   carries the search key, so a search in names is checked in the index.
CREATE TABLE file_counts (
    account_id  INTEGER PRIMARY KEY,
    files       INTEGER NOT NULL DEFAULT 0,
    bytes       INTEGER NOT NULL DEFAULT 0
);
INSERT INTO file_counts (account_id, files, bytes) SELECT account_id, COUNT(*), SUM(size) FROM files GROUP BY account_id;
ALTER TABLE file_folders ADD COLUMN files INTEGER NOT NULL DEFAULT 0;
UPDATE file_folders SET files = (SELECT COUNT(*) FROM files f WHERE f.account_id = file_folders.account_id AND f.folder_id = file_folders.id);
-- +goose StatementBegin
CREATE TRIGGER files_count_insert AFTER INSERT ON files BEGIN
    INSERT INTO file_counts (account_id, files, bytes) VALUES (new.account_id, 1, new.size)
        ON CONFLICT (account_id) DO UPDATE SET files = files + 1, bytes = bytes + excluded.bytes;
    UPDATE file_folders SET files = files + 1 WHERE account_id = new.account_id AND id = new.folder_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER files_count_delete AFTER DELETE ON files BEGIN
    UPDATE file_counts SET files = files - 1, bytes = bytes - old.size WHERE account_id = old.account_id;
    UPDATE file_folders SET files = files - 1 WHERE account_id = old.account_id AND id = old.folder_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER files_count_size AFTER UPDATE OF size ON files BEGIN
    UPDATE file_counts SET bytes = bytes - old.size + new.size WHERE account_id = new.account_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER files_count_folder AFTER UPDATE OF folder_id ON files WHEN old.folder_id IS NOT new.folder_id BEGIN
    UPDATE file_folders SET files = files - 1 WHERE account_id = old.account_id AND id = old.folder_id;
    UPDATE file_folders SET files = files + 1 WHERE account_id = new.account_id AND id = new.folder_id;
END;
-- +goose StatementEnd

DROP INDEX files_by_folder;
CREATE INDEX files_by_folder ON files (account_id, folder_id, search_key, name);
CREATE INDEX files_by_name ON files (account_id, search_key, name);
CREATE INDEX files_by_size ON files (account_id, size);
CREATE INDEX files_by_folder_size ON files (account_id, folder_id, size);
ANALYZE files;

-- +goose Down
DROP INDEX files_by_folder_size;
DROP INDEX files_by_size;
DROP INDEX files_by_name;
DROP INDEX files_by_folder;
CREATE INDEX files_by_folder ON files (account_id, folder_id, name);
DROP TRIGGER files_count_folder;
DROP TRIGGER files_count_size;
DROP TRIGGER files_count_delete;
DROP TRIGGER files_count_insert;
DROP TABLE file_counts;
ALTER TABLE file_folders DROP COLUMN files;
