package kept

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestCache(t *testing.T) {
	c := New[int](10, func(s string) int { return len(s) })
	made := 0
	get := func(key int, tag, val string) string {
		t.Helper()
		v, err := c.Get(key, tag, func() (string, error) { made++; return val, nil })
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if get(1, "a", "1111") != "1111" || get(1, "a", "x") != "1111" || made != 1 {
		t.Fatalf("same tag made again: %d", made)
	}
	if get(1, "b", "2222") != "2222" || made != 2 || c.Bytes() != 4 {
		t.Fatalf("new tag: made %d, bytes %d", made, c.Bytes())
	}
	get(2, "a", "333")
	get(1, "b", "")       // 1 used last
	get(3, "a", "444444") // over 10: 2 goes
	if c.Bytes() != 10 {
		t.Fatalf("bytes %d", c.Bytes())
	}
	if get(2, "a", "555") != "555" {
		t.Fatal("2 was not evicted")
	}
	if get(4, "a", "too long for it") != "too long for it" || get(4, "a", "x") != "x" {
		t.Fatal("a value over the budget was kept")
	}
	if _, err := c.Get(5, "a", func() (string, error) { return "", errors.New("no") }); err == nil {
		t.Fatal("no error")
	}
	if get(5, "a", "ok") != "ok" {
		t.Fatal("a failed value was kept")
	}
}

func TestCacheWaits(t *testing.T) {
	c := New[int](100, func(s string) int { return len(s) })
	var n atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, _ := c.Get(1, "a", func() (string, error) { n.Add(1); <-release; return "v", nil })
			if v != "v" {
				t.Errorf("got %q", v)
			}
		}()
	}
	close(release)
	wg.Wait()
	if n.Load() != 1 {
		t.Fatalf("made %d times", n.Load())
	}
}

// A build that panics lets the panic go on and leaves no entry behind:
// the next Get of the key builds again instead of waiting for ever.
func TestGetPanic(t *testing.T) {
	c := New[string, string](1<<20, func(v string) int { return len(v) })
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not go on")
			}
		}()
		_, _ = c.Get("k", "1", func() (string, error) { panic("boom") })
	}()
	done := make(chan string)
	go func() {
		v, _ := c.Get("k", "1", func() (string, error) { return "again", nil })
		done <- v
	}()
	select {
	case v := <-done:
		if v != "again" {
			t.Errorf("got %q", v)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the Get after a panic waits for ever")
	}
}
