package permissions

import (
	"reflect"
	"strings"
	"testing"
)

var (
	alice  = Principal{Type: User, ID: "alice"}
	bob    = Principal{Type: User, ID: "bob"}
	devs   = Principal{Type: Group, ID: "devs"}
	view   = ReadSpace
	admin  = AdministerSpace
	page   = Operation{"create", "page"}
	delPg  = Operation{"delete", "page"}
	export = Operation{"export", "space"}
)

func changes(s ...string) []string { return append([]string{}, s...) }

func render(cs []Change) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.String())
	}
	return out
}

func TestPlanPrincipal(t *testing.T) {
	tests := []struct {
		name             string
		current, desired OperationSet
		want             []string
	}{
		{"nothing to do", NewOperationSet(view, page), NewOperationSet(page, view), changes()},
		{"create adds read first", nil, NewOperationSet(page, admin, view),
			changes("add read/space for user alice", "add administer/space for user alice", "add create/page for user alice")},
		{"add one beside read", NewOperationSet(view), NewOperationSet(view, page),
			changes("add create/page for user alice")},
		{"remove one keeps read", NewOperationSet(view, page, delPg), NewOperationSet(view, page),
			changes("remove delete/page for user alice")},
		{"remove everything removes read last", NewOperationSet(view, page, export), NewOperationSet(),
			changes("remove create/page for user alice", "remove export/space for user alice", "remove read/space for user alice")},
		{"swap adds before removes", NewOperationSet(view, page), NewOperationSet(view, delPg),
			changes("add delete/page for user alice", "remove create/page for user alice")},
		{"read granted with others from nothing, removal of unknown extra", NewOperationSet(export), NewOperationSet(view, page),
			changes("add read/space for user alice", "add create/page for user alice", "remove export/space for user alice")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(PlanPrincipal(alice, tt.current, tt.desired))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("PlanPrincipal:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestPlanSpace(t *testing.T) {
	tests := []struct {
		name             string
		current, desired Grants
		want             []string
	}{
		{"empty", Grants{}, Grants{}, changes()},
		{"unchanged", Grants{alice: NewOperationSet(view, admin)}, Grants{alice: NewOperationSet(admin, view)}, changes()},
		{"new principal gets read first",
			Grants{alice: NewOperationSet(view, admin)},
			Grants{alice: NewOperationSet(view, admin), devs: NewOperationSet(page, view)},
			changes("add read/space for group devs", "add create/page for group devs")},
		{"unlisted principal loses everything, read last",
			Grants{alice: NewOperationSet(view, admin), devs: NewOperationSet(view, page)},
			Grants{alice: NewOperationSet(view, admin)},
			changes("remove create/page for group devs", "remove read/space for group devs")},
		{"admin swap adds the new admin before removing the old one",
			Grants{alice: NewOperationSet(view, admin)},
			Grants{bob: NewOperationSet(view, admin)},
			changes("add read/space for user bob", "add administer/space for user bob",
				"remove administer/space for user alice", "remove read/space for user alice")},
		{"all additions of all principals precede all removals",
			Grants{alice: NewOperationSet(view, admin, page), devs: NewOperationSet(view)},
			Grants{alice: NewOperationSet(view, admin), devs: NewOperationSet(view, page), AnonymousPrincipal: NewOperationSet(view)},
			changes("add create/page for group devs", "add read/space for anonymous", "remove create/page for user alice")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(PlanSpace(tt.current, tt.desired))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("PlanSpace:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// Applying a plan must always reach the desired state, on deployments with
// and without Cloud's read/space cascade.
func TestPlanReachesDesired(t *testing.T) {
	states := []Grants{
		{},
		{alice: NewOperationSet(view)},
		{alice: NewOperationSet(view, admin, page, delPg)},
		{alice: NewOperationSet(view, admin), devs: NewOperationSet(view, page), AnonymousPrincipal: NewOperationSet(view)},
		{bob: NewOperationSet(view, export)},
	}
	for i, current := range states {
		for j, desired := range states {
			for _, cascade := range []bool{false, true} {
				got := current.After(PlanSpace(current, desired), cascade)
				if !reflect.DeepEqual(got, desired) {
					t.Errorf("state %d -> %d (cascade %v): got %v, want %v", i, j, cascade, got, desired)
				}
			}
		}
	}
}

func TestValidateOperations(t *testing.T) {
	tests := []struct {
		name string
		p    Principal
		ops  []Operation
		d    Deployment
		want string // substring of the error, "" for none
	}{
		{"fine", alice, []Operation{view, page}, Cloud, ""},
		{"empty is fine (no grants)", alice, nil, Cloud, ""},
		{"read missing", alice, []Operation{page}, Cloud, `must include "read/space"`},
		{"twice", alice, []Operation{view, page, page}, Cloud, `"create/page" is listed twice`},
		{"unknown", alice, []Operation{view, {"fly", "space"}}, Cloud, `"fly/space" is not a Confluence space permission`},
		{"archive on Data Center", alice, []Operation{view, {"archive", "page"}}, DataCenter, `does not exist on Confluence Data Center`},
		{"delete_mail on Cloud", alice, []Operation{view, {"delete_mail", "space"}}, Cloud, `does not exist on Confluence Cloud`},
		{"anonymous admin", AnonymousPrincipal, []Operation{view, admin}, Cloud, "anonymous users cannot hold"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateOperations(tt.p, tt.ops, tt.d, "user alice in DOCS")
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "user alice in DOCS") {
				t.Fatalf("error %v does not name the place and contain %q", err, tt.want)
			}
		})
	}
}

func TestCheckAdminRemains(t *testing.T) {
	if err := CheckAdminRemains("DOCS", Grants{devs: NewOperationSet(view, admin)}); err != nil {
		t.Fatalf("group admin should count: %v", err)
	}
	err := CheckAdminRemains("DOCS", Grants{alice: NewOperationSet(view), AnonymousPrincipal: NewOperationSet(view, admin)})
	if err == nil || !strings.Contains(err.Error(), "space DOCS") || !strings.Contains(err.Error(), "administer/space") {
		t.Fatalf("want a lock-out refusal naming the space, got %v", err)
	}
}
