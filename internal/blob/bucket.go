package blob

import (
	"context"
	"fmt"
	"io"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/memblob" // mem:// for tests
	_ "gocloud.dev/blob/s3blob"  // s3://bucket?region=…&endpoint=…
	"gocloud.dev/gcerrors"
)

// bucket keeps blobs in a gocloud.dev bucket (S3-compatible, or memory).
type bucket struct {
	b *blob.Bucket
}

func openBucket(ctx context.Context, u string) (Store, error) {
	b, err := blob.OpenBucket(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("blob: open %s: %w", u, err)
	}
	return &bucket{b: b}, nil
}

// Put implements Store. The upload is committed by the writer's Close;
// cancelling its context first abandons it, so nothing appears under key.
func (s *bucket) Put(ctx context.Context, key string, r io.Reader, limit int64) (int64, error) {
	if !ValidKey(key) {
		return 0, fmt.Errorf("blob: invalid key %q", key)
	}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := s.b.NewWriter(wctx, key, &blob.WriterOptions{ContentType: "application/octet-stream",
		DisableContentTypeDetection: true})
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(w, io.LimitReader(r, limit+1))
	if err == nil && n > limit {
		err = ErrTooLarge
	}
	if err != nil {
		cancel()
		_ = w.Close()
		return n, err
	}
	return n, w.Close()
}

// Open implements Store.
func (s *bucket) Open(ctx context.Context, key string) (Object, error) {
	if !ValidKey(key) {
		return nil, ErrNotFound
	}
	r, err := s.b.NewReader(ctx, key, nil)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Delete implements Store.
func (s *bucket) Delete(ctx context.Context, key string) error {
	if !ValidKey(key) {
		return nil
	}
	err := s.b.Delete(ctx, key)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return nil
	}
	return err
}

// Close implements Store.
func (s *bucket) Close() error { return s.b.Close() }
