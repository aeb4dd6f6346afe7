package i18n

import (
	"errors"
	"fmt"
	"sync"
	"time"

	// Embed the IANA time zone database so that zones load on machines
	// (and in containers) without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// DefaultZone is the time zone of accounts that have not chosen one.
const DefaultZone = "Europe/Warsaw"

// ErrLocalZone is returned by [LoadZone] for "Local", which names the
// server's zone rather than an account's.
var ErrLocalZone = errors.New(`i18n: time zone "Local" is not allowed`)

// zones caches loaded locations by name. Only valid names are stored, so
// its size is bounded by the time zone database.
var zones sync.Map // string → *time.Location

// LoadZone returns the time zone with the given IANA name, such as
// "Europe/Warsaw" or "UTC"; an empty name means [DefaultZone]. It wraps
// [time.LoadLocation] (with the database embedded through time/tzdata as
// a fallback) and caches the result, so it is cheap to call per request.
// "Local" is rejected with [ErrLocalZone].
func LoadZone(name string) (*time.Location, error) {
	if name == "" {
		name = DefaultZone
	}
	if z, ok := zones.Load(name); ok {
		return z.(*time.Location), nil
	}
	if name == "Local" {
		return nil, ErrLocalZone
	}
	z, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("i18n: loading time zone %q: %w", name, err)
	}
	zones.Store(name, z)
	return z, nil
}
