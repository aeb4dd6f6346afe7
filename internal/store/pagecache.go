package store

import (
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
func init() { sqlite.MustRegisterPageCache(pcache.New()) }
