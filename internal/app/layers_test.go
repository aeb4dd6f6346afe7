package app_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayers keeps the dependency direction of DESIGN.md true:
// cmd → app → web|api → service → store → crm, with pure helpers below. It
// checks direct imports: web reaches the store only through the service.
func TestLayers(t *testing.T) {
	forbidden := map[string][]string{
		"crm":      {"klientela/internal/"}, // standard library only
		"money":    {"klientela/internal/"},
		"password": {"klientela/internal/"},
		"i18n":     {"klientela/internal/crm", "klientela/internal/store", "klientela/internal/service", "klientela/internal/web", "klientela/internal/api"},
		"authz":    {"klientela/internal/store", "klientela/internal/service", "klientela/internal/web", "klientela/internal/api"},
		"store":    {"klientela/internal/service", "klientela/internal/web", "klientela/internal/api", "klientela/internal/httpx"},
		"service":  {"klientela/internal/web", "klientela/internal/api", "klientela/internal/httpx", "klientela/internal/app"},
		"web":      {"klientela/internal/store", "klientela/internal/api", "klientela/internal/app"},
		"api":      {"klientela/internal/store", "klientela/internal/web", "klientela/internal/app"},
		"httpx":    {"klientela/internal/store", "klientela/internal/service", "klientela/internal/web", "klientela/internal/api"},
	}
	for pkg, bad := range forbidden {
		out, err := exec.Command("go", "list", "-f", `{{join .Imports " "}}`, "klientela/internal/"+pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			if dep == "klientela/internal/"+pkg {
				continue
			}
			for _, b := range bad {
				if strings.HasPrefix(dep, b) && !(pkg == "i18n" && dep == "klientela/internal/money") &&
					!(pkg == "authz" && dep == "klientela/internal/crm") {
					t.Errorf("internal/%s depends on %s", pkg, dep)
				}
			}
		}
	}
}
