package app_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"klientela/internal/app/apptest"
	"klientela/internal/crm"
	"klientela/internal/store"
)

// BenchmarkBell measures what the bell costs on every page: the unread
// count of a user who has 20 000 notifications (200 of them unread) in an
// account whose other users have 80 000 more, and the whole dashboard
// (with the bell) for that user, one request at a time. Run:
//
//	go test ./internal/app/ -run '^$' -bench BenchmarkBell -benchtime 2000x
func BenchmarkBell(b *testing.B) {
	for _, engine := range apptest.Engines {
		b.Run(engine, func(b *testing.B) {
			srv := apptest.Start(b, engine)
			session, u := benchFirm(b, srv, "Piekarnia Bench")
			ctx := context.Background()
			t := srv.Store.Tenant(u.AccountID)
			acc, err := t.Account(ctx)
			if err != nil {
				b.Fatal(err)
			}
			// Other users of the account: their notifications share the table.
			others := make([]int64, 4)
			for i := range others {
				nu, err := t.CreateUser(ctx, store.NewUser{Email: "inny" + string(rune('a'+i)) + "@example.pl", Name: "Inny",
					PasswordHash: "x", Role: crm.RoleUser, Locale: "pl", Now: time.Now()})
				if err != nil {
					b.Fatal(err)
				}
				others[i] = nu.ID
			}
			now := time.Now()
			seed := func(user int64, n, unread int) {
				err := t.InTx(ctx, func(t *store.Tenant) error {
					for i := range n {
						if _, err := t.AddNotification(ctx, crm.Notification{UserID: user, Kind: crm.NotifyTaskReminder,
							SubjectID: int64(i + 1), Occurrence: now, Title: "Przypomnienie", At: now}); err != nil {
							return err
						}
					}
					_, err := t.MarkAllNotificationsRead(ctx, user, now)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
				// The newest stay unread.
				err = t.InTx(ctx, func(t *store.Tenant) error {
					for i := range unread {
						if _, err := t.AddNotification(ctx, crm.Notification{UserID: user, Kind: crm.NotifyTaskReminder,
							SubjectID: int64(n + i + 1), Occurrence: now, Title: "Przypomnienie", At: now}); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			seed(u.ID, 19800, 200)
			for _, o := range others {
				seed(o, 20000, 500)
			}
			pctx := crm.WithPrincipal(ctx, &crm.Principal{User: u, Account: acc, SessionID: 1})

			b.Run("unread-count", func(b *testing.B) {
				for b.Loop() {
					n, err := srv.Service.UnreadCount(pctx)
					if err != nil || n != 100 {
						b.Fatalf("count %d, %v", n, err)
					}
				}
			})
			b.Run("dashboard", func(b *testing.B) {
				client := &http.Client{}
				for b.Loop() {
					req, _ := http.NewRequest("GET", srv.URL+"/", nil)
					req.AddCookie(session)
					res, err := client.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					body, _ := io.ReadAll(res.Body)
					res.Body.Close()
					if res.StatusCode != 200 || !bytes.Contains(body, []byte(`class="bell-count"`)) {
						b.Fatalf("dashboard: %d", res.StatusCode)
					}
				}
			})
		})
	}
}
