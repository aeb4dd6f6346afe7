package service_test

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"klientela/internal/blob"
	"klientela/internal/crm"
	"klientela/internal/service"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

// flakyBlob is a real local blob store that can be told to fail: the
// database in these tests is real, only the bytes' store misbehaves.
type flakyBlob struct {
	*blob.Local
	dir        string
	failPut    bool
	failDelete bool
	onPut      func() // runs after the bytes are written
}

func (b *flakyBlob) Put(ctx context.Context, key string, r io.Reader, limit int64) (int64, error) {
	if b.failPut {
		_, _ = io.CopyN(io.Discard, r, 100) // fail half-way through
		return 0, errors.New("disk full")
	}
	n, err := b.Local.Put(ctx, key, r, limit)
	if err == nil && b.onPut != nil {
		b.onPut()
	}
	return n, err
}

func (b *flakyBlob) Delete(ctx context.Context, key string) error {
	if b.failDelete {
		return errors.New("bucket unreachable")
	}
	return b.Local.Delete(ctx, key)
}

// stored counts the blobs on disk (temporary files aside).
func (b *flakyBlob) stored(t *testing.T) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(b.dir, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(b.dir, p)
		if err == nil && !d.IsDir() && !strings.HasPrefix(rel, "tmp"+string(filepath.Separator)) {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

type fileEnv struct {
	st   *store.Store
	svc  *service.Service
	blob *flakyBlob
	ctx  context.Context // the owner's
	now  *time.Time
}

func newFileEnv(t *testing.T, st *store.Store, quota int64) fileEnv {
	t.Helper()
	dir := t.TempDir()
	local, err := blob.OpenLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { local.Close() })
	fb := &flakyBlob{Local: local, dir: dir}
	now := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	svc := newService(t, st, service.Options{Blob: fb, FilesQuota: quota, MaxFileSize: 1 << 20,
		Now: func() time.Time { return now }})
	acc, owner, err := svc.CreateAccount(context.Background(), service.SignUpInput{CompanyName: "Firma", Name: "Jan",
		Email: "jan@example.pl", Password: "tajne-haslo-123"})
	if err != nil {
		t.Fatal(err)
	}
	return fileEnv{st: st, svc: svc, blob: fb, ctx: crm.WithPrincipal(context.Background(), &crm.Principal{User: owner, Account: acc}), now: &now}
}

func (e fileEnv) upload(target service.FileTarget, files ...string) ([]crm.File, error) {
	u, err := e.svc.BeginUpload(e.ctx, target)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		name, body, _ := strings.Cut(f, "=")
		if err := u.Add(e.ctx, name, strings.NewReader(body)); err != nil {
			u.Abort(e.ctx)
			return nil, err
		}
	}
	return u.Commit(e.ctx)
}

func (e fileEnv) check(t *testing.T, files, blobs, pending int) {
	t.Helper()
	_, total, err := e.svc.Files(e.ctx, service.FileQuery{})
	if err != nil {
		t.Fatal(err)
	}
	ps, err := e.st.PendingBlobsBefore(context.Background(), time.Now().AddDate(10, 0, 0), 1000)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.blob.stored(t); total != files || got != blobs || len(ps) != pending {
		t.Fatalf("%d files, %d blobs, %d pending; want %d, %d, %d", total, got, len(ps), files, blobs, pending)
	}
}

func TestUploadWhenTheBlobWriteFails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newFileEnv(t, st, 1<<20)
		e.blob.failPut = true
		if _, err := e.upload(service.FileTarget{}, "a.txt=hello world"); err == nil {
			t.Fatal("upload with a failing blob store succeeded")
		}
		e.check(t, 0, 0, 0) // no metadata without bytes, nothing left behind
		// Two files, the second fails: the first one's bytes go too.
		e.blob.failPut = false
		u, err := e.svc.BeginUpload(e.ctx, service.FileTarget{})
		if err != nil {
			t.Fatal(err)
		}
		if err := u.Add(e.ctx, "a.txt", strings.NewReader("first")); err != nil {
			t.Fatal(err)
		}
		e.blob.failPut = true
		if err := u.Add(e.ctx, "b.txt", strings.NewReader("second")); err == nil {
			t.Fatal("second file stored")
		}
		u.Abort(e.ctx)
		e.check(t, 0, 0, 0)
	})
}

func TestUploadWhenTheMetadataWriteFails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newFileEnv(t, st, 1<<20)
		// The folder is deleted while the bytes are on their way: the
		// transaction refuses the file, and the bytes are deleted.
		folder, err := e.svc.CreateFileFolder(e.ctx, "Umowy")
		if err != nil {
			t.Fatal(err)
		}
		e.blob.onPut = func() {
			if err := e.svc.DeleteFileFolder(e.ctx, folder.ID); err != nil {
				t.Error(err)
			}
		}
		_, err = e.upload(service.FileTarget{FolderID: &folder.ID}, "umowa.pdf=%PDF-1.4 ...")
		if ce, ok := crm.AsError(err); !ok || ce.Fields["folder_id"].Key != "err.file_folder_unknown" {
			t.Fatalf("upload into a folder deleted meanwhile: %v", err)
		}
		e.check(t, 0, 0, 0)

		// Another upload takes the quota while this one streams: the
		// commit re-checks under the account's lock and refuses.
		e.blob.onPut = nil
		big := strings.Repeat("x", 600<<10)
		e.blob.onPut = func() {
			e.blob.onPut = nil
			if _, err := e.upload(service.FileTarget{}, "other.bin="+big); err != nil {
				t.Error(err)
			}
		}
		_, err = e.upload(service.FileTarget{}, "mine.bin="+big)
		if ce, ok := crm.AsError(err); !ok || ce.Fields["file"].Key != "err.file_quota" {
			t.Fatalf("upload past the quota: %v", err)
		}
		e.check(t, 1, 1, 0)

		// The transaction fails and the blob store cannot delete either:
		// the bytes stay noted, and the cleanup deletes them later.
		e.blob.onPut = func() {
			e.blob.failDelete = true
			_ = e.svc.DeleteFileFolder(e.ctx, folder.ID)
		}
		folder, _ = e.svc.CreateFileFolder(e.ctx, "Umowy 2")
		if _, err := e.upload(service.FileTarget{FolderID: &folder.ID}, "x.txt=abc"); err == nil {
			t.Fatal("upload succeeded")
		}
		e.check(t, 1, 2, 1)
		e.blob.failDelete, e.blob.onPut = false, nil
		if err := e.svc.Cleanup(context.Background()); err != nil {
			t.Fatal(err)
		}
		e.check(t, 1, 2, 1) // too fresh: it could be an upload still running
		*e.now = e.now.Add(7 * time.Hour)
		if err := e.svc.Cleanup(context.Background()); err != nil {
			t.Fatal(err)
		}
		e.check(t, 1, 1, 0)
	})
}

func TestDeleteWhenTheBlobDeleteFails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newFileEnv(t, st, 1<<20)
		fs, err := e.upload(service.FileTarget{}, "a.txt=aaa", "b.txt=bbb")
		if err != nil || len(fs) != 2 {
			t.Fatalf("upload: %v %v", fs, err)
		}
		e.blob.failDelete = true
		if err := e.svc.DeleteFile(e.ctx, fs[0].ID); err != nil {
			t.Fatalf("delete with a failing blob store: %v", err) // the file is gone for the user
		}
		e.check(t, 1, 2, 1)
		e.blob.failDelete = false
		*e.now = e.now.Add(7 * time.Hour)
		if err := e.svc.Cleanup(context.Background()); err != nil {
			t.Fatal(err)
		}
		e.check(t, 1, 1, 0)
		// A normal delete takes metadata and bytes at once.
		if err := e.svc.DeleteFile(e.ctx, fs[1].ID); err != nil {
			t.Fatal(err)
		}
		e.check(t, 0, 0, 0)
	})
}

// A crash after the bytes were written and before the commit (no Abort
// ever runs) leaves only a note; the cleanup deletes the bytes.
func TestCrashBetweenBytesAndMetadata(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newFileEnv(t, st, 1<<20)
		u, err := e.svc.BeginUpload(e.ctx, service.FileTarget{})
		if err != nil {
			t.Fatal(err)
		}
		if err := u.Add(e.ctx, "a.txt", strings.NewReader("lost")); err != nil {
			t.Fatal(err)
		}
		e.check(t, 0, 1, 1)
		*e.now = e.now.Add(7 * time.Hour)
		if err := e.svc.Cleanup(context.Background()); err != nil {
			t.Fatal(err)
		}
		e.check(t, 0, 0, 0)
	})
}

func TestUploadRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newFileEnv(t, st, 3<<20)
		field := func(err error) string {
			t.Helper()
			ce, ok := crm.AsError(err)
			if !ok {
				t.Fatalf("not a domain error: %v", err)
			}
			return ce.Fields["file"].Key
		}
		if _, err := e.upload(service.FileTarget{}, "pusty.txt="); field(err) != "err.file_empty" {
			t.Fatalf("empty file: %v", err)
		}
		if _, err := e.upload(service.FileTarget{}); field(err) != "err.file_required" {
			t.Fatalf("no file: %v", err)
		}
		if _, err := e.upload(service.FileTarget{}, "duzy.bin="+strings.Repeat("x", 1<<20+1)); field(err) != "err.file_too_large" {
			t.Fatalf("over the size limit: %v", err)
		}
		e.check(t, 0, 0, 0)
		// Names: paths go, direction overrides go, long names keep their
		// extension.
		long := strings.Repeat("ż", 300) + ".pdf"
		fs, err := e.upload(service.FileTarget{}, "../../etc/passwd=root:x", "CON=con", `C:\Users\jan\faktura.pdf=%PDF-`,
			"zdjęcie\u202Egpj.exe=MZ", long+"=x", "<b>x<\\b>.html=<html><script>alert(1)</script>")
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"passwd", "CON", "faktura.pdf", "zdjęciegpj.exe", strings.Repeat("ż", 251) + ".pdf", "b>.html"}
		for i, f := range fs {
			if f.Name != want[i] {
				t.Errorf("name %d = %q, want %q", i, f.Name, want[i])
			}
		}
		if fs[2].MediaType != "application/pdf" || !fs[2].Previewable() || fs[5].Previewable() || fs[0].Previewable() {
			t.Errorf("sniffed types: %q %q %q", fs[2].MediaType, fs[5].MediaType, fs[0].MediaType)
		}
		// Search folds diacritics.
		got, _, err := e.svc.Files(e.ctx, service.FileQuery{Q: "ZDJECIE"})
		if err != nil || len(got) != 1 || got[0].ID != fs[3].ID {
			t.Fatalf("search: %v %v", got, err)
		}
	})
}
