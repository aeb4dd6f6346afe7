package store

import (
	"sync/atomic"

	"modernc.org/sqlite"
	"modernc.org/sqlite/pcache"
)

// SQLite's own page cache (pcache1) allocates each page with its header in
// one block of 4 KiB + about 200 bytes, and the allocator behind
// modernc.org/sqlite (modernc.org/memory) rounds a block of that size up
// to the next power of two: every cached page took 8 KiB, and the page
// caches were the larger half of the server's memory (RSS 299 MB in the
// load benchmark, with a Go heap under 100 MB). pcache1's remedy, a bulk
// allocation per connection (SQLITE_CONFIG_PAGECACHE), is disabled in this
// build of SQLite (SQLITE_ENABLE_MEMORY_MANAGEMENT makes one shared cache
// group, which never takes a bulk).
//
// The driver's reference page cache allocates a page and its header apart
// (exactly 4 KiB, and 256 bytes) and honours PRAGMA cache_size as pcache1
// does. Measured on the benchmark's 100 000-client account
// (docs/performance.md, "SQLite's memory"): RSS after 64 month views at 8
// concurrent requests 297 → 209–218 MB, the same CPU per page within
// noise, and 6–12 % more CPU for a bulk load (demo data), whose big cache
// is a Go map and list the GC walks.
//
// It must be registered before the process opens its first SQLite
// connection, so it is done when the package loads.
func init() { sqlite.MustRegisterPageCache(pageCaches{newReferenceCaches()}) }

func newReferenceCaches() sqlite.PageCache { return pcache.New() }

// pageCaches are the reference caches with a Truncate that knows when it
// has nothing to do (truncateBound).
type pageCaches struct{ sqlite.PageCache }

func (p pageCaches) Create(pageSize, extraSize int, purgeable bool) (sqlite.Cache, error) {
	c, err := p.PageCache.Create(pageSize, extraSize, purgeable)
	if err != nil {
		return nil, err
	}
	return &truncateBound{Cache: c}, nil
}

// truncateBound skips a Truncate when no page at or past its limit can be
// cached. SQLite truncates the cache at the end of every transaction to
// the database's size, where there is almost never a page to drop, and
// the reference cache looks through all its pages to find out (its
// binding in the driver then does the same with its own map, which this
// cannot spare). Under 8 concurrent POST /api/v1/tasks on the single
// writer, the two took 28 % of the server's CPU; the cache's half goes
// from 0.45 s to 0.23 s of an 8 s profile, and the A/B gave 842–945 →
// 922–1 021 req/s. top is one more than the highest key a page may be
// cached under: every page came to its key through a Fetch that returned
// it or a Rekey. SQLite calls a cache's methods one at a time; top is
// atomic for the race detector's sake (shared cache calls them from
// several goroutines).
type truncateBound struct {
	sqlite.Cache
	top atomic.Uint32
}

func (c *truncateBound) filed(key uint32) {
	if key >= c.top.Load() {
		c.top.Store(key + 1)
	}
}

func (c *truncateBound) Fetch(key uint32, mode sqlite.FetchMode) sqlite.Page {
	p := c.Cache.Fetch(key, mode)
	if p != nil {
		c.filed(key)
	}
	return p
}

func (c *truncateBound) Rekey(p sqlite.Page, oldKey, newKey uint32) {
	c.Cache.Rekey(p, oldKey, newKey)
	c.filed(newKey)
}

func (c *truncateBound) Truncate(limit uint32) {
	if limit >= c.top.Load() {
		return
	}
	c.Cache.Truncate(limit)
	c.top.Store(limit)
}
