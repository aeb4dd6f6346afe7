package blob_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"klientela/internal/blob"
)

// each runs fn on the local folder store and on a gocloud bucket (memory),
// the two implementations behind the one interface.
func each(t *testing.T, fn func(t *testing.T, s blob.Store, dir string)) {
	t.Run("local", func(t *testing.T) {
		dir := t.TempDir()
		s, err := blob.Open(context.Background(), "file://"+filepath.ToSlash(dir))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		fn(t, s, dir)
	})
	t.Run("s3", func(t *testing.T) {
		// A fake S3 server in the process: the real protocol, no network.
		backend := s3mem.New()
		if err := backend.CreateBucket("klientela"); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(gofakes3.New(backend).Server())
		t.Cleanup(srv.Close)
		t.Setenv("AWS_ACCESS_KEY_ID", "test")
		t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
		s, err := blob.Open(context.Background(), "s3://klientela?region=us-east-1&path_style=true&endpoint="+srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		fn(t, s, "")
	})
}

func TestRoundTripAndRange(t *testing.T) {
	each(t, func(t *testing.T, s blob.Store, dir string) {
		ctx := context.Background()
		key := blob.NewKey()
		data := bytes.Repeat([]byte("zażółć gęślą jaźń "), 1000)
		n, err := s.Put(ctx, key, bytes.NewReader(data), int64(len(data)))
		if err != nil || n != int64(len(data)) {
			t.Fatalf("Put = %d, %v", n, err)
		}
		o, err := s.Open(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		defer o.Close()
		if o.Size() != int64(len(data)) {
			t.Fatalf("Size = %d", o.Size())
		}
		if _, err := o.Seek(100, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(o)
		if err != nil || !bytes.Equal(got, data[100:]) {
			t.Fatalf("read after seek: %d bytes, %v", len(got), err)
		}
		if dir != "" {
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(key))); err != nil {
				t.Fatalf("the blob is not under its key in the folder: %v", err)
			}
		}
		if err := s.Delete(ctx, key); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Open(ctx, key); !errors.Is(err, blob.ErrNotFound) {
			t.Fatalf("Open after Delete: %v", err)
		}
		if err := s.Delete(ctx, key); err != nil {
			t.Fatalf("Delete of nothing: %v", err)
		}
	})
}

func TestTooLargeKeepsNothing(t *testing.T) {
	each(t, func(t *testing.T, s blob.Store, dir string) {
		ctx := context.Background()
		key := blob.NewKey()
		_, err := s.Put(ctx, key, strings.NewReader("12345678901"), 10)
		if !errors.Is(err, blob.ErrTooLarge) {
			t.Fatalf("Put over the limit: %v", err)
		}
		if _, err := s.Open(ctx, key); !errors.Is(err, blob.ErrNotFound) {
			t.Fatalf("a refused Put left something: %v", err)
		}
		// Exactly the limit is fine, and so is nothing at all.
		if n, err := s.Put(ctx, key, strings.NewReader("1234567890"), 10); err != nil || n != 10 {
			t.Fatalf("Put at the limit = %d, %v", n, err)
		}
		if n, err := s.Put(ctx, blob.NewKey(), strings.NewReader(""), 10); err != nil || n != 0 {
			t.Fatalf("empty Put = %d, %v", n, err)
		}
		if dir != "" {
			left, _ := os.ReadDir(filepath.Join(dir, "tmp"))
			if len(left) != 0 {
				t.Fatalf("temporary files left: %v", left)
			}
		}
	})
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, errors.New("connection reset")
	}
	k := min(len(p), r.n)
	r.n -= k
	return k, nil
}

func TestFailedPutKeepsNothing(t *testing.T) {
	each(t, func(t *testing.T, s blob.Store, dir string) {
		ctx := context.Background()
		key := blob.NewKey()
		if _, err := s.Put(ctx, key, &failingReader{n: 5000}, 1<<20); err == nil {
			t.Fatal("Put of a failing reader succeeded")
		}
		if _, err := s.Open(ctx, key); !errors.Is(err, blob.ErrNotFound) {
			t.Fatalf("a failed Put left something: %v", err)
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.Put(cctx, key, strings.NewReader("x"), 10); err == nil {
			if _, err := s.Open(ctx, key); !errors.Is(err, blob.ErrNotFound) {
				t.Fatalf("a cancelled Put left something: %v", err)
			}
		}
	})
}

func TestKeysCannotEscape(t *testing.T) {
	each(t, func(t *testing.T, s blob.Store, dir string) {
		ctx := context.Background()
		for _, key := range []string{"../../etc/passwd", "/etc/passwd", "a/../../b", "CON", "a b", "", "tmp/../x"} {
			if _, err := s.Put(ctx, key, strings.NewReader("x"), 10); err == nil {
				t.Errorf("Put(%q) accepted", key)
			}
			if _, err := s.Open(ctx, key); !errors.Is(err, blob.ErrNotFound) {
				t.Errorf("Open(%q) = %v", key, err)
			}
		}
	})
	if blob.ValidKey(blob.NewKey()) != true || blob.NewKey() == blob.NewKey() {
		t.Fatal("NewKey gives invalid or repeated keys")
	}
}

func TestOpenURLs(t *testing.T) {
	ctx := context.Background()
	for _, u := range []string{"ftp://x", "gs://bucket", "file://", "mem://", "s3://"} {
		if s, err := blob.Open(ctx, u); err == nil {
			s.Close()
			t.Errorf("Open(%q) accepted", u)
		}
	}
	dir := t.TempDir()
	s, err := blob.Open(ctx, filepath.Join(dir, "plain"))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}
