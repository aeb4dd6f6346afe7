package blob

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3 keeps blobs in a bucket of an S3-compatible service (AWS S3, MinIO,
// Ceph, Garage, Backblaze B2, Cloudflare R2…) through minio-go. The
// credentials come from the usual AWS environment variables
// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or MinIO's.
type S3 struct {
	c      *minio.Client
	bucket string
}

// s3PartSize is the part of a streamed upload held in memory at a time.
const s3PartSize = 16 << 20

// OpenS3 opens "s3://bucket?region=…&endpoint=host:port&insecure=true&
// path_style=true". Without endpoint it is AWS S3 of the region.
func OpenS3(u string) (*S3, error) {
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "s3" || p.Host == "" {
		return nil, fmt.Errorf("blob: %q is not s3://bucket?…", u)
	}
	q := p.Query()
	endpoint, region := q.Get("endpoint"), q.Get("region")
	secure := q.Get("insecure") != "true"
	if endpoint == "" {
		endpoint = "s3.amazonaws.com"
		if region != "" {
			endpoint = "s3." + region + ".amazonaws.com"
		}
	}
	if e, err := url.Parse(endpoint); err == nil && e.Host != "" {
		// An endpoint given as a URL: its scheme decides TLS.
		endpoint, secure = e.Host, e.Scheme != "http"
	}
	lookup := minio.BucketLookupAuto
	if q.Get("path_style") == "true" || q.Get("use_path_style") == "true" {
		lookup = minio.BucketLookupPath
	}
	creds := credentials.NewChainCredentials([]credentials.Provider{&credentials.EnvAWS{}, &credentials.EnvMinio{},
		&credentials.IAM{}})
	c, err := minio.New(endpoint, &minio.Options{Creds: creds, Secure: secure, Region: region, BucketLookup: lookup})
	if err != nil {
		return nil, fmt.Errorf("blob: %s: %w", u, err)
	}
	return &S3{c: c, bucket: strings.TrimSuffix(p.Host, "/")}, nil
}

// limitedReader fails, instead of ending, once more than limit bytes were
// read: an upload over the limit must not be completed as a shorter one.
type limitedReader struct {
	r     io.Reader
	left  int64
	ctx   context.Context
	Total int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if err := l.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := l.r.Read(p)
	l.Total += int64(n)
	l.left -= int64(n)
	if l.left < 0 {
		return n, ErrTooLarge
	}
	return n, err
}

// Put implements Store. A failed or over-the-limit upload is aborted, so
// nothing appears under key.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, limit int64) (int64, error) {
	if !ValidKey(key) {
		return 0, fmt.Errorf("blob: invalid key %q", key)
	}
	lr := &limitedReader{r: r, left: limit, ctx: ctx}
	// The size is unknown until the stream ends; an empty stream is sent
	// as such (S3 wants a length for it).
	var first [1]byte
	n, err := io.ReadFull(lr, first[:])
	size, body := int64(-1), io.MultiReader(bytes.NewReader(first[:n]), lr)
	if err == io.EOF {
		size = 0
	} else if err != nil {
		return lr.Total, err
	}
	// Payloads are not signed chunk by chunk (UNSIGNED-PAYLOAD; TLS
	// protects them): less CPU, and every S3-compatible service takes it.
	_, err = s.c.PutObject(ctx, s.bucket, key, body, size, minio.PutObjectOptions{
		ContentType: "application/octet-stream", PartSize: s3PartSize, DisableContentSha256: true})
	if lr.left < 0 {
		err = ErrTooLarge
	}
	return lr.Total, err
}

// Open implements Store.
func (s *S3) Open(ctx context.Context, key string) (Object, error) {
	if !ValidKey(key) {
		return nil, ErrNotFound
	}
	o, err := s.c.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, err
	}
	st, err := o.Stat()
	if err != nil {
		o.Close()
		if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
			return nil, ErrNotFound
		}
		return nil, err
	}
	return s3Object{Object: o, size: st.Size}, nil
}

type s3Object struct {
	*minio.Object
	size int64
}

func (o s3Object) Size() int64 { return o.size }

// Delete implements Store.
func (s *S3) Delete(ctx context.Context, key string) error {
	if !ValidKey(key) {
		return nil
	}
	err := s.c.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{})
	if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
		return nil
	}
	return err
}

// Close implements Store.
func (s *S3) Close() error { return nil }
