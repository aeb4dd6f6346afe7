// Package buildinfo tells which version of Klientela is running.
package buildinfo

import "runtime/debug"

// Version is set at build time with -ldflags "-X klientela/internal/buildinfo.Version=…".
var Version = ""

// String returns the version: the one set at build time, else the VCS
// revision Go embedded, else "dev".
func String() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		var rev, dirty string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "-dirty"
				}
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			return rev + dirty
		}
	}
	return "dev"
}
