package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"

	"klientela/internal/authz"
	"klientela/internal/crm"
)

// The feed window, in the account's local days: from FeedPastDays before
// today's midnight to FeedAheadDays after it. Calendar programs keep what
// they fetched before, so a subscription needs the recent past and the
// coming year (Google's and Outlook's own feeds publish about that);
// repeating tasks and birthdays go out once, with their rule, so they go on
// past the window. The window moves at midnight, not with every request, so
// that a feed stays the same document between changes and polls can be
// answered from a kept copy (FeedCheck.Key) or with 304 Not Modified.
const (
	FeedPastDays  = 92
	FeedAheadDays = 367
)

// FeedCheck is what a feed token stands for now, read without the feed's
// items: whose feed it is, its window and a key of everything its content
// depends on.
type FeedCheck struct {
	Principal *crm.Principal // whose feed it is
	FeedID    int64
	Zone      *time.Location
	From, To  time.Time // the window
	// Key differs whenever the feed's content may differ: it holds the
	// feed, the account's feed version (bumped in every transaction that
	// writes what a feed shows, migration 00023), the window, and the
	// user's role, scope, employee and locale and the account's name and
	// zone as read with the token. Equal keys, equal items.
	Key string
	// Modified is when the content last changed: the later of the
	// version's last bump and the window's last move (today's midnight).
	Modified time.Time
}

// Feed is what a calendar feed holds when fetched.
type Feed struct {
	FeedCheck
	Now   time.Time          // when it was read (DTSTAMP)
	Items []crm.CalendarItem // in the window; repeating items once, with their rule
}

// CheckCalendarFeed resolves a feed token: who it is for, with what they
// may see now, and the key of the feed's content. An unknown, revoked or
// rotated token, an inactive user and a user who may no longer view the
// calendar are all not found.
func (s *Service) CheckCalendarFeed(ctx context.Context, token string) (FeedCheck, error) {
	if token == "" {
		return FeedCheck{}, crm.NotFound()
	}
	p, feed, ver, err := s.store.FeedSubscriber(ctx, hashToken(token))
	if err != nil {
		return FeedCheck{}, err
	}
	if !authz.Can(&p, authz.Calendar, authz.View) {
		return FeedCheck{}, crm.NotFound()
	}
	now := s.now()
	// Like API tokens: the last fetch is recorded every few minutes at most, so
	// calendar programs polling the feed do not write on every fetch.
	if feed.LastUsedAt == nil || now.Sub(*feed.LastUsedAt) > touchEvery {
		if err := s.store.TouchCalendarFeed(ctx, feed.ID, now); err != nil {
			s.opt.Logger.Warn("touch calendar feed", "err", err)
		}
	}
	loc := accountZone(&p)
	today := localDay(now, loc)
	c := FeedCheck{Principal: &p, FeedID: feed.ID, Zone: loc, From: today.AddDate(0, 0, -FeedPastDays), To: today.AddDate(0, 0, FeedAheadDays),
		Modified: today.UTC()}
	if ver.Changed.After(c.Modified) {
		c.Modified = ver.Changed
	}
	scope, err := json.Marshal(p.User.Scope)
	if err != nil {
		return FeedCheck{}, err
	}
	emp := ""
	if p.User.EmployeeID != nil {
		emp = strconv.FormatInt(*p.User.EmployeeID, 10)
	}
	h := sha256.New()
	for _, part := range []string{strconv.FormatInt(p.Account.ID, 10), strconv.FormatInt(feed.ID, 10),
		strconv.FormatInt(p.User.ID, 10), strconv.FormatInt(ver.Version, 10), strconv.FormatInt(c.From.Unix(), 10),
		strconv.FormatInt(c.To.Unix(), 10), string(p.User.Role), string(scope), emp, p.User.Locale,
		p.Account.Name, p.Account.TimeZone} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	c.Key = hex.EncodeToString(h.Sum(nil)[:16])
	return c, nil
}

// CalendarFeedItems reads the items of a checked feed.
func (s *Service) CalendarFeedItems(ctx context.Context, c FeedCheck) (Feed, error) {
	p := c.Principal
	items, err := s.calendarItems(crm.WithPrincipal(ctx, p), p, s.store.Tenant(p.Account.ID),
		calendarRange{from: c.From, to: c.To, loc: c.Zone, series: true}, nil)
	if err != nil {
		return Feed{}, err
	}
	return Feed{FeedCheck: c, Now: s.now(), Items: items}, nil
}

// CalendarFeed reads the feed of a token, with what its user may see now
// (CheckCalendarFeed, then CalendarFeedItems).
func (s *Service) CalendarFeed(ctx context.Context, token string) (Feed, error) {
	c, err := s.CheckCalendarFeed(ctx, token)
	if err != nil {
		return Feed{}, err
	}
	return s.CalendarFeedItems(ctx, c)
}
