package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
)

// Local keeps blobs as files in one folder. Every access goes through an
// os.Root, so no key, however formed, reaches outside the folder. A Put
// writes to tmp/ first and renames the finished file into place.
type Local struct {
	root *os.Root
}

// OpenLocal opens (and creates) the folder dir.
func OpenLocal(dir string) (*Local, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("blob: create %s: %w", dir, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("blob: open %s: %w", dir, err)
	}
	if err := root.MkdirAll("tmp", 0o750); err != nil {
		root.Close()
		return nil, fmt.Errorf("blob: create %s/tmp: %w", dir, err)
	}
	return &Local{root: root}, nil
}

// Put implements Store.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, limit int64) (n int64, err error) {
	if !ValidKey(key) {
		return 0, fmt.Errorf("blob: invalid key %q", key)
	}
	tmp := path.Join("tmp", path.Base(NewKey()))
	f, err := l.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return 0, err
	}
	defer func() {
		if f != nil {
			f.Close()
		}
		if err != nil {
			_ = l.root.Remove(tmp)
		}
	}()
	n, err = io.Copy(f, io.LimitReader(ctxReader{ctx, r}, limit+1))
	if err != nil {
		return n, err
	}
	if n > limit {
		return n, ErrTooLarge
	}
	if err = f.Sync(); err != nil {
		return n, err
	}
	err = f.Close()
	f = nil
	if err != nil {
		return n, err
	}
	if err = l.root.MkdirAll(path.Dir(key), 0o750); err != nil {
		return n, err
	}
	return n, l.root.Rename(tmp, key)
}

// Open implements Store.
func (l *Local) Open(_ context.Context, key string) (Object, error) {
	if !ValidKey(key) {
		return nil, ErrNotFound
	}
	f, err := l.root.Open(key)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, ErrNotFound
	}
	return localObject{File: f, size: st.Size()}, nil
}

type localObject struct {
	*os.File
	size int64
}

func (o localObject) Size() int64 { return o.size }

// Delete implements Store.
func (l *Local) Delete(_ context.Context, key string) error {
	if !ValidKey(key) {
		return nil
	}
	err := l.root.Remove(key)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// Close implements Store.
func (l *Local) Close() error { return l.root.Close() }

// ctxReader stops a long copy when its context ends (a client that went
// away, a server shutting down).
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
