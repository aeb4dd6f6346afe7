package store

import (
	"testing"

	"modernc.org/sqlite"
)

// The cache's Truncate drops what the reference cache's does — pages at or
// past the limit, pinned ones too, pages moved there by Rekey — and skips
// only when there is nothing there.
func TestTruncateBound(t *testing.T) {
	c, err := pageCaches{newReferenceCaches()}.Create(4096, 200, true)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Destroy()
	for key := uint32(1); key <= 6; key++ {
		c.Unpin(c.Fetch(key, sqlite.FetchCreateForce), false)
	}
	c.Truncate(7) // nothing at 7 or past it
	if n := c.PageCount(); n != 6 {
		t.Fatalf("%d pages after Truncate(7), want 6", n)
	}
	pinned := c.Fetch(6, sqlite.FetchLookup)
	if pinned == nil {
		t.Fatal("page 6 is gone")
	}
	c.Truncate(4) // 4, 5 and the pinned 6
	if n := c.PageCount(); n != 3 {
		t.Fatalf("%d pages after Truncate(4), want 3", n)
	}
	for key := uint32(4); key <= 6; key++ {
		if c.Fetch(key, sqlite.FetchLookup) != nil {
			t.Fatalf("page %d stayed after Truncate(4)", key)
		}
	}
	// A page moved past the limit by Rekey is dropped too.
	p := c.Fetch(2, sqlite.FetchLookup)
	c.Rekey(p, 2, 40)
	c.Unpin(p, false)
	c.Truncate(30)
	if c.Fetch(40, sqlite.FetchLookup) != nil || c.PageCount() != 2 {
		t.Fatalf("page 40 stayed after Truncate(30): %d pages", c.PageCount())
	}
	// And a fetch past the bound raises it again.
	c.Unpin(c.Fetch(100, sqlite.FetchCreateForce), false)
	c.Truncate(50)
	if c.Fetch(100, sqlite.FetchLookup) != nil {
		t.Fatal("page 100 stayed after Truncate(50)")
	}
}
