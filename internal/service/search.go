package service

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/plid"
)

// Global search: one query over the sections the user may see, for the
// search box in the top bar (Ctrl+K). It asks each section's own list —
// the same search index, filters and "only mine" scopes as the section's
// page — for its first few matches, so nothing here can show more than
// the section itself would.

// SearchKind names what a search hit is.
type SearchKind string

const (
	SearchClient   SearchKind = "client"
	SearchTask     SearchKind = "task"
	SearchDocument SearchKind = "document"
	SearchFile     SearchKind = "file"
	SearchEmployee SearchKind = "employee"
)

const (
	// SearchMinRunes is the shortest query the global search answers: one
	// letter matches half the account and helps nobody.
	SearchMinRunes = 2
	// SearchPerKind is how many hits of each kind the search shows.
	SearchPerKind = 5
)

// SearchHit is one thing found.
type SearchHit struct {
	Kind     SearchKind
	ID       crm.ID
	Title    string
	Subtitle string    // a detail that tells two similar hits apart (NIP and city, e-mail, size)
	When     time.Time // a task's start (zero for other kinds), shown in the user's format
	AllDay   bool      // When is a date, not a time
}

// SearchGroup is the hits of one kind, in the order of the kind's list.
type SearchGroup struct {
	Kind SearchKind
	Hits []SearchHit
	More bool // the section has more matches than shown
}

// SearchResult is the answer to a global search: groups in a fixed order,
// only of sections the user may view and only with hits.
type SearchResult struct {
	Q        string // the query as searched (trimmed)
	TooShort bool   // shorter than SearchMinRunes: nothing was searched
	Groups   []SearchGroup
}

// Empty reports whether nothing was found.
func (r SearchResult) Empty() bool { return len(r.Groups) == 0 }

// searchSource finds the first hits of one kind.
type searchSource struct {
	kind    SearchKind
	section authz.Section
	find    func(s *Service, ctx context.Context, q string, limit int) ([]SearchHit, error)
}

// searchSources are the kinds the global search looks in, in display
// order. A new section that has a searchable list adds a line here.
var searchSources = []searchSource{
	{SearchClient, authz.Clients, (*Service).searchClients},
	{SearchTask, authz.Tasks, (*Service).searchTasks},
	{SearchDocument, authz.Documents, (*Service).searchDocuments},
	{SearchFile, authz.Files, (*Service).searchFiles},
	{SearchEmployee, authz.Employees, (*Service).searchEmployees},
}

// Search finds up to SearchPerKind hits of every kind the user may view.
// Any logged-in user may search; each kind checks its own section.
func (s *Service) Search(ctx context.Context, q string) (SearchResult, error) {
	p, _, err := s.actor(ctx, authz.Dashboard, authz.View)
	if err != nil {
		return SearchResult{}, err
	}
	res := SearchResult{Q: strings.TrimSpace(cleanText(q))}
	if utf8.RuneCountInString(res.Q) < SearchMinRunes {
		res.TooShort = true
		return res, nil
	}
	for _, src := range searchSources {
		if !authz.Can(p, src.section, authz.View) {
			continue
		}
		// One more than shown tells whether there are more.
		hits, err := src.find(s, ctx, res.Q, SearchPerKind+1)
		if err != nil {
			return SearchResult{}, err
		}
		if len(hits) == 0 {
			continue
		}
		g := SearchGroup{Kind: src.kind, Hits: hits, More: len(hits) > SearchPerKind}
		if g.More {
			g.Hits = hits[:SearchPerKind]
		}
		res.Groups = append(res.Groups, g)
	}
	return res, nil
}

func (s *Service) searchClients(ctx context.Context, q string, limit int) ([]SearchHit, error) {
	cs, _, err := s.Clients(ctx, ClientQuery{Q: q, Limit: limit})
	hits := make([]SearchHit, 0, len(cs))
	for _, c := range cs {
		sub := c.City
		if c.NIP != "" {
			sub = strings.TrimSpace("NIP " + plid.FormatNIP(c.NIP) + " " + c.City)
		}
		hits = append(hits, SearchHit{Kind: SearchClient, ID: c.ID, Title: c.Name, Subtitle: sub})
	}
	return hits, err
}

func (s *Service) searchTasks(ctx context.Context, q string, limit int) ([]SearchHit, error) {
	ts, _, err := s.Tasks(ctx, TaskQuery{Q: q, Limit: limit})
	hits := make([]SearchHit, 0, len(ts))
	for _, t := range ts {
		hits = append(hits, SearchHit{Kind: SearchTask, ID: t.ID, Title: t.Title, When: t.Start, AllDay: t.AllDay})
	}
	return hits, err
}

func (s *Service) searchDocuments(ctx context.Context, q string, limit int) ([]SearchHit, error) {
	ds, _, err := s.Documents(ctx, DocumentQuery{Q: q, Limit: limit})
	hits := make([]SearchHit, 0, len(ds))
	for _, d := range ds {
		hits = append(hits, SearchHit{Kind: SearchDocument, ID: d.ID, Title: d.Title})
	}
	return hits, err
}

func (s *Service) searchFiles(ctx context.Context, q string, limit int) ([]SearchHit, error) {
	fs, _, err := s.Files(ctx, FileQuery{Q: q, Limit: limit})
	hits := make([]SearchHit, 0, len(fs))
	for _, f := range fs {
		hits = append(hits, SearchHit{Kind: SearchFile, ID: f.ID, Title: f.Name, Subtitle: FormatBytes(f.Size)})
	}
	return hits, err
}

func (s *Service) searchEmployees(ctx context.Context, q string, limit int) ([]SearchHit, error) {
	es, _, err := s.Employees(ctx, EmployeeQuery{Q: q, Limit: limit})
	hits := make([]SearchHit, 0, len(es))
	for _, e := range es {
		hits = append(hits, SearchHit{Kind: SearchEmployee, ID: e.ID, Title: e.FullName(), Subtitle: e.Email})
	}
	return hits, err
}
