package state

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The roles transition tool of Cloud sites with roles
// (contributing/confluence-api.md#the-roles-transition-inventory; v2
// operations listSpacePermissionCombinations,
// generateSpacePermissionCombinations and
// getSpacePermissionTransitionTaskStatus): an inventory of the combinations
// of legacy permissions principals hold, worked out by a task that a POST
// starts and that the tasks endpoint follows. The list answers the
// inventory as of the last run, leaving out the combinations a role matches.
//
// The tool's two writing operations (bulkAssignSpacePermissionRoles,
// bulkRemoveSpacePermissionAccess) are not simulated: no client of the
// simulator drives them.

// Combination is one entry of the inventory: a set of legacy permissions
// that at least one principal holds, exactly, in at least one space.
type Combination struct {
	// ID is opaque and stable: the same set has the same id in every run.
	ID string
	// Permissions are catalogue ids (key/target), in catalogue order.
	Permissions []PermissionID
	// PrincipalCount is how many principals hold the set in some space;
	// SpaceCount in how many spaces some principal holds it.
	PrincipalCount, SpaceCount int64
	// PrincipalTypes are the kinds of those principals, as the document's
	// enum of BulkTransitionCombinationEntry.principalTypes names them:
	// USER, GROUP, ANONYMOUS.
	PrincipalTypes []string
	rank           int64 // position in the inventory, from 1: what cursors remember
}

// TaskStatus is the state of a transition task (BulkTransitionTaskStatusResponse).
type TaskStatus string

const (
	TaskInProgress TaskStatus = "IN_PROGRESS"
	TaskCompleted  TaskStatus = "COMPLETED"
)

// TransitionTask is a snapshot of a task of the transition tool.
type TransitionTask struct {
	ID     string
	Status TaskStatus
}

// transitionBook is the inventory as last worked out and the tasks that
// work it out. Its fields need the Store's lock.
type transitionBook struct {
	generatedAt  time.Time // zero until a run has completed
	combinations []Combination
	tasks        map[string]*TransitionTask
	lastTask     int64
}

func newTransitionBook() transitionBook {
	return transitionBook{tasks: map[string]*TransitionTask{}}
}

// principal types of the inventory (the document's enum)
const (
	inventoryUser      = "USER"
	inventoryGroup     = "GROUP"
	inventoryAnonymous = "ANONYMOUS"
)

var inventoryTypeOrder = []string{inventoryUser, inventoryGroup, inventoryAnonymous}

func inventoryType(p permissions.Principal) string {
	switch p.Type {
	case permissions.User:
		return inventoryUser
	case permissions.Group:
		return inventoryGroup
	}
	return inventoryAnonymous
}

// permissionSetKey names a set of permissions, whatever their order.
func permissionSetKey(ids []PermissionID) string {
	sorted := PermissionIDStrings(ids)
	slices.Sort(sorted)
	return strings.Join(slices.Compact(sorted), ",")
}

// generateCombinations works the inventory out from the grants as they are
// now: each principal's legacy grants in one space are one combination.
// Role assignments are not legacy permissions and count for nothing.
//
// UNVERIFIED (contributing/confluence-api.md#the-roles-transition-inventory):
// the document orders by principalCount, descending, and says nothing of
// ties; chose spaceCount, descending, then the id.
func (s *Store) generateCombinations(now time.Time) {
	type tally struct {
		Combination
		principals map[permissions.Principal]bool
		spaces     map[int64]bool
		types      map[string]bool
	}
	byKey := map[string]*tally{}
	for _, st := range s.spacesByID {
		held := map[permissions.Principal][]PermissionID{}
		for _, g := range st.grants {
			held[g.Principal] = append(held[g.Principal], PermissionID(g.Operation.String()))
		}
		for p, ids := range held {
			key := permissionSetKey(ids)
			t := byKey[key]
			if t == nil {
				t = &tally{principals: map[permissions.Principal]bool{}, spaces: map[int64]bool{}, types: map[string]bool{}}
				t.ID = derivedUUID("permission combination " + key)
				for _, e := range catalogue {
					if slices.Contains(ids, e.ID) {
						t.Permissions = append(t.Permissions, e.ID)
					}
				}
				byKey[key] = t
			}
			t.principals[p], t.spaces[st.ID], t.types[inventoryType(p)] = true, true, true
		}
	}
	out := make([]Combination, 0, len(byKey))
	for _, t := range byKey {
		c := t.Combination
		c.PrincipalCount, c.SpaceCount = int64(len(t.principals)), int64(len(t.spaces))
		for _, typ := range inventoryTypeOrder {
			if t.types[typ] {
				c.PrincipalTypes = append(c.PrincipalTypes, typ)
			}
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Combination) int {
		return cmp.Or(cmp.Compare(b.PrincipalCount, a.PrincipalCount), cmp.Compare(b.SpaceCount, a.SpaceCount), cmp.Compare(a.ID, b.ID))
	})
	for i := range out {
		out[i].rank = int64(i + 1)
	}
	s.transition.combinations, s.transition.generatedAt = out, now
}

// mayUseTransitionTool: the tool is for sites with roles and for
// Confluence administrators, whom the simulator knows by the site-admin flag;
// the document's refusal is 404 ("does not have permission or the resource
// is not found").
//
// UNVERIFIED (contributing/confluence-api.md#the-roles-transition-inventory):
// the operations do not say whether a PRE_ROLES site has the tool; chose the
// refusal of the other role endpoints there (see rolesEnabled).
func (s *Store) mayUseTransitionTool(c *Caller) error {
	if err := s.rolesEnabled(); err != nil {
		return err
	}
	if !c.siteAdmin {
		return RoleErrorf(RuleTransitionAdminOnly, "Only Confluence administrators can use the space permission transition tool.")
	}
	return nil
}

// CombinationPage returns the inventory's combinations after the one with
// rank after, at most limit, leaving out those whose permissions are
// exactly a role's, and the rank to resume after when more follow (0 when
// none do). generatedAt is when the inventory was last worked out, zero when
// it never was.
//
// UNVERIFIED (contributing/confluence-api.md#the-roles-transition-inventory):
// "combinations that already map to a space role are filtered out
// server-side"; chose to compare with the roles as they are when the list is
// read, so that a role created since the last run hides its combination at
// once.
func (s *Store) CombinationPage(c *Caller, after int64, limit int) (page []Combination, resumeAfter int64, generatedAt time.Time, err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.mayUseTransitionTool(c); err != nil {
		return nil, 0, time.Time{}, err
	}
	matched := map[string]bool{}
	for _, r := range s.roles.roles {
		matched[permissionSetKey(r.Permissions)] = true
	}
	var unmatched []Combination
	for _, cb := range s.transition.combinations {
		if !matched[permissionSetKey(cb.Permissions)] {
			unmatched = append(unmatched, cb)
		}
	}
	page, resumeAfter = pageAfter(unmatched, func(cb Combination) int64 { return cb.rank }, after, limit)
	out := make([]Combination, len(page))
	for i, cb := range page {
		out[i] = cb
		out[i].Permissions = slices.Clone(cb.Permissions)
		out[i].PrincipalTypes = slices.Clone(cb.PrincipalTypes)
	}
	return out, resumeAfter, s.transition.generatedAt, nil
}

// GenerateCombinations starts a task that works the inventory out again
// from the grants as they are when it completes, delay later (at once when
// delay is negative), and returns it as it is now.
func (s *Store) GenerateCombinations(c *Caller, delay time.Duration) (TransitionTask, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.mayUseTransitionTool(c); err != nil {
		return TransitionTask{}, err
	}
	s.transition.lastTask++
	task := &TransitionTask{ID: derivedUUID(fmt.Sprintf("transition task %d", s.transition.lastTask)), Status: TaskInProgress}
	s.transition.tasks[task.ID] = task
	finish := func() {
		s.generateCombinations(time.Now())
		task.Status = TaskCompleted
	}
	if delay < 0 {
		finish()
		return *task, nil
	}
	time.AfterFunc(delay, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		finish()
	})
	return *task, nil
}

// TransitionTaskStatus returns a task of the transition tool. Tasks of role
// updates and deletions are not among them
// (contributing/confluence-api.md#following-a-role-update-or-deletion).
func (s *Store) TransitionTaskStatus(c *Caller, id string) (TransitionTask, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.mayUseTransitionTool(c); err != nil {
		return TransitionTask{}, err
	}
	task := s.transition.tasks[id]
	if task == nil {
		return TransitionTask{}, RoleErrorf(RuleUnknownTask, "No space permission transition task with id %q.", id)
	}
	return *task, nil
}
