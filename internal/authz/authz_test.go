package authz

import (
	"reflect"
	"testing"

	"klientela/internal/crm"
)

func user(scope crm.Scope) *crm.Principal {
	return &crm.Principal{User: crm.User{Role: crm.RoleUser, Active: true, Scope: scope}}
}

func TestCan(t *testing.T) {
	owner := &crm.Principal{User: crm.User{Role: crm.RoleOwner, Active: true}}
	clerk := user(crm.Scope{Permissions: map[string]string{"clients": "edit", "tasks": "view", "settings": "full"}, OwnOnly: []string{"clients"}})
	inactive := &crm.Principal{User: crm.User{Role: crm.RoleOwner, Active: false}}
	cases := []struct {
		p       *crm.Principal
		s       Section
		l       Level
		allowed bool
	}{
		{owner, Settings, Full, true},
		{owner, Users, Full, true},
		{owner, Audit, View, true},
		{clerk, Dashboard, View, true},
		{clerk, Dashboard, Edit, false},
		{clerk, Clients, View, true},
		{clerk, Clients, Edit, true},
		{clerk, Clients, Full, false},
		{clerk, Tasks, View, true},
		{clerk, Tasks, Edit, false},
		{clerk, Calendar, View, false},
		{clerk, Users, View, false}, // never for a non-owner, whatever the scope
		{clerk, Audit, View, false}, // likewise
		{clerk, Settings, Full, true},
		{inactive, Dashboard, View, false},
		{nil, Dashboard, View, false},
	}
	for _, c := range cases {
		if got := Can(c.p, c.s, c.l); got != c.allowed {
			t.Errorf("Can(%v, %s, %s) = %v, want %v", c.p.User.Role, c.s, c.l, got, c.allowed)
		}
	}
	if !OwnOnly(clerk, Clients) || OwnOnly(clerk, Tasks) || OwnOnly(owner, Clients) {
		t.Error("OwnOnly is wrong")
	}
	if code := crm.ErrorCode(Require(nil, Dashboard, View)); code != crm.CodeUnauthorized {
		t.Errorf("Require(nil) = %s", code)
	}
	if code := crm.ErrorCode(Require(clerk, Employees, View)); code != crm.CodeForbidden {
		t.Errorf("Require(clerk, employees) = %s", code)
	}
}

func TestParseScope(t *testing.T) {
	s, err := ParseScope(crm.Scope{Permissions: map[string]string{"clients": "edit", "tasks": "none", "reports": "view"}, OwnOnly: []string{"clients", "clients"}})
	if err != nil {
		t.Fatal(err)
	}
	want := crm.Scope{Permissions: map[string]string{"clients": "edit", "reports": "view"}, OwnOnly: []string{"clients"}}
	if got := s.Raw(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Raw = %+v, want %+v", got, want)
	}
	_, err = ParseScope(crm.Scope{Permissions: map[string]string{"rockets": "view", "clients": "admin", "users": "full"}, OwnOnly: []string{"reports"}})
	e, ok := crm.AsError(err)
	if !ok || e.Code != crm.CodeInvalid {
		t.Fatalf("bad scope: %v", err)
	}
	for _, f := range []string{"permissions.rockets", "permissions.clients", "permissions.users", "own_only"} {
		if _, ok := e.Fields[f]; !ok {
			t.Errorf("no error for %s: %v", f, e.Fields)
		}
	}
	// Own-only on a section without access is dropped when stored.
	s, _ = ParseScope(crm.Scope{Permissions: map[string]string{}, OwnOnly: []string{"tasks"}})
	if raw := s.Raw(); len(raw.OwnOnly) != 0 {
		t.Fatalf("own-only kept without access: %+v", raw)
	}
}

func TestLevelText(t *testing.T) {
	for l := None; l <= Full; l++ {
		b, _ := l.MarshalText()
		var back Level
		if err := back.UnmarshalText(b); err != nil || back != l {
			t.Fatalf("%v → %s → %v, %v", l, b, back, err)
		}
	}
	if _, ok := ParseLevel("admin"); ok {
		t.Fatal("ParseLevel(admin) ok")
	}
	if l, ok := ParseLevel(""); ok || l != None {
		t.Fatal("ParseLevel(\"\")")
	}
}

func TestPresetsAreValid(t *testing.T) {
	if len(Presets) < 3 {
		t.Fatal("too few presets")
	}
	for _, p := range Presets {
		raw := p.Scope.Raw()
		back, err := ParseScope(raw)
		if err != nil {
			t.Fatalf("preset %s: %v", p.Key, err)
		}
		if !reflect.DeepEqual(back.Raw(), raw) {
			t.Fatalf("preset %s does not round-trip", p.Key)
		}
		if _, ok := PresetByKey(p.Key); !ok {
			t.Fatalf("PresetByKey(%s)", p.Key)
		}
		if p.Scope.Level(Users) != None || p.Scope.Level(Audit) != None {
			t.Fatalf("preset %s grants owner-only sections", p.Key)
		}
	}
}

func BenchmarkCan(b *testing.B) {
	p := user(crm.Scope{Permissions: map[string]string{"clients": "edit", "tasks": "view"}})
	for b.Loop() {
		if !Can(p, Clients, Edit) {
			b.Fatal("denied")
		}
	}
}
