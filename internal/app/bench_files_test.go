package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"klientela/internal/app/apptest"
	"klientela/internal/crm"
	"klientela/internal/store"
)

// BenchmarkFiles measures the file list with 50 000 files in the account
// (metadata only: the list never reads the bytes), 8 concurrent clients:
// the first page (by name), by size, a later page, one folder and a
// search in names with Polish letters.
func BenchmarkFiles(b *testing.B) {
	for _, engine := range apptest.Engines {
		b.Run(engine, func(b *testing.B) {
			srv := apptest.Start(b, engine)
			session, owner := benchFirm(b, srv, "Biuro Plików")
			folder := seedFiles(b, srv.Store.Tenant(owner.AccountID), 50000)
			if err := srv.Store.Optimize(context.Background()); err != nil {
				b.Fatal(err)
			}

			runPages(b, srv, session, []benchPage{
				{"list", "/files", "1–50 z 50"},
				{"by-size", "/files?sort=-size", "1–50 z 50"},
				{"page-200", "/files?page=200", "9951–10"},
				{"folder", fmt.Sprintf("/files?folder=%d", folder), "1–50 z 2"},
				{"search", "/files?q=lodz+skan", "files-table"},
			})
		})
	}
}

// seedFiles adds n files' metadata in 20 folders (every fifth file in
// none) and returns the first folder's id.
func seedFiles(b *testing.B, t *store.Tenant, n int) int64 {
	b.Helper()
	ctx := context.Background()
	start := time.Now().Add(-time.Duration(n) * time.Minute)
	var folders []int64
	for i := range 20 {
		id, err := t.CreateFileFolder(ctx, crm.FileFolder{Name: fmt.Sprintf("Folder %02d", i), CreatedAt: start, UpdatedAt: start})
		if err != nil {
			b.Fatal(err)
		}
		folders = append(folders, id)
	}
	kinds := []string{"Skan faktury %d — %s.pdf", "Zdjęcie budowy %d %s.jpg", "Umowa %d (%s).docx", "Cennik %d %s.xlsx", "Protokół %d %s.pdf"}
	cities := []string{"Łódź", "Kraków", "Gdańsk", "Poznań", "Wrocław"}
	const batch = 2000
	for from := 0; from < n; from += batch {
		err := t.InTx(ctx, func(t *store.Tenant) error {
			for i := from; i < min(n, from+batch); i++ {
				at := start.Add(time.Duration(i) * time.Minute)
				f := crm.File{Name: fmt.Sprintf(kinds[i%len(kinds)], i, cities[(i/5)%len(cities)]), Size: int64(1000 + (i*7919)%5000000),
					MediaType: "application/pdf", SHA256: fmt.Sprintf("%064x", i), BlobKey: fmt.Sprintf("bench-%d", i), CreatedAt: at, UpdatedAt: at}
				if i%5 != 4 {
					f.FolderID = &folders[i%20]
				}
				if _, err := t.CreateFile(ctx, f); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return folders[0]
}
