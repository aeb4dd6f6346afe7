package store_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

func TestDocuments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := newAccount(t, s, "a@example.pl")
		b, _ := newAccount(t, s, "b@example.pl")
		ta, tb := s.Tenant(a.ID), s.Tenant(b.ID)
		c := newClient(t, ta, "Łódzka Spółka", nil)
		cb := newClient(t, tb, "Obcy", nil)

		d1, err := ta.CreateDocument(ctx, crm.Document{Title: "Umowa — Łódź", BodyHTML: "<p>Treść ważna</p>", ClientID: &c,
			Tags: []string{"umowa", "Pilne"}, CreatedAt: t0, UpdatedAt: t0}, "Treść ważna")
		if err != nil {
			t.Fatal(err)
		}
		d2, err := ta.CreateDocument(ctx, crm.Document{Title: "Szablon oferty", IsTemplate: true, CreatedAt: t0.Add(time.Hour),
			UpdatedAt: t0.Add(time.Hour)}, "")
		if err != nil {
			t.Fatal(err)
		}
		// A document of B cannot point at A's client (composite FK).
		if _, err := tb.CreateDocument(ctx, crm.Document{Title: "X", ClientID: &c, CreatedAt: t0, UpdatedAt: t0}, ""); err == nil {
			t.Fatal("B's document points at A's client")
		}
		if _, err := tb.CreateDocument(ctx, crm.Document{Title: "Obcy dokument", ClientID: &cb, CreatedAt: t0, UpdatedAt: t0}, "umowa"); err != nil {
			t.Fatal(err)
		}

		got, err := ta.Document(ctx, d1)
		if err != nil || got.ClientName != "Łódzka Spółka" || len(got.Tags) != 2 || got.BodyHTML != "<p>Treść ważna</p>" {
			t.Fatalf("Document = %+v, %v", got, err)
		}
		if _, err := tb.Document(ctx, d1); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("B reads A's document: %v", err)
		}
		yes, no := true, false
		for _, c := range []struct {
			f    store.DocumentFilter
			want []int64
		}{
			{store.DocumentFilter{Limit: 10}, []int64{d2, d1}},
			{store.DocumentFilter{Sort: "title", Limit: 10}, []int64{d2, d1}},
			{store.DocumentFilter{Sort: "updated", Limit: 10}, []int64{d1, d2}},
			{store.DocumentFilter{Q: "lodz WAZNA", Limit: 10}, []int64{d1}},
			{store.DocumentFilter{Q: "umowa", Limit: 10}, []int64{d1}}, // not B's
			{store.DocumentFilter{ClientID: c, Limit: 10}, []int64{d1}},
			{store.DocumentFilter{Tag: "pilne", Limit: 10}, []int64{d1}},
			{store.DocumentFilter{Template: &yes, Limit: 10}, []int64{d2}},
			{store.DocumentFilter{Template: &no, Limit: 10}, []int64{d1}},
		} {
			ds, total, err := ta.Documents(ctx, c.f)
			var ids []int64
			for _, d := range ds {
				ids = append(ids, d.ID)
			}
			if err != nil || total != len(c.want) || len(ids) != len(c.want) || (len(ids) > 0 && ids[0] != c.want[0]) {
				t.Errorf("Documents(%+v) = %v (%d), %v; want %v", c.f, ids, total, err, c.want)
			}
		}

		// Versions: add, fold, read; B sees none of them.
		v1, err := ta.AddDocumentVersion(ctx, crm.DocumentVersion{DocumentID: d1, Title: "Umowa", BodyHTML: "<p>1</p>", CreatedAt: t0, UpdatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		v2, err := ta.AddDocumentVersion(ctx, crm.DocumentVersion{DocumentID: d1, Title: "Umowa", BodyHTML: "<p>2</p>", Autosave: true,
			RestoredFrom: &v1, CreatedAt: t0.Add(time.Minute), UpdatedAt: t0.Add(time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		if err := ta.UpdateDocumentVersion(ctx, crm.DocumentVersion{ID: v2, DocumentID: d1, Title: "Umowa", BodyHTML: "<p>22</p>",
			UpdatedAt: t0.Add(2 * time.Minute)}); err != nil {
			t.Fatal(err)
		}
		last, err := ta.LatestDocumentVersion(ctx, d1)
		if err != nil || last.ID != v2 || last.BodyHTML != "<p>22</p>" || !last.Autosave || last.RestoredFrom == nil || *last.RestoredFrom != v1 {
			t.Fatalf("LatestDocumentVersion = %+v, %v", last, err)
		}
		if vs, err := ta.DocumentVersions(ctx, d1, 10); err != nil || len(vs) != 2 || vs[0].ID != v2 || vs[0].Size != len("<p>22</p>") {
			t.Fatalf("DocumentVersions = %+v, %v", vs, err)
		}
		if _, err := tb.DocumentVersion(ctx, d1, v1); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("B reads A's version: %v", err)
		}
		if err := tb.UpdateDocumentVersion(ctx, crm.DocumentVersion{ID: v1, DocumentID: d1, BodyHTML: "x", UpdatedAt: t0}); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("B changes A's version: %v", err)
		}
		if err := tb.DeleteDocument(ctx, d1); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("B deletes A's document: %v", err)
		}
		// Deleting takes the tags and versions along.
		if err := ta.DeleteDocument(ctx, d1); err != nil {
			t.Fatal(err)
		}
		if _, err := ta.DocumentVersion(ctx, d1, v1); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("version of a deleted document: %v", err)
		}
		if tags, _ := ta.DocumentTags(ctx, 10); len(tags) != 0 {
			t.Fatalf("tags of a deleted document: %v", tags)
		}
	})
}

// The tag suggestions: each key once (as first written), alphabetically,
// at most the limit, never another account's; the list's counts, its
// pages in title order with their client, and the tag filter.
func TestDocumentTagsAndList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := newAccount(t, s, "tagi@example.pl")
		b, _ := newAccount(t, s, "obcy@example.pl")
		ta, tb := s.Tenant(a.ID), s.Tenant(b.ID)
		c := newClient(t, ta, "Klient Tagów", nil)
		if _, err := tb.CreateDocument(ctx, crm.Document{Title: "Obcy", Tags: []string{"aaa-obcy"}, CreatedAt: t0, UpdatedAt: t0}, ""); err != nil {
			t.Fatal(err)
		}
		tagSets := [][]string{{"Umowa", "pilne"}, {"umowa"}, {"Oferta"}, {"zlecenie", "PILNE"}, {"umowa"}}
		for i := range 25 {
			if _, err := ta.CreateDocument(ctx, crm.Document{Title: fmt.Sprintf("Dokument %02d", 24-i), ClientID: &c,
				Tags: tagSets[i%len(tagSets)], CreatedAt: t0, UpdatedAt: t0.Add(time.Duration(i) * time.Minute)}, ""); err != nil {
				t.Fatal(err)
			}
		}
		tags, err := ta.DocumentTags(ctx, 10)
		if want := []string{"Oferta", "pilne", "Umowa", "zlecenie"}; err != nil || !slices.Equal(tags, want) {
			t.Fatalf("tags = %q, %v; want %q", tags, err, want)
		}
		if tags, err := ta.DocumentTags(ctx, 2); err != nil || !slices.Equal(tags, []string{"Oferta", "pilne"}) {
			t.Fatalf("2 tags = %q, %v", tags, err)
		}
		if tags, err := tb.DocumentTags(ctx, 10); err != nil || !slices.Equal(tags, []string{"aaa-obcy"}) {
			t.Fatalf("B's tags = %q, %v", tags, err)
		}
		for _, c := range []struct {
			f     store.DocumentFilter
			total int
			first string
			rows  int
		}{
			{store.DocumentFilter{Sort: "title", Limit: 10}, 25, "Dokument 00", 10},
			{store.DocumentFilter{Sort: "-title", Limit: 10, Offset: 20}, 25, "Dokument 04", 5},
			// Latest changed first. The count of the list and of a tag is
			// kept (document_counts) and exact; CountMax caps the others.
			{store.DocumentFilter{Limit: 10, CountMax: 12}, 25, "Dokument 00", 10},
			{store.DocumentFilter{ClientID: c, Limit: 10, CountMax: 12}, 13, "Dokument 00", 10},
			{store.DocumentFilter{Tag: "PILNE", Limit: 3, CountMax: 100}, 10, "Dokument 01", 3},
			{store.DocumentFilter{Tag: "oferta", Sort: "title", Limit: 10, CountMax: 3}, 5, "Dokument 02", 5},
			{store.DocumentFilter{ClientID: c, Tag: "oferta", Sort: "title", Limit: 10, CountMax: 3}, 4, "Dokument 02", 5},
		} {
			ds, n, err := ta.Documents(ctx, c.f)
			if err != nil || n != c.total || len(ds) != c.rows || ds[0].Title != c.first || ds[0].ClientName != "Klient Tagów" {
				t.Fatalf("%+v: %d rows of %d, first %+v, %v", c.f, len(ds), n, ds, err)
			}
		}
	})
}

// The document search answers the same with and without its index: a rare
// word (found through the index) follows inserts, updates and deletes; a
// word in most documents counts and pages the same with its page read
// from the index or walking the list's order, and so does a short term
// (no index); another account's documents never match.
func TestDocumentSearchIndex(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := newAccount(t, s, "szukaj@example.pl")
		b, _ := newAccount(t, s, "obce@example.pl")
		ta, tb := s.Tenant(a.ID), s.Tenant(b.ID)
		if _, err := tb.CreateDocument(ctx, crm.Document{Title: "Żuraw obcy", CreatedAt: t0, UpdatedAt: t0}, "Żuraw"); err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for i := range 2100 {
			title := fmt.Sprintf("Umowa najmu %d", i)
			if i%700 == 0 {
				title = fmt.Sprintf("Protokół Żuraw %d", i)
			}
			id, err := ta.CreateDocument(ctx, crm.Document{Title: title, CreatedAt: t0, UpdatedAt: t0.Add(time.Duration(i) * time.Second)}, "Łódź")
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		najmu99 := 0
		for i := range 2100 {
			if i%700 != 0 && strings.Contains(strconv.Itoa(i), "99") {
				najmu99++
			}
		}
		count := func(q string, countMax int) int {
			t.Helper()
			_, n, err := ta.Documents(ctx, store.DocumentFilter{Q: q, Limit: 10, CountMax: countMax})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, probe := range []int{0, 1000000} { // the page from the index, then walking the list's order
			undo := store.SetDocumentSearchWalk(probe)
			if got := count("umowa lodz", 0); got != 2097 {
				t.Fatalf("probe %d: common words = %d", probe, got)
			}
			if got := count("umowa lodz", 1000); got != 1001 {
				t.Fatalf("probe %d: common words, capped = %d", probe, got)
			}
			page, _, err := ta.Documents(ctx, store.DocumentFilter{Q: "umowa", Limit: 5, CountMax: 1000})
			if err != nil || len(page) != 5 || page[0].Title != "Umowa najmu 2099" {
				t.Fatalf("probe %d: page of a common word: %+v, %v", probe, page, err)
			}
			// A short term beside an indexed one: "99" is matched by its
			// LIKE, "najmu" by the index.
			page, n, err := ta.Documents(ctx, store.DocumentFilter{Q: "najmu 99", Sort: "updated", Limit: 50})
			if err != nil || n != najmu99 || len(page) != najmu99 || page[0].Title != "Umowa najmu 99" {
				t.Fatalf("probe %d: \"najmu 99\": %d rows of %d, %v; want %d", probe, len(page), n, err, najmu99)
			}
			undo()
		}
		if got := count("żuraw", 0); got != 3 {
			t.Fatalf("rare word = %d", got)
		}
		if got := count("1 zuraw", 0); got != 1 { // "Protokół Żuraw 1400"; "1" is too short for the index
			t.Fatalf("rare word and a digit = %d", got)
		}
		page, _, err := ta.Documents(ctx, store.DocumentFilter{Q: "umowa", Limit: 5})
		if err != nil || len(page) != 5 || page[0].Title != "Umowa najmu 2099" {
			t.Fatalf("page of a common word: %+v, %v", page, err)
		}
		d, err := ta.Document(ctx, ids[700])
		if err != nil {
			t.Fatal(err)
		}
		d.Title = "Faktura Gdańsk"
		if err := ta.UpdateDocument(ctx, d, ""); err != nil {
			t.Fatal(err)
		}
		if err := ta.DeleteDocument(ctx, ids[0]); err != nil {
			t.Fatal(err)
		}
		if got, gd := count("zuraw", 0), count("gdansk", 0); got != 1 || gd != 1 {
			t.Fatalf("after update and delete: zuraw %d, gdansk %d", got, gd)
		}
	})
}

// The kept counts (document_counts) of the list, of each tag and of the
// templates follow every change of a document: created, tags changed
// (also only in case), made a template and back, deleted; each account
// counts its own. They always equal what the rows say.
func TestDocumentCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := newAccount(t, s, "liczby@example.pl")
		b, _ := newAccount(t, s, "inne@example.pl")
		ta, tb := s.Tenant(a.ID), s.Tenant(b.ID)
		if _, err := tb.CreateDocument(ctx, crm.Document{Title: "Obcy", Tags: []string{"umowa"}, IsTemplate: true,
			CreatedAt: t0, UpdatedAt: t0}, ""); err != nil {
			t.Fatal(err)
		}
		yes, no := true, false
		check := func(step string, want map[string][3]int) { // tag ("" all) → all, templates, others
			t.Helper()
			for tag, w := range want {
				for i, tpl := range []*bool{nil, &yes, &no} {
					f := store.DocumentFilter{Tag: tag, Template: tpl, Limit: 1000}
					ds, n, err := ta.Documents(ctx, f)
					if err != nil || n != w[i] || len(ds) != w[i] {
						t.Errorf("%s: tag %q, template %v: total %d, %d rows, %v; want %d", step, tag, tpl, n, len(ds), err, w[i])
					}
				}
			}
		}
		check("empty", map[string][3]int{"": {0, 0, 0}, "umowa": {0, 0, 0}})
		var ids []int64
		for i, tags := range [][]string{{"Umowa", "pilne"}, {"umowa"}, {}, {"PILNE"}} {
			id, err := ta.CreateDocument(ctx, crm.Document{Title: fmt.Sprintf("D%d", i), Tags: tags, IsTemplate: i == 1,
				CreatedAt: t0, UpdatedAt: t0}, "")
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		check("created", map[string][3]int{"": {4, 1, 3}, "umowa": {2, 1, 1}, "Pilne": {2, 0, 2}, "oferta": {0, 0, 0}})

		update := func(id int64, change func(*crm.Document)) {
			t.Helper()
			d, err := ta.Document(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			change(&d)
			if err := ta.UpdateDocument(ctx, d, ""); err != nil {
				t.Fatal(err)
			}
		}
		update(ids[0], func(d *crm.Document) { d.Tags = []string{"UMOWA", "oferta"} }) // pilne off, oferta on, umowa kept
		update(ids[1], func(d *crm.Document) { d.IsTemplate = false })
		update(ids[2], func(d *crm.Document) { d.IsTemplate, d.Tags = true, []string{"Pilne"} })
		update(ids[3], func(d *crm.Document) { d.Title = "Bez zmian liczb" })
		check("updated", map[string][3]int{"": {4, 1, 3}, "umowa": {2, 0, 2}, "pilne": {2, 1, 1}, "oferta": {1, 0, 1}})

		// A failed change changes no count: B cannot update or delete A's
		// document, and a tag given twice is refused whole.
		d, err := ta.Document(ctx, ids[3])
		if err != nil {
			t.Fatal(err)
		}
		if err := tb.UpdateDocument(ctx, d, ""); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("B updates A's document: %v", err)
		}
		if err := tb.DeleteDocument(ctx, ids[3]); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("B deletes A's document: %v", err)
		}
		d.Tags = []string{"oferta", "Oferta"}
		if err := ta.UpdateDocument(ctx, d, ""); err == nil {
			t.Fatal("a tag twice was saved")
		}
		check("refused", map[string][3]int{"": {4, 1, 3}, "umowa": {2, 0, 2}, "pilne": {2, 1, 1}, "oferta": {1, 0, 1}})

		for _, id := range ids[1:3] {
			if err := ta.DeleteDocument(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		check("deleted", map[string][3]int{"": {2, 0, 2}, "umowa": {1, 0, 1}, "pilne": {1, 0, 1}, "oferta": {1, 0, 1}})
		if _, n, err := tb.Documents(ctx, store.DocumentFilter{Tag: "umowa", Template: &yes, Limit: 10}); err != nil || n != 1 {
			t.Fatalf("B's count = %d, %v", n, err)
		}
		// A tag of blanks is no tag: nothing matches.
		if ds, n, err := ta.Documents(ctx, store.DocumentFilter{Tag: "  ", Limit: 10}); err != nil || n != 0 || len(ds) != 0 {
			t.Fatalf("blank tag: %d rows of %d, %v", len(ds), n, err)
		}
	})
}
