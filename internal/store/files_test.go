package store_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

// TestFileCounts: the counts the files' triggers keep (migration 00029) —
// the account's files and bytes, each folder's files — follow every write
// (upload, move, delete) and match a count of the rows; the capped count
// stops where it is told.
func TestFileCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := newAccount(t, s, "a@example.pl")
		b, _ := newAccount(t, s, "b@example.pl")
		ta, tb := s.Tenant(a.ID), s.Tenant(b.ID)
		folder := func(tn *store.Tenant, name string) int64 {
			id, err := tn.CreateFileFolder(ctx, crm.FileFolder{Name: name, CreatedAt: t0, UpdatedAt: t0})
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		f1, f2 := folder(ta, "Umowy"), folder(ta, "Skany")
		fb := folder(tb, "Obce")
		file := func(tn *store.Tenant, name string, size int64, folder *int64) int64 {
			id, err := tn.CreateFile(ctx, crm.File{Name: name, Size: size, FolderID: folder, MediaType: "application/pdf",
				BlobKey: fmt.Sprintf("%d-%s", size, name), CreatedAt: t0, UpdatedAt: t0})
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		ids := []int64{
			file(ta, "umowa-łódź.pdf", 100, &f1),
			file(ta, "umowa-kraków.pdf", 200, &f1),
			file(ta, "skan-001.pdf", 300, &f2),
			file(ta, "notatka.txt", 400, nil),
		}
		file(tb, "obca.pdf", 5000, &fb)

		check := func(step string, files int, bytes int64, inFolder map[int64]int) {
			t.Helper()
			_, total, err := ta.Files(ctx, store.FileFilter{Limit: 1})
			if err != nil || total != files {
				t.Errorf("%s: %d files, %v; want %d", step, total, err, files)
			}
			if used, err := ta.FilesUsage(ctx); err != nil || used != bytes {
				t.Errorf("%s: %d bytes used, %v; want %d", step, used, err, bytes)
			}
			folders, err := ta.FileFolders(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range folders {
				if d.Files != inFolder[d.ID] {
					t.Errorf("%s: folder %q holds %d files; want %d", step, d.Name, d.Files, inFolder[d.ID])
				}
				got, err := ta.FileFolder(ctx, d.ID)
				if err != nil || got.Files != d.Files {
					t.Errorf("%s: FileFolder(%q) = %d files, %v; the list says %d", step, d.Name, got.Files, err, d.Files)
				}
				_, n, err := ta.Files(ctx, store.FileFilter{FolderID: d.ID, Limit: 1})
				if err != nil || n != inFolder[d.ID] {
					t.Errorf("%s: the list of folder %q counts %d, %v; want %d", step, d.Name, n, err, inFolder[d.ID])
				}
			}
		}
		check("uploads", 4, 1000, map[int64]int{f1: 2, f2: 1})

		// A move between folders, into none and back into one.
		move := func(id int64, to *int64) {
			t.Helper()
			f, err := ta.File(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			f.FolderID, f.UpdatedAt = to, t0.Add(time.Minute)
			if err := ta.UpdateFile(ctx, f); err != nil {
				t.Fatal(err)
			}
		}
		move(ids[0], &f2)
		check("moved to Skany", 4, 1000, map[int64]int{f1: 1, f2: 2})
		move(ids[1], nil)
		move(ids[3], &f1)
		check("moved out and in", 4, 1000, map[int64]int{f1: 1, f2: 2})
		// A rename (the same folder) leaves the counts alone.
		if f, err := ta.File(ctx, ids[3]); err != nil {
			t.Fatal(err)
		} else if f.Name = "notatka-2.txt"; ta.UpdateFile(ctx, f) != nil {
			t.Fatal("rename failed")
		}
		check("renamed", 4, 1000, map[int64]int{f1: 1, f2: 2})

		if err := ta.DeleteFile(ctx, ids[2]); err != nil {
			t.Fatal(err)
		}
		check("deleted", 3, 700, map[int64]int{f1: 1, f2: 1})
		// A write rolled back leaves the counts as they were.
		err := ta.InTx(ctx, func(tx *store.Tenant) error {
			if _, err := tx.CreateFile(ctx, crm.File{Name: "cofnięty.pdf", Size: 50, FolderID: &f1, BlobKey: "rolled-back",
				CreatedAt: t0, UpdatedAt: t0}); err != nil {
				return err
			}
			if used, err := tx.FilesUsage(ctx); err != nil || used != 750 {
				t.Errorf("inside the transaction: %d bytes used, %v; want 750", used, err)
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatal("the transaction committed")
		}
		check("rolled back", 3, 700, map[int64]int{f1: 1, f2: 1})

		// B's counts are its own.
		if _, n, err := tb.Files(ctx, store.FileFilter{Limit: 1}); err != nil || n != 1 {
			t.Errorf("B's files: %d, %v", n, err)
		}
		if used, _ := tb.FilesUsage(ctx); used != 5000 {
			t.Errorf("B uses %d bytes", used)
		}
		if _, n, err := ta.Files(ctx, store.FileFilter{FolderID: fb, Limit: 1}); err != nil || n != 0 {
			t.Errorf("A counts B's folder: %d, %v", n, err)
		}

		// A capped count stops after CountMax+1 matches.
		for i := range 6 {
			file(ta, fmt.Sprintf("faktura-%02d.pdf", i), 10, nil)
		}
		if _, n, err := ta.Files(ctx, store.FileFilter{Q: "faktura", Limit: 2, CountMax: 3}); err != nil || n != 4 {
			t.Errorf("capped count = %d, %v; want 4 (3+1)", n, err)
		}
		if _, n, err := ta.Files(ctx, store.FileFilter{Q: "faktura", Limit: 2}); err != nil || n != 6 {
			t.Errorf("full count = %d, %v; want 6", n, err)
		}
		// A kept count is exact whatever CountMax says.
		if _, n, err := ta.Files(ctx, store.FileFilter{Limit: 2, CountMax: 3}); err != nil || n != 9 {
			t.Errorf("kept count = %d, %v; want 9", n, err)
		}
	})
}

var errRollback = errors.New("roll back")

// TestFileListPages: every order reads its pages in order, and the pages
// together are the whole list, each file once (the page's ids are read
// first, then joined to their names).
func TestFileListPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := newAccount(t, s, "a@example.pl")
		ta := s.Tenant(a.ID)
		d, err := ta.CreateFileFolder(ctx, crm.FileFolder{Name: "Umowy", CreatedAt: t0, UpdatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		names := []string{"Żaba.pdf", "zebra.pdf", "ąkacja.pdf", "Akacja.pdf", "łódź.pdf", "lodz.pdf", "Zebra.pdf", "b.pdf", "b.pdf"}
		for i, name := range names {
			var folder *int64
			if i%2 == 0 {
				folder = &d
			}
			if _, err := ta.CreateFile(ctx, crm.File{Name: name, Size: int64(100 * (i % 4)), FolderID: folder, BlobKey: fmt.Sprint(i),
				CreatedAt: t0.Add(time.Duration(i) * time.Hour), UpdatedAt: t0}); err != nil {
				t.Fatal(err)
			}
		}
		for _, sort := range store.FileSorts {
			for _, folder := range []int64{0, d} {
				all, total, err := ta.Files(ctx, store.FileFilter{Sort: sort, FolderID: folder, Limit: 100})
				if err != nil {
					t.Fatal(err)
				}
				if total != len(all) {
					t.Errorf("%s, folder %d: total %d, %d rows", sort, folder, total, len(all))
				}
				var paged []crm.File
				for off := 0; off < total; off += 2 {
					page, _, err := ta.Files(ctx, store.FileFilter{Sort: sort, FolderID: folder, Limit: 2, Offset: off})
					if err != nil {
						t.Fatal(err)
					}
					paged = append(paged, page...)
				}
				if !slices.EqualFunc(all, paged, func(x, y crm.File) bool { return x.ID == y.ID }) {
					t.Errorf("%s, folder %d: the pages are not the list: %v / %v", sort, folder, fileIDs(all), fileIDs(paged))
				}
				if !slices.IsSortedFunc(all, fileOrder(sort)) {
					t.Errorf("%s, folder %d: out of order: %v", sort, folder, fileNames(all))
				}
				for _, f := range all {
					if (f.FolderID != nil) != (f.FolderName == "Umowy") {
						t.Errorf("%s: %s in folder %v named %q", sort, f.Name, f.FolderID, f.FolderName)
					}
				}
			}
		}
	})
}

// fileOrder compares two files as the list's sort orders them; ties are
// broken by id.
func fileOrder(sort string) func(x, y crm.File) int {
	desc := sort[0] == '-'
	key := sort
	if desc {
		key = sort[1:]
	}
	return func(x, y crm.File) int {
		var c int
		switch key {
		case "size":
			c = cmp.Compare(x.Size, y.Size)
		case "created": // the id's order, as files are never backdated
			c = x.CreatedAt.Compare(y.CreatedAt)
		default:
			return 0 // the name's order is the search key's (checked by the list's tests)
		}
		if desc {
			c = -c
		}
		if c == 0 {
			c = cmp.Compare(x.ID, y.ID)
			if desc {
				c = -c
			}
		}
		return c
	}
}

func fileIDs(fs []crm.File) []int64 {
	out := make([]int64, len(fs))
	for i, f := range fs {
		out[i] = f.ID
	}
	return out
}

func fileNames(fs []crm.File) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}
