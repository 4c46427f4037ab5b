package drift

import (
	"slices"
	"strings"
)

// Kind is what happens to a principal's permissions.
type Kind string

const (
	Granted     Kind = "granted"
	Revoked     Kind = "revoked"
	RoleChanged Kind = "role_changed"
)

// Action is what the apply of the plan does about a change.
type Action string

const (
	// UndoDrift: the change was made outside Terraform and the apply
	// reverts it.
	UndoDrift Action = "undo_drift"
	// RecordDrift: the change was made outside Terraform and the plan is a
	// refresh-only one, whose apply writes it into the state.
	RecordDrift Action = "record_drift"
	// KeepDrift: the change was made outside Terraform and the apply leaves
	// it, because the configuration now says the same (or ignores it).
	KeepDrift Action = "keep_drift"
	// ApplyConfiguration: the apply makes the change because the
	// configuration asks for it.
	ApplyConfiguration Action = "apply_configuration"
)

// Origin is who made a change: someone outside Terraform, or the
// configuration.
type Origin string

const (
	OutsideTerraform Origin = "outside_terraform"
	Configuration    Origin = "configuration"
	// Information marks notes that change nothing.
	Information Origin = "information"
)

// Origin of a change with this action.
func (a Action) Origin() Origin {
	if a == ApplyConfiguration {
		return Configuration
	}
	return OutsideTerraform
}

// Principal is a user, group, access class or anonymous, as the
// provider's resources write it.
type Principal struct {
	Type string // user, group, access_class, anonymous
	ID   string // empty for anonymous
}

// Key is the principal as the provider's map attributes write it:
// "user:ID", "group:ID", "access_class:ID", "anonymous".
func (p Principal) Key() string {
	if p.Type == "anonymous" {
		return "anonymous"
	}
	return p.Type + ":" + p.ID
}

// parseKey reads a Key. A key of no known shape is kept whole as the id,
// so that the report still shows it.
func parseKey(key string) Principal {
	if key == "anonymous" {
		return Principal{Type: "anonymous"}
	}
	typ, id, ok := strings.Cut(key, ":")
	if !ok {
		return Principal{ID: key}
	}
	return Principal{Type: typ, ID: id}
}

func principalOf(typ, id string) Principal {
	if typ == "anonymous" {
		return Principal{Type: typ}
	}
	return Principal{Type: typ, ID: id}
}

// Change is one permission of one principal in one space that the plan
// shows changing.
type Change struct {
	Space     string
	Principal Principal
	Kind      Kind
	// Operation is the grant, for Granted and Revoked ("read/space").
	Operation string
	// RoleFrom and RoleTo are the role before and after the change, for
	// RoleChanged ("" for none). For a change made outside Terraform they
	// are the state of the last apply and what Confluence holds now.
	RoleFrom, RoleTo string
	// RoleAfterApply is the role the principal holds once the plan is
	// applied, for RoleChanged.
	RoleAfterApply string
	Action         Action
	// Resources are the addresses of the resources that show the change.
	Resources []string
}

// Note is something the report says beside its table: a resource it
// cannot show grant by grant, or a fact about the plan.
type Note struct {
	Address string
	// Origin says whether the note stands for a change made outside
	// Terraform, a configuration change, or neither (Information); the
	// outcome counts the first two.
	Origin Origin
	Text   string
}

// Report is what a plan does to this provider's permissions.
type Report struct {
	FormatVersion    string
	TerraformVersion string
	// RefreshOnly is true for plans made with -refresh-only.
	RefreshOnly bool
	Changes     []Change
	Notes       []Note
	// Names are display names by principal key, from the plan's data
	// sources and from Confluence (internal/drift/names).
	Names map[string]string
}

// Outcome is the report's answer, in the order a pipeline cares.
type Outcome int

const (
	// NoChange: the apply changes no permission.
	NoChange Outcome = iota
	// Drift: permissions were changed outside Terraform, and the apply
	// undoes (or, refresh-only, records) those changes.
	Drift
	// ConfigurationOnly: the apply changes permissions only because the
	// configuration says so.
	ConfigurationOnly
)

func (o Outcome) String() string {
	switch o {
	case Drift:
		return "drift"
	case ConfigurationOnly:
		return "configuration"
	}
	return "none"
}

// Outcome sums the report up. Drift that the apply keeps (the
// configuration agrees) changes nothing, so it does not count.
func (r *Report) Outcome() Outcome {
	drift, config := false, false
	for _, c := range r.Changes {
		switch c.Action {
		case UndoDrift, RecordDrift:
			drift = true
		case ApplyConfiguration:
			config = true
		}
	}
	for _, n := range r.Notes {
		drift = drift || n.Origin == OutsideTerraform
		config = config || n.Origin == Configuration
	}
	switch {
	case drift:
		return Drift
	case config:
		return ConfigurationOnly
	}
	return NoChange
}

// Count returns the number of changes with the action.
func (r *Report) Count(a Action) int {
	n := 0
	for _, c := range r.Changes {
		if c.Action == a {
			n++
		}
	}
	return n
}

// Name returns the display name of a principal, "" when none is known.
func (r *Report) Name(p Principal) string {
	if n := r.Names[p.Key()]; n != "" {
		return n
	}
	return builtinName(p)
}

// builtinName names the principals whose names Confluence fixes.
func builtinName(p Principal) string {
	switch p.Type {
	case "anonymous":
		return "Anonymous"
	case "access_class":
		return accessClassNames[p.ID]
	}
	return ""
}

// accessClassNames are the access classes of space roles
// (contributing/confluence-api.md#space-roles) as Confluence's UI words them.
var accessClassNames = map[string]string{
	"anonymous-users":     "Anonymous users",
	"authenticated-users": "Authenticated users",
	"all-licensed-users":  "All licensed users",
	"all-product-admins":  "All product admins",
	"jsm-project-admins":  "JSM project admins",
}

// Principals lists every principal the changes name, once each, in report
// order.
func (r *Report) Principals() []Principal {
	var out []Principal
	seen := map[Principal]bool{}
	for _, s := range r.Spaces() {
		for _, p := range s.Principals {
			if !seen[p.Principal] {
				seen[p.Principal] = true
				out = append(out, p.Principal)
			}
		}
	}
	return out
}

// SpaceChanges are a space's changes, by principal.
type SpaceChanges struct {
	Key        string
	Principals []PrincipalChanges
}

// PrincipalChanges are one principal's changes in one space.
type PrincipalChanges struct {
	Principal Principal
	Name      string
	Changes   []Change
}

// Spaces groups the changes by space, then principal: spaces by key,
// principals users first, then groups, access classes and anonymous, each
// by name; a principal's changes with the drift the apply undoes first.
func (r *Report) Spaces() []SpaceChanges {
	changes := slices.Clone(r.Changes)
	slices.SortStableFunc(changes, func(a, b Change) int {
		if c := strings.Compare(a.Space, b.Space); c != 0 {
			return c
		}
		if c := r.comparePrincipals(a.Principal, b.Principal); c != 0 {
			return c
		}
		if c := actionRank(a.Action) - actionRank(b.Action); c != 0 {
			return c
		}
		if c := kindRank(a.Kind) - kindRank(b.Kind); c != 0 {
			return c
		}
		return compareFields(a, b)
	})
	var out []SpaceChanges
	for _, c := range changes {
		if len(out) == 0 || out[len(out)-1].Key != c.Space {
			out = append(out, SpaceChanges{Key: c.Space})
		}
		s := &out[len(out)-1]
		if len(s.Principals) == 0 || s.Principals[len(s.Principals)-1].Principal != c.Principal {
			s.Principals = append(s.Principals, PrincipalChanges{Principal: c.Principal, Name: r.Name(c.Principal)})
		}
		p := &s.Principals[len(s.Principals)-1]
		p.Changes = append(p.Changes, c)
	}
	return out
}

// compareFields orders changes that differ in nothing the table sorts by,
// so that the order never depends on the order of the plan's maps.
func compareFields(a, b Change) int {
	for _, pair := range [][2]string{{a.Operation, b.Operation}, {a.RoleFrom, b.RoleFrom}, {a.RoleTo, b.RoleTo},
		{a.RoleAfterApply, b.RoleAfterApply}, {strings.Join(a.Resources, ","), strings.Join(b.Resources, ",")}} {
		if c := strings.Compare(pair[0], pair[1]); c != 0 {
			return c
		}
	}
	return 0
}

func (r *Report) comparePrincipals(a, b Principal) int {
	if a == b {
		return 0
	}
	if c := typeRank(a.Type) - typeRank(b.Type); c != 0 {
		return c
	}
	an, bn := strings.ToLower(r.Name(a)), strings.ToLower(r.Name(b))
	if an == "" {
		an = strings.ToLower(a.ID)
	}
	if bn == "" {
		bn = strings.ToLower(b.ID)
	}
	if c := strings.Compare(an, bn); c != 0 {
		return c
	}
	return strings.Compare(a.Key(), b.Key())
}

func typeRank(t string) int {
	switch t {
	case "user":
		return 0
	case "group":
		return 1
	case "access_class":
		return 2
	case "anonymous":
		return 3
	}
	return 4
}

func actionRank(a Action) int {
	switch a {
	case UndoDrift:
		return 0
	case RecordDrift:
		return 1
	case KeepDrift:
		return 2
	}
	return 3
}

func kindRank(k Kind) int {
	switch k {
	case RoleChanged:
		return 0
	case Granted:
		return 1
	}
	return 2
}
