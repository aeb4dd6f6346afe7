-- +goose Up
-- The number of each account's documents and templates, in all (tag_key
-- '') and per tag, kept by the store's writes of documents in the same
-- transaction (as client_counts, 00008): the document list without a
-- search shows its exact total without counting 50 000 index entries per
-- page, and a tag's total without probing its 10 000 documents.
CREATE TABLE document_counts (
    account_id  BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    tag_key     TEXT NOT NULL,
    documents   BIGINT NOT NULL DEFAULT 0,
    templates   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, tag_key)
);
INSERT INTO document_counts (account_id, tag_key, documents, templates)
    SELECT account_id, '', COUNT(*), SUM(CASE WHEN is_template THEN 1 ELSE 0 END) FROM documents GROUP BY account_id;
INSERT INTO document_counts (account_id, tag_key, documents, templates)
    SELECT g.account_id, g.tag_key, COUNT(*), SUM(CASE WHEN d.is_template THEN 1 ELSE 0 END)
    FROM document_tags g JOIN documents d ON d.account_id = g.account_id AND d.id = g.document_id
    GROUP BY g.account_id, g.tag_key;

-- +goose Down
DROP TABLE document_counts;
