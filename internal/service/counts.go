package service

import "strings"

// Capped counts. Counting every match of a long list on each page costs
// more than the page itself (300 000 tasks, 50 000 documents), and nobody
// pages through thousands of rows: a list counts at most so far and the
// pager says "ponad 10 000" / "more than 10,000" (the API leaves its total
// out; next_cursor still tells whether a page follows).
const (
	// ListCountMax is how far a filtered list counts: a count read from an
	// index stops after 10 001 entries.
	ListCountMax = 10000
	// SearchCountMax is how far a search counts. A search's matches are
	// checked row by row (the text is in the row, not in an index the
	// count can read), so its count stops earlier: "lodz przeglad", a
	// fifth of 300 000 tasks, read 50 000 rows to count 10 001 matches,
	// 5 000 to count 1 001 and reads 1 000 to count 201. "Ponad 200" is
	// as much as a searcher needs to know (four pages, then refine the
	// words); at 1 000 the count took over 40 % of the CPU of a client search
	// for „łódź” at 100 000 clients.
	SearchCountMax = 200
)

// countBound is where a list stops counting for a page at offset of
// limit rows: most, or the end of that page when it lies further, so that a
// page always knows whether another follows. A total above the bound
// means "more than the bound".
func countBound(most, offset, limit int) int {
	return max(most, max(0, offset)+Page{Limit: limit}.limit())
}

// searchOr is SearchCountMax for a search (q not empty), else list.
func searchOr(q string, list int) int {
	if strings.TrimSpace(q) != "" {
		return SearchCountMax
	}
	return list
}
