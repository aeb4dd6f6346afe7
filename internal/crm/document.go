package crm

import "time"

// Document is a text written in Klientela: a title and a body of sanitised
// HTML, optionally for a client and a business. A template's body holds
// merge fields ({{klient.nazwa}}) that are filled in for a chosen client.
type Document struct {
	ID           ID
	AccountID    ID
	Title        string
	BodyHTML     string // sanitised; empty in lists
	ClientID     *ID
	BusinessID   *ID
	IsTemplate   bool
	Tags         []string
	CreatedBy    *ID
	UpdatedBy    *ID
	CreatedAt    time.Time
	UpdatedAt    time.Time
	ClientName   string // filled in by lists and lookups
	BusinessName string
	UpdatedName  string // the user who saved it last
}

// DocumentVersion is the body of a document after one save that changed
// it. Autosaves close together are one version (UpdatedAt moves on).
type DocumentVersion struct {
	ID           ID
	AccountID    ID
	DocumentID   ID
	Title        string
	BodyHTML     string // empty in lists
	Autosave     bool
	RestoredFrom *ID
	CreatedBy    *ID
	CreatedAt    time.Time
	UpdatedAt    time.Time
	AuthorName   string
	Size         int // bytes of the body (lists)
}
