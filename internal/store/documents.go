package store

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"slices"
	"time"
	"unicode/utf8"

	"klientela/internal/crm"
	"klientela/internal/search"
)

// maxSearchText is how much of a document's text goes into its search key:
// enough for the words people look for, small enough that a search over
// tens of thousands of documents stays a quick scan.
const maxSearchText = 10000

// documentSearchKey folds the title and the body's text (see
// service.DocumentText) into one key: "umowa lodz" finds "Umowa — Łódź".
func documentSearchKey(title, text string) string {
	if r := []rune(text); len(r) > maxSearchText {
		text = string(r[:maxSearchText])
	}
	return search.Key(title, text)
}

const documentColumns = `d.id, d.account_id, d.title, d.client_id, d.business_id, d.is_template, d.created_by, d.updated_by,
	d.created_at, d.updated_at, COALESCE(c.name, ''), COALESCE(b.name, ''), COALESCE(u.name, '')`

const documentFrom = ` FROM documents d
	LEFT JOIN clients c ON c.account_id = d.account_id AND c.id = d.client_id
	LEFT JOIN businesses b ON b.account_id = d.account_id AND b.id = d.business_id
	LEFT JOIN users u ON u.account_id = d.account_id AND u.id = d.updated_by`

func scanDocument(sc interface{ Scan(...any) error }, d *crm.Document, extra ...any) error {
	return sc.Scan(append([]any{&d.ID, &d.AccountID, &d.Title, &d.ClientID, &d.BusinessID, &d.IsTemplate, &d.CreatedBy,
		&d.UpdatedBy, &d.CreatedAt, &d.UpdatedAt, &d.ClientName, &d.BusinessName, &d.UpdatedName}, extra...)...)
}

// CreateDocument adds a document and returns its id; text is its body's
// plain text, for search.
func (t *Tenant) CreateDocument(ctx context.Context, d crm.Document, text string) (int64, error) {
	var id int64
	err := t.InTx(ctx, func(t *Tenant) error {
		err := t.writeRow(ctx, `INSERT INTO documents (account_id, title, title_key, body_html, search_key, client_id, business_id,
			is_template, created_by, updated_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			t.account, d.Title, search.Fold(d.Title), d.BodyHTML, documentSearchKey(d.Title, text), d.ClientID, d.BusinessID,
			d.IsTemplate, d.CreatedBy, d.UpdatedBy, d.CreatedAt, d.UpdatedAt).Scan(&id)
		if err != nil {
			return mapError(err)
		}
		if err := t.setDocumentTags(ctx, id, d.Tags); err != nil {
			return err
		}
		return t.countDocument(ctx, nil, &d)
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// UpdateDocument saves every field of a document and its tags.
func (t *Tenant) UpdateDocument(ctx context.Context, d crm.Document, text string) error {
	return t.InTx(ctx, func(t *Tenant) error {
		old, err := t.lockDocument(ctx, d.ID)
		if err != nil {
			return err
		}
		if err := t.countDocument(ctx, &old, &d); err != nil {
			return err
		}
		res, err := t.exec(ctx, `UPDATE documents SET title = ?, title_key = ?, body_html = ?, search_key = ?, client_id = ?,
			business_id = ?, is_template = ?, updated_by = ?, updated_at = ? WHERE account_id = ? AND id = ?`,
			d.Title, search.Fold(d.Title), d.BodyHTML, documentSearchKey(d.Title, text), d.ClientID, d.BusinessID, d.IsTemplate,
			d.UpdatedBy, d.UpdatedAt, t.account, d.ID)
		if err := affectedOne(res, err); err != nil {
			return err
		}
		return t.setDocumentTags(ctx, d.ID, d.Tags)
	})
}

func (t *Tenant) setDocumentTags(ctx context.Context, id int64, tags []string) error {
	if _, err := t.exec(ctx, `DELETE FROM document_tags WHERE account_id = ? AND document_id = ?`, t.account, id); err != nil {
		return mapError(err)
	}
	for _, tag := range tags {
		if _, err := t.exec(ctx, `INSERT INTO document_tags (account_id, document_id, tag_key, tag) VALUES (?, ?, ?, ?)`,
			t.account, id, TagKey(tag), tag); err != nil {
			return mapError(err)
		}
	}
	return nil
}

// DeleteDocument removes a document with its tags and versions.
func (t *Tenant) DeleteDocument(ctx context.Context, id int64) error {
	return t.InTx(ctx, func(t *Tenant) error {
		old, err := t.lockDocument(ctx, id)
		if err != nil {
			return err
		}
		if err := t.countDocument(ctx, &old, nil); err != nil {
			return err
		}
		res, err := t.exec(ctx, `DELETE FROM documents WHERE account_id = ? AND id = ?`, t.account, id)
		return affectedOne(res, err)
	})
}

// lockDocument reads what the counts of a document depend on (whether it
// is a template, its tags) before a change, holding off other changes of
// it until the transaction ends: PostgreSQL locks its row, SQLite
// transactions hold the database's write lock from BEGIN.
func (t *Tenant) lockDocument(ctx context.Context, id int64) (crm.Document, error) {
	d := crm.Document{ID: id}
	q := `SELECT is_template FROM documents WHERE account_id = ? AND id = ?`
	if t.dialect == Postgres {
		q += ` FOR UPDATE`
	}
	if err := t.writeRow(ctx, q, t.account, id).Scan(&d.IsTemplate); err != nil {
		return d, mapError(err)
	}
	rows, err := t.writeRows(ctx, `SELECT tag_key FROM document_tags WHERE account_id = ? AND document_id = ?`, t.account, id)
	if err != nil {
		return d, err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return d, err
		}
		d.Tags = append(d.Tags, k)
	}
	return d, rows.Err()
}

// countDocument changes the kept counts (document_counts: the account's,
// tag_key ”, and each tag's) from a document as it was (nil for a new
// one) to as it is (nil when deleted), in the transaction of the change.
// Only the counts that change are written, in the order of their keys
// (so that two transactions lock them in the same order).
func (t *Tenant) countDocument(ctx context.Context, before, after *crm.Document) error {
	type change struct{ documents, templates int }
	changes := map[string]*change{}
	add := func(d *crm.Document, n int) {
		if d == nil {
			return
		}
		keys := []string{""}
		for _, tag := range d.Tags {
			if k := TagKey(tag); k != "" && !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
		for _, k := range keys {
			c := changes[k]
			if c == nil {
				c = &change{}
				changes[k] = c
			}
			c.documents += n
			if d.IsTemplate {
				c.templates += n
			}
		}
	}
	add(before, -1)
	add(after, 1)
	for _, k := range slices.Sorted(maps.Keys(changes)) {
		c := changes[k]
		if c.documents == 0 && c.templates == 0 {
			continue
		}
		if _, err := t.exec(ctx, `INSERT INTO document_counts (account_id, tag_key, documents, templates) VALUES (?, ?, ?, ?)
			ON CONFLICT (account_id, tag_key) DO UPDATE SET documents = document_counts.documents + excluded.documents,
			templates = document_counts.templates + excluded.templates`, t.account, k, c.documents, c.templates); err != nil {
			return mapError(err)
		}
	}
	return nil
}

// keptDocumentCount is the number of the account's documents (with the
// tag key, when not ""): all, only templates (template true) or only the
// others (false), from document_counts.
func (t *Tenant) keptDocumentCount(ctx context.Context, tagKey string, template *bool) (int, error) {
	var all, templates int
	err := t.queryRow(ctx, `SELECT documents, templates FROM document_counts WHERE account_id = ? AND tag_key = ?`,
		t.account, tagKey).Scan(&all, &templates)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, mapError(err)
	}
	switch {
	case template == nil:
		return all, nil
	case *template:
		return templates, nil
	}
	return all - templates, nil
}

// Document returns one document of the account with its body and tags.
func (t *Tenant) Document(ctx context.Context, id int64) (crm.Document, error) {
	var d crm.Document
	err := scanDocument(t.queryRow(ctx, `SELECT `+documentColumns+`, d.body_html`+documentFrom+` WHERE d.account_id = ? AND d.id = ?`,
		t.account, id), &d, &d.BodyHTML)
	if err != nil {
		return d, mapError(err)
	}
	tags, err := t.tagsOfDocuments(ctx, []int64{id})
	d.Tags = tags[id]
	return d, err
}

func (t *Tenant) tagsOfDocuments(ctx context.Context, ids []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(ids) == 0 {
		return out, nil
	}
	in, args := idList(ids)
	rows, err := t.query(ctx, `SELECT document_id, tag FROM document_tags WHERE account_id = ? AND document_id IN (`+in+`)
		ORDER BY document_id, tag_key`, append([]any{t.account}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var tag string
		if err := rows.Scan(&id, &tag); err != nil {
			return nil, err
		}
		out[id] = append(out[id], tag)
	}
	return out, rows.Err()
}

// DocumentFilter selects and orders documents.
type DocumentFilter struct {
	Q        string // in the title and the text, diacritics folded
	ClientID int64
	Tag      string
	Template *bool // only templates (true) or only documents (false)
	Sort     string
	Offset   int
	Limit    int
	// CountMax stops counting after CountMax+1 matches (0: count all), as
	// TaskFilter.CountMax.
	CountMax int
}

// documentSearchWalk is how many documents a search's page may read
// walking the list's order (SQLite, see Documents); a variable for the
// tests.
var documentSearchWalk = 5000

// DocumentSorts are the orders Documents understands; "-updated" (the
// latest changed first) is the default.
var DocumentSorts = []string{"-updated", "updated", "title", "-title"}

// DocumentCountKept reports whether the count of Documents(f) is kept
// (document_counts), and exact: without a search or a client, for all the
// account's documents or one tag's, templates or not. CountMax does not
// apply to it.
func DocumentCountKept(f DocumentFilter) bool {
	return len(search.Terms(f.Q)) == 0 && f.ClientID == 0 && (f.Tag == "" || TagKey(f.Tag) != "")
}

// Documents lists documents (without their bodies) and counts all that
// match (at most CountMax+1 of them when CountMax is set and the count is
// not kept: see DocumentCountKept).
func (t *Tenant) Documents(ctx context.Context, f DocumentFilter) ([]crm.Document, int, error) {
	terms := search.Terms(f.Q)
	// On SQLite a search finds its candidates in the FTS5 trigram index
	// (migration 00015), as the task search; PostgreSQL chooses itself,
	// with its trigram index.
	var match string
	if t.dialect == SQLite {
		match = search.Trigrams(terms)
	}
	// filter is the WHERE of the documents that match; indexed leaves out
	// the terms that the search index matches itself (a trigram phrase is
	// a substring of the key, as the term's LIKE), for a query driven from
	// that index. tagIn drives a tag from its index (for a count): 10 001
	// entries, not 50 000 documents probed to find them; otherwise the
	// page walks the order's index and probes each document's tags (a
	// page of a tag on every fifth document: 250 probes).
	filter := func(indexed, tagIn bool) (string, []any) {
		where := ` WHERE d.account_id = ?`
		args := []any{t.account}
		for _, term := range terms {
			if indexed && utf8.RuneCountInString(term) >= search.TrigramMin {
				continue
			}
			where += ` AND d.search_key LIKE ? ESCAPE '\'`
			args = append(args, search.Like(term))
		}
		if f.ClientID > 0 {
			where += ` AND d.client_id = ?`
			args = append(args, f.ClientID)
		}
		if f.Template != nil {
			where += ` AND d.is_template = ?`
			args = append(args, *f.Template)
		}
		switch {
		case f.Tag != "" && tagIn:
			where += ` AND d.id IN (SELECT tg.document_id FROM document_tags tg WHERE tg.account_id = ? AND tg.tag_key = ?)`
			args = append(args, t.account, TagKey(f.Tag))
		case f.Tag != "":
			where += ` AND EXISTS (SELECT 1 FROM document_tags tg WHERE tg.account_id = d.account_id AND tg.tag_key = ?
				AND tg.document_id = d.id)`
			args = append(args, TagKey(f.Tag))
		}
		return where, args
	}
	// fromIndex reads the candidates of the search index one by one, each
	// joined to its document (CROSS JOIN keeps the index the outer loop, so
	// that a capped count stops early).
	const fromIndex = ` FROM documents_search s CROSS JOIN documents d ON d.id = s.rowid`

	var total int
	switch {
	case DocumentCountKept(f):
		var err error
		if total, err = t.keptDocumentCount(ctx, TagKey(f.Tag), f.Template); err != nil {
			return nil, 0, err
		}
	default:
		from, where, args := ` FROM documents d`, "", []any(nil)
		if match != "" {
			where, args = filter(true, false)
			from, where, args = fromIndex, where+` AND documents_search MATCH ?`, append(args, match)
		} else {
			where, args = filter(false, true)
		}
		count := `SELECT COUNT(*)` + from + where
		if f.CountMax > 0 {
			count = `SELECT COUNT(*) FROM (SELECT 1` + from + where + ` LIMIT ?) n`
			args = append(args, f.CountMax+1)
		}
		if err := t.queryRow(ctx, count, args...).Scan(&total); err != nil {
			return nil, 0, mapError(err)
		}
	}
	order := map[string]string{
		"updated": `d.updated_at, d.id`,
		"title":   `d.title_key, d.id`,
		"-title":  `d.title_key DESC, d.id DESC`,
	}[f.Sort]
	if order == "" {
		order = `d.updated_at DESC, d.id DESC`
	}
	// A search's page walks the order's index when its matches are close
	// enough there: reading about (Offset+Limit) × documents / matches of
	// them, at most documentSearchWalk. Sparser matches are read from the
	// search index and sorted (fewer than that many, then). Measured
	// (modernc, best of 15, the 50 000 documents of BenchmarkDocuments):
	// "lodz umowa najmu" (2 000 matches) counts to 1 001 through the index
	// in 4.9 ms (the count that walked the order read 25 000 documents:
	// 15 ms) and its page walks in 1.9 ms (14 ms from the index, sorted);
	// the search index was read three times per page before (choosing the
	// plan, counting, the page): 25 ms.
	pageFrom := ` FROM documents d`
	pageWhere, pageArgs := filter(false, false)
	if match != "" {
		documents, err := t.keptDocumentCount(ctx, "", nil)
		if err != nil {
			return nil, 0, err
		}
		if total == 0 || (f.Offset+f.Limit)*documents/total > documentSearchWalk {
			pageWhere, pageArgs = filter(true, false)
			pageFrom, pageWhere, pageArgs = fromIndex, pageWhere+` AND documents_search MATCH ?`, append(pageArgs, match)
		}
	}
	// A deferred join, as the task list's: the page's ids come from the
	// order's index alone and only those 50 rows are read whole and joined
	// to their client, business and user. With the three LEFT JOINs in the
	// same query SQLite did not walk documents_by_title for the title order
	// but read and sorted every document of the account; CROSS JOIN keeps
	// the page the outer loop.
	rows, err := t.query(ctx, `SELECT `+documentColumns+` FROM (SELECT d.id`+pageFrom+pageWhere+` ORDER BY `+order+
		` LIMIT ? OFFSET ?) p CROSS JOIN documents d
		LEFT JOIN clients c ON c.account_id = d.account_id AND c.id = d.client_id
		LEFT JOIN businesses b ON b.account_id = d.account_id AND b.id = d.business_id
		LEFT JOIN users u ON u.account_id = d.account_id AND u.id = d.updated_by
		WHERE d.account_id = ? AND d.id = p.id ORDER BY `+order, append(pageArgs, f.Limit, f.Offset, t.account)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []crm.Document
	var ids []int64
	for rows.Next() {
		var d crm.Document
		if err := scanDocument(rows, &d); err != nil {
			return nil, 0, err
		}
		out = append(out, d)
		ids = append(ids, d.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	tags, err := t.tagsOfDocuments(ctx, ids)
	for i := range out {
		out[i].Tags = tags[out[i].ID]
	}
	return out, total, err
}

// DocumentTags lists the account's document tags alphabetically, at most
// limit, each as it was first written. It skips through the tag index from
// one key to the next (a recursive query: one seek per tag) instead of
// grouping every tag of every document: with 50 000 documents and a few
// tags the grouping read 50 000 index entries and their rows on each list
// page (88 % of the page's CPU in a profile of BenchmarkDocuments).
func (t *Tenant) DocumentTags(ctx context.Context, limit int) ([]string, error) {
	rows, err := t.query(ctx, `WITH RECURSIVE k (key) AS (
			SELECT MIN(tag_key) FROM document_tags WHERE account_id = ?
			UNION ALL
			SELECT (SELECT MIN(g.tag_key) FROM document_tags g WHERE g.account_id = ? AND g.tag_key > k.key)
			FROM k WHERE k.key IS NOT NULL)
		SELECT (SELECT g.tag FROM document_tags g WHERE g.account_id = ? AND g.tag_key = k.key ORDER BY g.document_id LIMIT 1)
		FROM k WHERE k.key IS NOT NULL LIMIT ?`, t.account, t.account, t.account, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ClearDocumentClient takes a client off its documents (before the client
// is removed for good) and returns how many there were.
func (t *Tenant) ClearDocumentClient(ctx context.Context, clientID int64, now time.Time) (int64, error) {
	res, err := t.exec(ctx, `UPDATE documents SET client_id = NULL, updated_at = ? WHERE account_id = ? AND client_id = ?`,
		now, t.account, clientID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// ClearDocumentBusiness takes a business off its documents (before the
// business is deleted).
func (t *Tenant) ClearDocumentBusiness(ctx context.Context, businessID int64, now time.Time) error {
	_, err := t.exec(ctx, `UPDATE documents SET business_id = NULL, updated_at = ? WHERE account_id = ? AND business_id = ?`,
		now, t.account, businessID)
	return mapError(err)
}

// --- versions ----------------------------------------------------------------

const versionColumns = `v.id, v.account_id, v.document_id, v.title, v.autosave, v.restored_from, v.created_by, v.created_at,
	v.updated_at, COALESCE(u.name, ''), LENGTH(v.body_html)`

const versionFrom = ` FROM document_versions v LEFT JOIN users u ON u.account_id = v.account_id AND u.id = v.created_by`

func scanVersion(sc interface{ Scan(...any) error }, v *crm.DocumentVersion, extra ...any) error {
	return sc.Scan(append([]any{&v.ID, &v.AccountID, &v.DocumentID, &v.Title, &v.Autosave, &v.RestoredFrom, &v.CreatedBy,
		&v.CreatedAt, &v.UpdatedAt, &v.AuthorName, &v.Size}, extra...)...)
}

// AddDocumentVersion keeps a version of a document and returns its id.
func (t *Tenant) AddDocumentVersion(ctx context.Context, v crm.DocumentVersion) (int64, error) {
	var id int64
	err := t.writeRow(ctx, `INSERT INTO document_versions (account_id, document_id, title, body_html, autosave, restored_from,
		created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.account, v.DocumentID, v.Title, v.BodyHTML, v.Autosave, v.RestoredFrom, v.CreatedBy, v.CreatedAt, v.UpdatedAt).Scan(&id)
	return id, mapError(err)
}

// UpdateDocumentVersion replaces the body of a version (an autosave folded
// into the previous one).
func (t *Tenant) UpdateDocumentVersion(ctx context.Context, v crm.DocumentVersion) error {
	res, err := t.exec(ctx, `UPDATE document_versions SET title = ?, body_html = ?, updated_at = ?
		WHERE account_id = ? AND document_id = ? AND id = ?`, v.Title, v.BodyHTML, v.UpdatedAt, t.account, v.DocumentID, v.ID)
	return affectedOne(res, err)
}

// DocumentVersion returns one version of a document with its body.
func (t *Tenant) DocumentVersion(ctx context.Context, documentID, id int64) (crm.DocumentVersion, error) {
	var v crm.DocumentVersion
	err := scanVersion(t.queryRow(ctx, `SELECT `+versionColumns+`, v.body_html`+versionFrom+`
		WHERE v.account_id = ? AND v.document_id = ? AND v.id = ?`, t.account, documentID, id), &v, &v.BodyHTML)
	return v, mapError(err)
}

// LatestDocumentVersion returns the newest version of a document (not
// found when it has none).
func (t *Tenant) LatestDocumentVersion(ctx context.Context, documentID int64) (crm.DocumentVersion, error) {
	var v crm.DocumentVersion
	err := scanVersion(t.queryRow(ctx, `SELECT `+versionColumns+`, v.body_html`+versionFrom+`
		WHERE v.account_id = ? AND v.document_id = ? ORDER BY v.id DESC LIMIT 1`, t.account, documentID), &v, &v.BodyHTML)
	return v, mapError(err)
}

// DocumentVersions lists a document's versions, the newest first, without
// their bodies.
func (t *Tenant) DocumentVersions(ctx context.Context, documentID int64, limit int) ([]crm.DocumentVersion, error) {
	rows, err := t.query(ctx, `SELECT `+versionColumns+versionFrom+` WHERE v.account_id = ? AND v.document_id = ?
		ORDER BY v.id DESC LIMIT ?`, t.account, documentID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.DocumentVersion
	for rows.Next() {
		var v crm.DocumentVersion
		if err := scanVersion(rows, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
