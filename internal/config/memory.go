package config

import "runtime/debug"

// gcPercentWithLimit is the GOGC the server runs with under its memory
// limit. Pages allocate a lot of short-lived garbage (templates, rows), and
// at the default GOGC of 100 the collector took 15–20 % of a page's CPU;
// at 400 it runs a quarter as often, and the memory limit, not GOGC,
// keeps the heap bounded when a burst of large answers would let it grow.
const gcPercentWithLimit = 400

// TuneMemory applies c.MemoryLimit to the Go runtime: a soft heap limit
// and, under it, a lazier collector. Whoever sets GOMEMLIMIT or GOGC in
// the environment keeps what they set. It returns the limit and GOGC in
// force (a limit of 0: none).
func (c Config) TuneMemory(getenv func(string) string) (limit int64, gcPercent int) {
	if getenv("GOMEMLIMIT") == "" && c.MemoryLimit > 0 {
		debug.SetMemoryLimit(c.MemoryLimit)
		if getenv("GOGC") == "" {
			debug.SetGCPercent(gcPercentWithLimit)
		}
	}
	limit = debug.SetMemoryLimit(-1) // reads the limit without changing it
	gcPercent = debug.SetGCPercent(-1)
	debug.SetGCPercent(gcPercent) // SetGCPercent(-1) turned the collector off: put it back
	if limit == 1<<63-1 {
		limit = 0
	}
	return limit, gcPercent
}
