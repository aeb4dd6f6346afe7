package service

import (
	"context"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/store"
)

// TaskGroupInput is what a form or the API sends for a task group.
type TaskGroupInput struct {
	Name  string
	Color string // "#rrggbb"; "" for the default grey
}

func taskGroupFrom(in TaskGroupInput, g *crm.TaskGroup) error {
	var cg crm.ClientGroup
	err := groupFrom(ClientGroupInput(in), &cg) // the same rules as client groups
	g.Name, g.Color = cg.Name, cg.Color
	if e, ok := crm.AsError(err); ok {
		for f, m := range e.Fields {
			if m.Key == "err.client_group_color_invalid" {
				e.Fields[f] = crm.Msg{Key: "err.task_group_color_invalid"}
			}
		}
	}
	return err
}

func taskGroupFields(g crm.TaskGroup) []field {
	return []field{{"name", g.Name}, {"color", g.Color}}
}

// TaskGroups lists the account's task groups, each with the number of its
// tasks that the user may see.
func (s *Service) TaskGroups(ctx context.Context) ([]crm.TaskGroup, error) {
	_, t, sc, _, err := s.taskActor(ctx, authz.View)
	if err != nil {
		return nil, err
	}
	return t.TaskGroups(ctx, sc.own, sc.employee)
}

// TaskGroupChoices lists the account's task groups by name without their
// numbers of tasks, for a filter or a form to choose from.
func (s *Service) TaskGroupChoices(ctx context.Context) ([]crm.TaskGroup, error) {
	_, t, _, _, err := s.taskActor(ctx, authz.View)
	if err != nil {
		return nil, err
	}
	return t.TaskGroupNames(ctx)
}

// TaskGroup returns one task group.
func (s *Service) TaskGroup(ctx context.Context, id int64) (crm.TaskGroup, error) {
	_, t, sc, _, err := s.taskActor(ctx, authz.View)
	if err != nil {
		return crm.TaskGroup{}, err
	}
	return taskGroupWithCount(ctx, t, sc, id)
}

func taskGroupWithCount(ctx context.Context, t *store.Tenant, sc taskScope, id int64) (crm.TaskGroup, error) {
	gs, err := t.TaskGroups(ctx, sc.own, sc.employee)
	if err != nil {
		return crm.TaskGroup{}, err
	}
	for _, g := range gs {
		if g.ID == id {
			return g, nil
		}
	}
	return crm.TaskGroup{}, crm.NotFound()
}

// CreateTaskGroup adds a task group (edit access).
func (s *Service) CreateTaskGroup(ctx context.Context, in TaskGroupInput) (crm.TaskGroup, error) {
	p, t, sc, _, err := s.taskActor(ctx, authz.Edit)
	if err != nil {
		return crm.TaskGroup{}, err
	}
	now := s.now()
	g := crm.TaskGroup{AccountID: t.AccountID(), CreatedAt: now, UpdatedAt: now}
	if err := taskGroupFrom(in, &g); err != nil {
		return crm.TaskGroup{}, err
	}
	err = t.InTx(ctx, func(t *store.Tenant) error {
		if g.ID, err = t.CreateTaskGroup(ctx, g); err != nil {
			return err
		}
		return record(ctx, t, p, now, "task_group", g.ID, crm.ActionCreate, g.Name, created(taskGroupFields(g)))
	})
	if err != nil {
		return crm.TaskGroup{}, err
	}
	return taskGroupWithCount(ctx, t, sc, g.ID)
}

// TaskGroupInputOf turns a group back into the input that would save it
// unchanged (a PATCH starts from it).
func TaskGroupInputOf(g crm.TaskGroup) TaskGroupInput {
	return TaskGroupInput{Name: g.Name, Color: g.Color}
}

// UpdateTaskGroup renames or recolours a task group (edit access).
func (s *Service) UpdateTaskGroup(ctx context.Context, id int64, in TaskGroupInput) (crm.TaskGroup, error) {
	p, t, sc, _, err := s.taskActor(ctx, authz.Edit)
	if err != nil {
		return crm.TaskGroup{}, err
	}
	now := s.now()
	err = t.InTx(ctx, func(t *store.Tenant) error {
		old, err := t.TaskGroup(ctx, id)
		if err != nil {
			return err
		}
		g := old
		if err := taskGroupFrom(in, &g); err != nil {
			return err
		}
		g.UpdatedAt = now
		if err := t.UpdateTaskGroup(ctx, g); err != nil {
			return err
		}
		return record(ctx, t, p, now, "task_group", id, crm.ActionUpdate, g.Name, diff(taskGroupFields(old), taskGroupFields(g)))
	})
	if err != nil {
		return crm.TaskGroup{}, err
	}
	return taskGroupWithCount(ctx, t, sc, id)
}

// DeleteTaskGroup removes a task group (full access); its tasks stay.
func (s *Service) DeleteTaskGroup(ctx context.Context, id int64) error {
	p, t, _, _, err := s.taskActor(ctx, authz.Full)
	if err != nil {
		return err
	}
	now := s.now()
	return t.InTx(ctx, func(t *store.Tenant) error {
		g, err := t.TaskGroup(ctx, id)
		if err != nil {
			return err
		}
		if err := t.DeleteTaskGroup(ctx, id); err != nil {
			return err
		}
		return record(ctx, t, p, now, "task_group", id, crm.ActionDelete, g.Name, deleted(taskGroupFields(g)))
	})
}
