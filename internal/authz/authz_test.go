package authz

import (
	"testing"

	"klientela/internal/crm"
)

func TestCan(t *testing.T) {
	owner := &crm.Principal{User: crm.User{Role: crm.RoleOwner, Active: true}}
	user := &crm.Principal{User: crm.User{Role: crm.RoleUser, Active: true}}
	inactive := &crm.Principal{User: crm.User{Role: crm.RoleOwner, Active: false}}
	cases := []struct {
		p       *crm.Principal
		s       Section
		l       Level
		allowed bool
	}{
		{owner, Settings, Full, true},
		{owner, Dashboard, View, true},
		{user, Dashboard, View, true},
		{user, Dashboard, Edit, false},
		{user, Settings, View, false},
		{inactive, Dashboard, View, false},
		{nil, Dashboard, View, false},
	}
	for _, c := range cases {
		if got := Can(c.p, c.s, c.l); got != c.allowed {
			t.Errorf("Can(%v, %s, %d) = %v, want %v", c.p, c.s, c.l, got, c.allowed)
		}
	}
	if code := crm.ErrorCode(Require(nil, Dashboard, View)); code != crm.CodeUnauthorized {
		t.Errorf("Require(nil) = %s", code)
	}
	if code := crm.ErrorCode(Require(user, Settings, Edit)); code != crm.CodeForbidden {
		t.Errorf("Require(user, settings) = %s", code)
	}
}
