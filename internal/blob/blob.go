// Package blob keeps the bytes of uploaded files. One small interface has
// two implementations: a folder on the local disk, opened with os.OpenRoot
// so that no key can reach outside it (the default), and an S3-compatible
// bucket through gocloud.dev/blob for several instances sharing one store.
//
// Keys are random and chosen by the caller (NewKey); a user's file name is
// never part of a key or a path. Metadata lives in the database; see the
// files use cases in package service for how the two are kept in step.
package blob

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
)

// ErrTooLarge is returned by Put when the reader holds more than the limit;
// nothing is kept.
var ErrTooLarge = errors.New("blob: over the size limit")

// ErrNotFound is returned by Open for a key that holds nothing.
var ErrNotFound = errors.New("blob: not found")

// Object is stored bytes opened for reading; Seek makes HTTP Range
// requests possible (http.ServeContent).
type Object interface {
	io.ReadSeekCloser
	Size() int64
}

// Store keeps bytes under keys.
type Store interface {
	// Put streams r into key and returns how many bytes it wrote. More than
	// limit bytes is ErrTooLarge, and then nothing is kept under key; a
	// failed Put leaves nothing either. Bytes appear under key only when
	// Put returns nil.
	Put(ctx context.Context, key string, r io.Reader, limit int64) (int64, error)
	// Open returns the bytes under key, ErrNotFound when there are none.
	Open(ctx context.Context, key string) (Object, error)
	// Delete removes key; a key that holds nothing is no error.
	Delete(ctx context.Context, key string) error
	// Close releases the store.
	Close() error
}

var keyRe = regexp.MustCompile(`^[0-9a-z]+(/[0-9a-z]+)*$`)

// ValidKey reports whether key has the shape NewKey gives: lower-case
// letters and digits in segments separated by "/".
func ValidKey(key string) bool { return len(key) <= 200 && keyRe.MatchString(key) }

// NewKey returns a fresh random key, spread over 256 folders by its first
// two characters ("3f/3f9a…").
func NewKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[:2] + "/" + h
}

// Open opens the store named by u: "file:///path" (a folder on the local
// disk), "s3://bucket?region=…&endpoint=…" (an S3-compatible bucket; the
// credentials come from the usual AWS environment variables), or "mem://"
// (in memory, for tests). A bare path is a local folder.
func Open(ctx context.Context, u string) (Store, error) {
	if !strings.Contains(u, "://") {
		return OpenLocal(u)
	}
	p, err := url.Parse(u)
	if err != nil {
		return nil, fmt.Errorf("blob: %q is not a URL: %w", u, err)
	}
	switch p.Scheme {
	case "file":
		path := p.Path
		if p.Host != "" && p.Host != "localhost" {
			path = p.Host + path // file://relative/dir
		}
		if path == "" {
			return nil, fmt.Errorf("blob: %q names no folder", u)
		}
		return OpenLocal(filepath.FromSlash(path))
	case "s3":
		return OpenS3(u)
	}
	return nil, fmt.Errorf("blob: unknown store %q (want file:// or s3://)", p.Scheme)
}
