package service

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/store"
)

// ClientGroupInput is what a form or the API sends for a client group.
type ClientGroupInput struct {
	Name  string
	Color string // "#rrggbb"; "" for the default grey
}

// Limits and defaults of client groups.
const (
	DefaultGroupColor = "#6b7280"
	maxGroupName      = 100
	maxBulkClients    = 500 // clients of one bulk add or remove
)

var groupColorRe = regexp.MustCompile(`^#[0-9a-f]{6}$`)

func groupFrom(in ClientGroupInput, g *crm.ClientGroup) error {
	var v crm.Validation
	g.Name = cleanText(in.Name)
	if g.Name == "" {
		v.Add("name", "err.required")
	}
	checkLen(&v, "name", g.Name, maxGroupName)
	g.Color = strings.ToLower(strings.TrimSpace(in.Color))
	if g.Color == "" {
		g.Color = DefaultGroupColor
	} else if !groupColorRe.MatchString(g.Color) {
		v.Add("color", "err.client_group_color_invalid")
	}
	return v.Err()
}

func groupFields(g crm.ClientGroup) []field {
	return []field{{"name", g.Name}, {"color", g.Color}}
}

// groupNames is how a client's groups show in its history.
func groupNames(gs []crm.ClientGroup) string {
	names := make([]string, len(gs))
	for i, g := range gs {
		names[i] = g.Name
	}
	return strings.Join(names, ", ")
}

func sortGroups(gs []crm.ClientGroup) {
	slices.SortFunc(gs, func(a, b crm.ClientGroup) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
}

// withGroups fills in the groups of clients.
func withGroups(ctx context.Context, t *store.Tenant, cs []crm.Client) error {
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	gs, err := t.GroupsOfClients(ctx, ids)
	if err != nil {
		return err
	}
	for i := range cs {
		cs[i].Groups = gs[cs[i].ID]
		sortGroups(cs[i].Groups)
	}
	return nil
}

// clientGroupsFrom checks the groups chosen for a client; nil ids keep the
// client's groups as they are.
func clientGroupsFrom(ctx context.Context, t *store.Tenant, v *crm.Validation, ids []int64, c *crm.Client) error {
	if ids == nil {
		return nil
	}
	var gs []crm.ClientGroup
	for _, id := range ids {
		if slices.ContainsFunc(gs, func(g crm.ClientGroup) bool { return g.ID == id }) {
			continue
		}
		g, err := t.ClientGroup(ctx, id)
		if crm.ErrorCode(err) == crm.CodeNotFound {
			v.Add("group_ids", "err.client_group_unknown")
			continue
		} else if err != nil {
			return err
		}
		gs = append(gs, g)
	}
	sortGroups(gs)
	c.Groups = gs
	return nil
}

func groupIDs(gs []crm.ClientGroup) []int64 {
	ids := make([]int64, len(gs))
	for i, g := range gs {
		ids[i] = g.ID
	}
	return ids
}

// ClientGroups lists the account's client groups, each with the number of
// clients in it that the user may see.
func (s *Service) ClientGroups(ctx context.Context) ([]crm.ClientGroup, error) {
	_, t, sc, err := s.clientActor(ctx, authz.View)
	if err != nil {
		return nil, err
	}
	return t.ClientGroups(ctx, sc.own, sc.employee)
}

// ClientGroupNames lists the client groups without their member counts,
// for the list's filter and the client form (clients access is enough).
func (s *Service) ClientGroupNames(ctx context.Context) ([]crm.ClientGroup, error) {
	_, t, _, err := s.clientActor(ctx, authz.View)
	if err != nil {
		return nil, err
	}
	return t.ClientGroupNames(ctx)
}

// ClientGroup returns one client group.
func (s *Service) ClientGroup(ctx context.Context, id int64) (crm.ClientGroup, error) {
	_, t, sc, err := s.clientActor(ctx, authz.View)
	if err != nil {
		return crm.ClientGroup{}, err
	}
	return groupWithCount(ctx, t, sc, id)
}

func groupWithCount(ctx context.Context, t *store.Tenant, sc clientScope, id int64) (crm.ClientGroup, error) {
	gs, err := t.ClientGroups(ctx, sc.own, sc.employee)
	if err != nil {
		return crm.ClientGroup{}, err
	}
	for _, g := range gs {
		if g.ID == id {
			return g, nil
		}
	}
	return crm.ClientGroup{}, crm.NotFound()
}

// CreateClientGroup adds a client group (edit access).
func (s *Service) CreateClientGroup(ctx context.Context, in ClientGroupInput) (crm.ClientGroup, error) {
	p, t, sc, err := s.clientActor(ctx, authz.Edit)
	if err != nil {
		return crm.ClientGroup{}, err
	}
	now := s.now()
	g := crm.ClientGroup{AccountID: t.AccountID(), CreatedAt: now, UpdatedAt: now}
	if err := groupFrom(in, &g); err != nil {
		return crm.ClientGroup{}, err
	}
	err = t.InTx(ctx, func(t *store.Tenant) error {
		if g.ID, err = t.CreateClientGroup(ctx, g); err != nil {
			return err
		}
		return record(ctx, t, p, now, "client_group", g.ID, crm.ActionCreate, g.Name, created(groupFields(g)))
	})
	if err != nil {
		return crm.ClientGroup{}, err
	}
	return groupWithCount(ctx, t, sc, g.ID)
}

// ClientGroupInputOf turns a group back into the input that would save it
// unchanged (a PATCH starts from it).
func ClientGroupInputOf(g crm.ClientGroup) ClientGroupInput {
	return ClientGroupInput{Name: g.Name, Color: g.Color}
}

// UpdateClientGroup renames or recolours a group (edit access).
func (s *Service) UpdateClientGroup(ctx context.Context, id int64, in ClientGroupInput) (crm.ClientGroup, error) {
	p, t, sc, err := s.clientActor(ctx, authz.Edit)
	if err != nil {
		return crm.ClientGroup{}, err
	}
	now := s.now()
	err = t.InTx(ctx, func(t *store.Tenant) error {
		old, err := t.ClientGroup(ctx, id)
		if err != nil {
			return err
		}
		g := old
		if err := groupFrom(in, &g); err != nil {
			return err
		}
		g.UpdatedAt = now
		if err := t.UpdateClientGroup(ctx, g); err != nil {
			return err
		}
		return record(ctx, t, p, now, "client_group", id, crm.ActionUpdate, g.Name, diff(groupFields(old), groupFields(g)))
	})
	if err != nil {
		return crm.ClientGroup{}, err
	}
	return groupWithCount(ctx, t, sc, id)
}

// DeleteClientGroup removes a group (full access); its clients stay, and
// their history notes that they left the group.
func (s *Service) DeleteClientGroup(ctx context.Context, id int64) error {
	p, t, _, err := s.clientActor(ctx, authz.Full)
	if err != nil {
		return err
	}
	now := s.now()
	return t.InTx(ctx, func(t *store.Tenant) error {
		g, err := t.ClientGroup(ctx, id)
		if err != nil {
			return err
		}
		members, err := t.ClientGroupMemberIDs(ctx, id)
		if err != nil {
			return err
		}
		var before []crm.Client
		for _, cid := range members {
			c, err := t.Client(ctx, cid)
			if err != nil {
				return err
			}
			before = append(before, c)
		}
		if err := withGroups(ctx, t, before); err != nil {
			return err
		}
		if err := t.DeleteClientGroup(ctx, id); err != nil {
			return err
		}
		for _, c := range before {
			rest := slices.DeleteFunc(slices.Clone(c.Groups), func(x crm.ClientGroup) bool { return x.ID == id })
			if err := record(ctx, t, p, now, "client", c.ID, crm.ActionUpdate, c.Name,
				[]crm.Change{{Field: "groups", Old: groupNames(c.Groups), New: groupNames(rest)}}); err != nil {
				return err
			}
		}
		return record(ctx, t, p, now, "client_group", id, crm.ActionDelete, g.Name, deleted(groupFields(g)))
	})
}

// AddClientsToGroup puts clients in a group (edit access) and returns how
// many were not there yet. A client the user may not see (another
// account's, someone else's for an own-only user, in the trash) refuses
// the whole request as not found.
func (s *Service) AddClientsToGroup(ctx context.Context, groupID int64, clientIDs []int64) (int, error) {
	return s.changeGroupMembers(ctx, groupID, clientIDs, true)
}

// RemoveClientsFromGroup takes clients out of a group (edit access) and
// returns how many were in it.
func (s *Service) RemoveClientsFromGroup(ctx context.Context, groupID int64, clientIDs []int64) (int, error) {
	return s.changeGroupMembers(ctx, groupID, clientIDs, false)
}

func (s *Service) changeGroupMembers(ctx context.Context, groupID int64, clientIDs []int64, add bool) (int, error) {
	p, t, sc, err := s.clientActor(ctx, authz.Edit)
	if err != nil {
		return 0, err
	}
	now := s.now()
	n := 0
	err = t.InTx(ctx, func(t *store.Tenant) error {
		g, err := t.ClientGroup(ctx, groupID)
		if err != nil {
			return err
		}
		var v crm.Validation
		if len(clientIDs) == 0 {
			v.Add("client_ids", "err.client_group_no_clients")
		} else if len(clientIDs) > maxBulkClients {
			v.Add("client_ids", "err.client_too_many", "max", maxBulkClients)
		}
		if err := v.Err(); err != nil {
			return err
		}
		var names []string
		var seen []int64
		for _, id := range clientIDs {
			if slices.Contains(seen, id) {
				continue
			}
			seen = append(seen, id)
			c, err := loadClient(ctx, t, sc, id, false)
			if err != nil {
				return err
			}
			var changed bool
			if add {
				changed, err = t.AddClientGroupMember(ctx, groupID, id)
			} else {
				changed, err = t.RemoveClientGroupMember(ctx, groupID, id)
			}
			if err != nil {
				return err
			}
			if !changed {
				continue
			}
			n++
			names = append(names, c.Name)
			old := groupNames(c.Groups)
			cur := []crm.Client{c}
			if err := withGroups(ctx, t, cur); err != nil {
				return err
			}
			if err := record(ctx, t, p, now, "client", id, crm.ActionUpdate, c.Name,
				[]crm.Change{{Field: "groups", Old: old, New: groupNames(cur[0].Groups)}}); err != nil {
				return err
			}
		}
		if n == 0 {
			return nil
		}
		change := crm.Change{Field: "members_added", New: strings.Join(names, ", ")}
		if !add {
			change = crm.Change{Field: "members_removed", Old: strings.Join(names, ", ")}
		}
		return record(ctx, t, p, now, "client_group", groupID, crm.ActionUpdate, g.Name, []crm.Change{change})
	})
	return n, err
}
