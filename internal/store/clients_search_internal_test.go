package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/search"
)

// The client search is served by an index on both engines (FTS5 trigram on
// SQLite, pg_trgm on PostgreSQL) and must answer exactly what a plain scan
// of the folded keys answers. These tests compare Clients with that scan
// (strings.Contains over clientSearchKey) for edge queries and for every
// short substring of the stored keys.

var searchT0 = time.Date(2026, 11, 28, 9, 30, 0, 0, time.UTC)

type searchFixture struct {
	t       *testing.T
	s       *Store
	ten     *Tenant
	clients map[int64]crm.Client
	persons map[int64][]crm.ClientPerson
}

func searchEngines(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, openTest(t, sqliteDSN(t))) })
	t.Run("postgres", func(t *testing.T) {
		s := openTest(t, postgresDSN(t))
		if s == nil {
			t.Skip("KLIENTELA_TEST_POSTGRES not set")
		}
		fn(t, s)
	})
}

func newSearchFixture(t *testing.T, s *Store, email string) *searchFixture {
	a, _, err := s.CreateAccount(context.Background(), NewAccount{Name: "Firma " + email, TimeZone: "Europe/Warsaw",
		OwnerName: "Jan Kowalski", OwnerEmail: email, PasswordHash: "hash", Locale: "pl", Now: searchT0})
	if err != nil {
		t.Fatal(err)
	}
	return &searchFixture{t: t, s: s, ten: s.Tenant(a.ID), clients: map[int64]crm.Client{}, persons: map[int64][]crm.ClientPerson{}}
}

func (f *searchFixture) add(c crm.Client, persons ...crm.ClientPerson) int64 {
	f.t.Helper()
	ctx := context.Background()
	if c.Kind == "" {
		c.Kind = crm.KindCompany
	}
	c.Status, c.Country, c.CreatedAt, c.UpdatedAt = crm.ClientActive, "PL", searchT0, searchT0
	id, err := f.ten.CreateClient(ctx, c)
	if err != nil {
		f.t.Fatal(err)
	}
	c.ID = id
	for _, p := range persons {
		p.ClientID, p.CreatedAt, p.UpdatedAt = id, searchT0, searchT0
		if p.ID, err = f.ten.CreateClientPerson(ctx, p); err != nil {
			f.t.Fatal(err)
		}
		f.persons[id] = append(f.persons[id], p)
	}
	f.clients[id] = c
	return id
}

// want is the plain scan: the clients out of the trash whose key contains
// every term of q, by name.
func (f *searchFixture) want(q string) []string {
	var out []string
	terms := search.Terms(q)
	for id, c := range f.clients {
		if c.DeletedAt != nil {
			continue
		}
		key := clientSearchKey(c, f.persons[id])
		if !slices.ContainsFunc(terms, func(term string) bool { return !strings.Contains(key, term) }) {
			out = append(out, c.Name)
		}
	}
	slices.Sort(out)
	return out
}

func (f *searchFixture) got(q string) []string {
	f.t.Helper()
	cs, total, err := f.ten.Clients(context.Background(), ClientFilter{Q: q, Limit: 1000})
	if err != nil {
		f.t.Fatalf("search %q: %v", q, err)
	}
	if total != len(cs) {
		f.t.Fatalf("search %q: total %d, %d rows", q, total, len(cs))
	}
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	slices.Sort(out)
	return out
}

func (f *searchFixture) check(queries ...string) {
	f.t.Helper()
	for _, q := range queries {
		if got, want := f.got(q), f.want(q); !slices.Equal(got, want) {
			f.t.Errorf("search %q:\n got  %q\n want %q", q, got, want)
		}
	}
}

func TestClientSearchIndexMatchesScan(t *testing.T) {
	searchEngines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newSearchFixture(t, s, "szef@zuraw.pl")
		other := newSearchFixture(t, s, "szef@inna.pl")
		// Another account with the same words: never found from the first.
		other.add(crm.Client{Name: "Kowalski Łódź Żółw", NIP: "1234563218", City: "Łódź"})

		f.add(crm.Client{Name: "Żółw Sp. z o.o.", ShortName: "Żółw", NIP: "1234563218", City: "Łódź",
			Emails: []string{"biuro@zolw.pl"}, Phones: []string{"+48 600 100 200"}})
		f.add(crm.Client{Kind: crm.KindPerson, Name: "Kowalski Jan", FirstName: "Jan", LastName: "Kowalski",
			City: "Kraków", Emails: []string{"jan_kowalski@poczta.pl"}, Phones: []string{"601-202-303"}})
		f.add(crm.Client{Kind: crm.KindPerson, Name: "Kowalska Ąnna", FirstName: "Ąnna", LastName: "Kowalska",
			City: "Zgierz", Emails: []string{"anna%50@x.pl"}})
		f.add(crm.Client{Name: "Zakład Śląski", City: "Gdańsk", REGON: "123456785"},
			crm.ClientPerson{FirstName: "Łucja", LastName: "Ćwik", Email: "l.cwik@slask.pl", Phone: "+48 602 303 404"},
			crm.ClientPerson{FirstName: "Źdźbło", LastName: "Bąk"})
		f.add(crm.Client{Name: "Bąk", City: "Łęczyca"})
		f.add(crm.Client{Name: "ĘĄ", City: "Ół"})
		f.add(crm.Client{Name: "Piekarnia „Pod Dębem”", NIP: "5260250274", City: "Warszawa"})
		trashed := f.add(crm.Client{Name: "Kowalski w koszu", City: "Łódź"})
		now := searchT0
		if err := f.ten.SetClientDeleted(ctx, trashed, &now, now); err != nil {
			t.Fatal(err)
		}
		c := f.clients[trashed]
		c.DeletedAt = &now
		f.clients[trashed] = c

		f.check("", "   ", "łódź", "ŁÓDŹ", "lodz", "LODZ", "łó", "ódź", "dź", "ź", "ł", "Ó",
			"żółw", "zolw", "żó", "łw", "kowalsk", "KOWALSK", "kowalski łódź", "kowalski jan", "jan kowalski",
			"jan_kowalski", "n_k", "jan%", "anna%50", "%", "_", `\`, `"`, `"kowal"`, "o'brien",
			"123-456-32-18", "1234563218", "123 456 32 18", "123-456", "456-32", "63218", "6001", "600 100 200",
			"600100200", "601-202-303", "601202303", "602 303", "ćwik", "cwik", "l.cwik", "źdźbło", "zdzblo", "bąk", "bak",
			"ęą", "ea", "ół", "a", "ab", "sp z", "sp. z o.o.", "z o", "dębem", "pod debem", "„pod", "nic takiego",
			strings.Repeat("ą", 500), strings.Repeat("kowalski ", 60), "a b c d e f g h i j k")

		// Every substring of 1 to 5 characters of every key, as a query.
		seen := map[string]bool{}
		for id, c := range f.clients {
			for _, word := range strings.Fields(clientSearchKey(c, f.persons[id])) {
				r := []rune(word)
				for i := range r {
					for n := 1; n <= 5 && i+n <= len(r); n++ {
						if q := string(r[i : i+n]); !seen[q] {
							seen[q] = true
							f.check(q)
						}
					}
				}
			}
		}

		// The index follows changes: a renamed client, a removed contact
		// person, a client purged for good.
		zolw := f.idOf("Żółw Sp. z o.o.")
		c = f.clients[zolw]
		c.Name, c.City = "Żuraw Sp. z o.o.", "Kraków"
		c.UpdatedAt = searchT0
		if err := f.ten.UpdateClient(ctx, c); err != nil {
			t.Fatal(err)
		}
		f.clients[zolw] = c
		slask := f.idOf("Zakład Śląski")
		if err := f.ten.DeleteClientPerson(ctx, slask, f.persons[slask][0].ID); err != nil {
			t.Fatal(err)
		}
		f.persons[slask] = f.persons[slask][1:]
		bak := f.idOf("Bąk")
		if err := f.ten.PurgeClient(ctx, bak); err != nil {
			t.Fatal(err)
		}
		delete(f.clients, bak)
		f.check("żółw", "zolw", "żuraw", "łódź", "krak", "ćwik", "cwik", "l.cwik", "bąk", "bak", "łęczyca", "zdzblo")
		if got := f.got("łódź"); len(got) != 0 {
			t.Errorf("after the changes łódź finds %q", got)
		}
		// Pages of a search carry the count of all matches, also past the end.
		for _, q := range []string{"a", "kowal", "zzz"} {
			want := len(f.want(q))
			for _, off := range []int{0, 1, 2, want, 1000} {
				cs, total, err := f.ten.Clients(ctx, ClientFilter{Q: q, Offset: off, Limit: 2})
				if err != nil || total != want || len(cs) != max(0, min(2, want-off)) {
					t.Errorf("search %q offset %d: %d rows of %d, want of %d: %v", q, off, len(cs), total, want, err)
				}
			}
		}
		if s.dialect == SQLite {
			if _, err := s.w.ExecContext(ctx, `INSERT INTO clients_search (clients_search) VALUES ('integrity-check')`); err != nil {
				t.Fatalf("FTS5 index out of step with clients: %v", err)
			}
		}
	})
}

func (f *searchFixture) idOf(name string) int64 {
	for id, c := range f.clients {
		if c.Name == name {
			return id
		}
	}
	f.t.Fatalf("no client %q", name)
	return 0
}

// A walk with After (keyset paging) visits exactly the clients of one
// OFFSET page of everything, in the same order, for every sort and in the
// trash — with ties in names and cities, and in deletion times.
func TestClientsKeysetWalk(t *testing.T) {
	searchEngines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newSearchFixture(t, s, "szef@keyset.pl")
		names := []string{"Ąb", "Ab", "Bąk", "Ab", "Łoś", "Zet", "Ab", "Bąk", "Cis", "Łoś", "Dąb", "Ab"}
		cities := []string{"Łódź", "Kraków", "", "Łódź", "Kraków", "Gdańsk"}
		var ids []int64
		for i, n := range names {
			ids = append(ids, f.add(crm.Client{Name: n, City: cities[i%len(cities)]}))
		}
		for i, id := range ids[:7] { // the trash, with equal deletion times
			at := searchT0.Add(time.Duration(i/3) * time.Hour)
			if err := f.ten.SetClientDeleted(ctx, id, &at, at); err != nil {
				t.Fatal(err)
			}
		}
		for _, trash := range []bool{false, true} {
			for _, sort := range append([]string{""}, ClientSorts...) {
				all, total, err := f.ten.Clients(ctx, ClientFilter{Trash: trash, Sort: sort, Limit: 100})
				if err != nil || total != len(all) || len(all) == 0 {
					t.Fatalf("list: %v (%d of %d)", err, len(all), total)
				}
				var walked []int64
				w := ClientFilter{Trash: trash, Sort: sort, Limit: 3, NoCount: true}
				for {
					cs, n, err := f.ten.Clients(ctx, w)
					if err != nil || n != 0 {
						t.Fatalf("walk: %v, total %d", err, n)
					}
					for _, c := range cs {
						walked = append(walked, c.ID)
					}
					if len(cs) < w.Limit {
						break
					}
					w.After = &cs[len(cs)-1]
				}
				var want []int64
				for _, c := range all {
					want = append(want, c.ID)
				}
				if !slices.Equal(walked, want) {
					t.Errorf("trash %v, sort %q: walk %v, list %v", trash, sort, walked, want)
				}
			}
		}
	})
}

// checkCounts compares the kept client counts (the unfiltered list's and
// the trash's totals) with counting the rows.
func checkCounts(t *testing.T, ten *Tenant) {
	t.Helper()
	ctx := context.Background()
	for _, trash := range []bool{false, true} {
		_, total, err := ten.Clients(ctx, ClientFilter{Trash: trash, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		cond := `deleted_at IS NULL`
		if trash {
			cond = `deleted_at IS NOT NULL`
		}
		var n int
		if err := ten.queryRow(ctx, `SELECT COUNT(*) FROM clients WHERE account_id = ? AND `+cond, ten.account).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if total != n {
			t.Errorf("trash %v: kept count %d, %d rows", trash, total, n)
		}
	}
}

// The kept counts follow every write of clients: one by one, in bulk, to
// the trash and back (twice), purged from the list and from the trash.
func TestClientCounts(t *testing.T) {
	searchEngines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newSearchFixture(t, s, "szef@liczby.pl")
		other := newSearchFixture(t, s, "szef@inne.pl")
		other.add(crm.Client{Name: "Obcy"})
		checkCounts(t, f.ten)
		a, b := f.add(crm.Client{Name: "A"}), f.add(crm.Client{Name: "B"})
		f.add(crm.Client{Name: "C"})
		at := searchT0
		err := f.ten.InTx(ctx, func(t *Tenant) error {
			_, err := t.InsertClients(ctx, []ClientRecord{{Client: crm.Client{Kind: crm.KindCompany, Name: "D",
				Status: crm.ClientActive, CreatedAt: at, UpdatedAt: at}}, {Client: crm.Client{Kind: crm.KindCompany,
				Name: "E", Status: crm.ClientActive, DeletedAt: &at, CreatedAt: at, UpdatedAt: at}}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		checkCounts(t, f.ten)
		for _, step := range []func() error{
			func() error { return f.ten.SetClientDeleted(ctx, a, &at, at) },
			func() error { return f.ten.SetClientDeleted(ctx, a, &at, at) }, // already in the trash
			func() error { return f.ten.SetClientDeleted(ctx, b, nil, at) }, // not in the trash
			func() error { return f.ten.SetClientDeleted(ctx, a, nil, at) },
			func() error { return f.ten.SetClientDeleted(ctx, a, &at, at) },
			func() error { return f.ten.PurgeClient(ctx, a) },
			func() error { return f.ten.PurgeClient(ctx, b) },
		} {
			if err := step(); err != nil {
				t.Fatal(err)
			}
			checkCounts(t, f.ten)
		}
		// The counts are bumped last before the commit (atCommit): several
		// changes in one transaction add up, and a transaction that fails
		// after its changes leaves them as they were.
		for _, fail := range []bool{true, false} {
			err := f.ten.InTx(ctx, func(t *Tenant) error {
				id, err := t.CreateClient(ctx, crm.Client{Kind: crm.KindCompany, Name: "F", Status: crm.ClientActive,
					CreatedAt: at, UpdatedAt: at})
				if err != nil {
					return err
				}
				if err := t.SetClientDeleted(ctx, id, &at, at); err != nil {
					return err
				}
				if _, err := t.CreateClient(ctx, crm.Client{Kind: crm.KindCompany, Name: "G", Status: crm.ClientActive,
					CreatedAt: at, UpdatedAt: at}); err != nil {
					return err
				}
				if fail {
					return errors.New("the service's check failed")
				}
				return nil
			})
			if (err != nil) != fail {
				t.Fatalf("fail %v: %v", fail, err)
			}
			checkCounts(t, f.ten)
		}
		// Concurrent writers (on PostgreSQL several backends, so several
		// shards of the count, migration 00027): the sum is every change.
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 5 {
					id, err := f.ten.CreateClient(ctx, crm.Client{Kind: crm.KindCompany, Name: fmt.Sprintf("W%d-%d", w, i),
						Status: crm.ClientActive, CreatedAt: at, UpdatedAt: at})
					if err == nil && i%2 == 0 {
						err = f.ten.SetClientDeleted(ctx, id, &at, at)
					}
					if err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		checkCounts(t, f.ten)
		if err := f.ten.PurgeClient(ctx, a); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Errorf("purging twice: %v", err)
		}
		if err := f.ten.SetClientDeleted(ctx, a, &at, at); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Errorf("trashing a purged client: %v", err)
		}
		checkCounts(t, f.ten)
		checkCounts(t, other.ten)
	})
}

// A search for a common word (more candidates than clientSearchProbe) pages
// through the name index and counts at most CountMax+1 matches; it answers
// the same pages as the search driven by the index, in both name orders,
// with other filters, with trashed clients and another account's clients
// that match too.
func TestClientCommonSearch(t *testing.T) {
	searchEngines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newSearchFixture(t, s, "szef@wspolne.pl")
		other := newSearchFixture(t, s, "szef@obce.pl")
		other.add(crm.Client{Name: "Obca Łódź", City: "Łódź"})
		at := searchT0
		var recs []ClientRecord
		for i := range clientSearchProbe + 300 {
			c := crm.Client{Kind: crm.KindCompany, Name: fmt.Sprintf("Firma %04d", (i*7919)%3000), City: "Łódź",
				Status: crm.ClientActive, Country: "PL", CreatedAt: at, UpdatedAt: at}
			switch {
			case i%10 == 0:
				c.City = "Kraków"
			case i%13 == 0:
				c.DeletedAt = &at
			case i%4 == 0:
				c.Status = crm.ClientInactive
			}
			recs = append(recs, ClientRecord{Client: c})
		}
		if err := f.ten.InTx(ctx, func(t *Tenant) error { _, err := t.InsertClients(ctx, recs); return err }); err != nil {
			t.Fatal(err)
		}
		ids := func(cs []crm.Client) []int64 {
			var out []int64
			for _, c := range cs {
				out = append(out, c.ID)
			}
			return out
		}
		// On PostgreSQL, a walk shorter than the list finds some pages
		// (the first of a common word) and gives up on others.
		defer func(walk int) { clientSearchWalk = walk }(clientSearchWalk)
		for _, walk := range []int{clientSearchWalk, 120} {
			clientSearchWalk = walk
			for _, q := range []ClientFilter{{Q: "łódź"}, {Q: "lodz firma", Sort: "-name"}, {Q: "lodz", Status: string(crm.ClientInactive)},
				{Q: "firma 01"}, {Q: "firma 2999"}, {Q: "krakow", Sort: "name"}} {
				for _, offset := range []int{0, 50, 1950} {
					want := q
					want.Offset, want.Limit = offset, 50
					got := want
					got.CountMax = 1000
					wantPage, wantN, err := f.ten.Clients(ctx, want)
					if err != nil {
						t.Fatal(err)
					}
					gotPage, gotN, err := f.ten.Clients(ctx, got)
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(ids(gotPage), ids(wantPage)) || gotN != min(wantN, 1001) {
						t.Errorf("walk %d, %+v at %d: %d of %d, want %d of %d (%v / %v)", walk, q, offset, len(gotPage), gotN, len(wantPage), wantN,
							ids(gotPage), ids(wantPage))
					}
				}
			}
		}
	})
}
