-- +goose Up
-- Files can be attached to a task, as to clients, employees and documents.
-- A task is deleted (on its own or with its client) only after its files
-- are taken off it: they stay in the account, attached to nothing (no ON
-- DELETE action, so a missed detach fails loudly).
ALTER TABLE files ADD COLUMN task_id BIGINT;
ALTER TABLE files ADD FOREIGN KEY (account_id, task_id) REFERENCES tasks (account_id, id);
CREATE INDEX files_by_task ON files (account_id, task_id);

-- +goose Down
DROP INDEX files_by_task;
ALTER TABLE files DROP COLUMN task_id;
