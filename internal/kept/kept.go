// Package kept keeps the last made copy of expensive results in this
// instance's memory, one per key, each valid for one tag (a version read
// from the database, so that every instance behind a load balancer sees
// every change at its next request: the tag is the truth, this memory only
// saves making the same result again). The copies are bounded by a budget
// of bytes, the least recently used going first. Concurrent requests for a
// copy being made wait for it instead of making it again.
//
// It serves the iCalendar feeds (one document per feed, by its ETag) and
// the calendar's month (the account's series of a range, expanded, by the
// account's data version).
package kept

import (
	"errors"
	"sync"
)

var errPanicked = errors.New("kept: the build panicked")

// Cache keeps one value per key, valid for the tag it was made with.
type Cache[K comparable, V any] struct {
	budget int         // bytes of finished values kept at most
	size   func(V) int // bytes of a value
	mu     sync.Mutex  // guards the fields below
	m      map[K]*entry[V]
	bytes  int // bytes of the finished values in m
	tick   uint64
}

type entry[V any] struct {
	tag   string
	val   V
	bytes int
	err   error
	used  uint64
	ready chan struct{} // closed when val or err is set
}

// New returns a cache of at most budget bytes of values, each weighing
// size (a value larger than the budget is made and not kept).
func New[K comparable, V any](budget int, size func(V) int) *Cache[K, V] {
	return &Cache[K, V]{budget: budget, size: size, m: map[K]*entry[V]{}}
}

// Get returns the value of key made with tag: the kept one, or the one
// build makes (kept when it fits). A value kept for another tag is
// replaced: a key keeps only its latest value.
func (c *Cache[K, V]) Get(key K, tag string, build func() (V, error)) (V, error) {
	c.mu.Lock()
	c.tick++
	if e := c.m[key]; e != nil && e.tag == tag {
		e.used = c.tick
		c.mu.Unlock()
		<-e.ready
		if e.err == nil {
			return e.val, nil
		}
		// The request that made it failed (or went away): make it here.
		return build()
	}
	e := &entry[V]{tag: tag, used: c.tick, ready: make(chan struct{})}
	c.replace(key, e)
	c.mu.Unlock()

	// A build that panics must not leave its waiters waiting for ever (the
	// server recovers the request's panic): its entry ends as failed, and
	// the panic goes on.
	finished := false
	defer func() {
		if !finished {
			c.mu.Lock()
			e.err = errPanicked
			close(e.ready)
			if c.m[key] == e {
				delete(c.m, key)
			}
			c.mu.Unlock()
		}
	}()
	val, err := build()
	finished = true
	n := 0
	if err == nil {
		n = c.size(val)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e.val, e.err, e.bytes = val, err, n
	close(e.ready)
	if c.m[key] == e {
		if err != nil || n > c.budget {
			delete(c.m, key)
		} else {
			c.bytes += n
			c.evict()
		}
	}
	return val, err
}

// Bytes is what the finished values kept weigh now.
func (c *Cache[K, V]) Bytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}

// replace puts e in key's place.
func (c *Cache[K, V]) replace(key K, e *entry[V]) {
	if old := c.m[key]; old != nil && done(old) {
		c.bytes -= old.bytes
	}
	c.m[key] = e
}

func done[V any](e *entry[V]) bool {
	select {
	case <-e.ready:
		return e.err == nil
	default:
		return false
	}
}

// evict drops the least recently used finished values while the kept ones
// are over the budget.
func (c *Cache[K, V]) evict() {
	for c.bytes > c.budget {
		var (
			oldest K
			found  bool
		)
		for k, e := range c.m {
			if done(e) && (!found || e.used < c.m[oldest].used) {
				oldest, found = k, true
			}
		}
		if !found {
			return
		}
		c.bytes -= c.m[oldest].bytes
		delete(c.m, oldest)
	}
}
