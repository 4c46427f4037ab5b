package drift

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
)

// Parse reads the JSON of a saved plan (`terraform show -json plan.out`)
// and reports the permission changes of this provider's resources. Input it
// cannot read is an *InputError saying what it is and what to give
// instead; Parse never panics, whatever the input.
func Parse(data []byte) (*Report, error) {
	p, err := decode(data)
	if err != nil {
		return nil, err
	}
	if err := checkProvider(p); err != nil {
		return nil, err
	}
	r := &Report{
		FormatVersion:    p.FormatVersion,
		TerraformVersion: p.TerraformVersion,
		// Only a refresh-only plan has drift and no resource_changes at
		// all: a normal plan lists every resource, no-ops included.
		RefreshOnly: len(p.ResourceChanges) == 0 && len(p.ResourceDrift) > 0,
		Names:       namesFromDataSources(p),
	}
	b := builder{report: r, merged: map[string]int{}}
	b.build(p)
	if p.Errored {
		r.Notes = append(r.Notes, Note{Origin: Information, Text: "Terraform stopped planning on an error: the plan, and so this report, may be missing changes."})
	}
	if p.Complete != nil && !*p.Complete {
		r.Notes = append(r.Notes, Note{Origin: Information, Text: "The plan is incomplete (it defers some changes, or was made with -target): resources it leaves out are not in this report."})
	}
	if r.RefreshOnly {
		r.Notes = append(r.Notes, Note{Origin: Information, Text: "This is a refresh-only plan: its apply writes the changes made outside Terraform into the state instead of undoing them. A normal plan shows what an apply would undo."})
	}
	return r, nil
}

// checkProvider refuses a plan without any resource of this provider,
// naming the providers it has, since that is a wrong file or directory
// rather than "no drift".
func checkProvider(p *planJSON) error {
	others := map[string]bool{}
	found := false
	see := func(mode, typ, provider string) {
		if mode != "" && mode != "managed" {
			return
		}
		if ours(typ, provider) {
			found = true
		} else if provider != "" {
			others[provider] = true
		}
	}
	for _, list := range [][]changeJSON{p.ResourceChanges, p.ResourceDrift} {
		for _, c := range list {
			see(c.Mode, c.Type, c.ProviderName)
		}
	}
	for _, v := range []*valuesJSON{p.PlannedValues, priorValues(p)} {
		eachResource(v, func(r resourceJSON) { see(r.Mode, r.Type, r.ProviderName) })
	}
	if found {
		return nil
	}
	if len(others) == 0 {
		return inputError(NoProviderResources, "the plan holds no resources at all: run the report on a plan of a configuration that uses the Confluence provider (check the working directory, and -target)")
	}
	names := make([]string, 0, len(others))
	for n := range others {
		names = append(names, n)
	}
	sort.Strings(names)
	return inputError(NoProviderResources, "the plan holds no resources of the Confluence provider, only of %s: run the report on a plan of the configuration that manages Confluence permissions",
		strings.Join(names, ", "))
}

func priorValues(p *planJSON) *valuesJSON {
	if p.PriorState == nil {
		return nil
	}
	return p.PriorState.Values
}

func eachResource(v *valuesJSON, fn func(resourceJSON)) {
	if v == nil || v.RootModule == nil {
		return
	}
	var walk func(m moduleJSON, depth int)
	walk = func(m moduleJSON, depth int) {
		if depth > 100 { // modules nest a few levels; a deeper tree is not a real plan
			return
		}
		for _, r := range m.Resources {
			fn(r)
		}
		for _, c := range m.ChildModules {
			walk(c, depth+1)
		}
	}
	walk(*v.RootModule, 0)
}

// namesFromDataSources collects the display names the configuration's data
// sources read during the plan: the people and groups a configuration names
// are usually looked up with confluence_user and confluence_group.
func namesFromDataSources(p *planJSON) map[string]string {
	names := map[string]string{}
	add := func(key, name string) {
		if name != "" && names[key] == "" {
			names[key] = name
		}
	}
	for _, v := range []*valuesJSON{priorValues(p), p.PlannedValues} {
		eachResource(v, func(r resourceJSON) {
			if r.Mode != "data" || !ours(r.Type, r.ProviderName) {
				return
			}
			f := object(r.Values, nil)
			switch r.Type {
			case "confluence_user":
				add(Principal{Type: "user", ID: f.get("id").str()}.Key(), f.get("display_name").str())
			case "confluence_group":
				if name := f.get("name").str(); name != f.get("id").str() { // Data Center groups go by name already
					add(Principal{Type: "group", ID: f.get("id").str()}.Key(), name)
				}
			}
			// Any data source that lists display names by principal key.
			names := f.get("display_names")
			for _, key := range names.keys() {
				add(key, names.get(key).str())
			}
		})
	}
	return names
}

// builder turns resource versions into merged changes.
type builder struct {
	report *Report
	// merged indexes report.Changes by everything but Resources, so that
	// one change shown by several resources is one row.
	merged map[string]int
}

// versions are one resource's three versions: at the last apply, in
// Confluence now, and once applied.
type versions struct {
	address              string
	typ                  string
	prior, now, planned  field
	actions              []string
	drifted, planChanges bool
	// sensitive: Terraform hides some of the values, and so does the report.
	sensitive bool
}

func (b *builder) build(p *planJSON) {
	drift := map[string]changeJSON{}
	var driftOrder []string
	for _, d := range p.ResourceDrift {
		if d.Mode != "managed" || !ours(d.Type, d.ProviderName) {
			continue
		}
		k := d.Address + "\x00" + d.Deposed
		if _, dup := drift[k]; !dup {
			driftOrder = append(driftOrder, k)
		}
		drift[k] = d
	}
	for _, c := range p.ResourceChanges {
		if c.Mode != "managed" || !ours(c.Type, c.ProviderName) {
			continue
		}
		v := versions{address: c.Address, typ: c.Type, actions: c.Change.Actions, planChanges: changes(c.Change.Actions),
			now: object(c.Change.Before, nil), planned: object(c.Change.After, c.Change.AfterUnknown), sensitive: c.sensitive()}
		v.prior = v.now
		for _, addr := range []string{c.Address, c.PreviousAddress} {
			if d, ok := drift[addr+"\x00"+c.Deposed]; ok && addr != "" {
				v.prior, v.drifted = object(d.Change.Before, nil), true
				v.sensitive = v.sensitive || d.sensitive()
				delete(drift, addr+"\x00"+c.Deposed)
				break
			}
		}
		b.resource(v)
	}
	// Drift no resource change accounts for: every drift of a refresh-only
	// plan, whose apply only records what Confluence holds.
	for _, k := range driftOrder {
		d, ok := drift[k]
		if !ok {
			continue
		}
		now := object(d.Change.After, nil)
		b.resource(versions{address: d.Address, typ: d.Type, actions: []string{"no-op"},
			prior: object(d.Change.Before, nil), now: now, planned: now, drifted: true, sensitive: d.sensitive()})
	}
}

// changes reports whether the actions change the resource.
func changes(actions []string) bool {
	for _, a := range actions {
		if a != "no-op" && a != "read" {
			return true
		}
	}
	return false
}

func (b *builder) note(address string, origin Origin, format string, args ...any) {
	b.report.Notes = append(b.report.Notes, Note{Address: address, Origin: origin, Text: fmt.Sprintf(format, args...)})
}

func (b *builder) resource(v versions) {
	t, known := resourceTypes[v.typ]
	switch {
	case !known:
		b.unreadable(v, "is of a type this version of confluence-drift does not know (upgrade it to see how)")
		return
	case t.read == nil:
		b.unreadable(v, "is a space role's definition: every holder of the role gains or loses what the role does")
		return
	case v.sensitive:
		// A report ends up in issues and pull requests: it shows nothing
		// Terraform's own output would hide.
		b.unreadable(v, "has values marked sensitive, which the report does not show")
		return
	}
	prior, err1 := t.holding(v.prior)
	now, err2 := t.holding(v.now)
	if err1 != nil || err2 != nil {
		b.note(v.address, OutsideTerraform, "its state holds values the report cannot read")
		return
	}
	planned := now
	switch {
	case slices.Contains(v.actions, "forget") && !slices.Contains(v.actions, "delete"):
		b.note(v.address, Information, "leaves the state; Confluence keeps its permissions as they are")
	case v.planChanges:
		after, err := t.holding(v.planned)
		if err != nil {
			b.note(v.address, Configuration, "changes, but its space, principal or permissions are %s, so the report cannot show how", errNotKnown)
			return
		}
		planned = after
		destroyed := slices.Contains(v.actions, "delete")
		if destroyed && t.keepsOnDestroy {
			// The old object's permissions stay; a replacement adds its own.
			planned = now.union(after)
			if v.planned.null() {
				b.note(v.address, Configuration, "is destroyed: Terraform stops managing it, and Confluence keeps its permissions as they are")
			}
		}
		// A resource created anew or as a replacement (not again, after
		// it was removed by hand) replaces what Confluence holds, which no
		// plan shows.
		if slices.Contains(v.actions, "create") && t.owns != "" && (v.prior.null() || destroyed) {
			b.note(v.address, Information, "is new and takes over %s: what Confluence holds there now is replaced by its configuration, and the plan does not show what that is", t.owns)
		}
	}
	b.compare(v.address, prior, now, planned)
}

// unreadable notes, when it changes, a resource of this provider the report
// cannot show grant by grant, saying what it is.
func (b *builder) unreadable(v versions, what string) {
	if v.drifted && !reflect.DeepEqual(v.prior.value, v.now.value) {
		b.note(v.address, OutsideTerraform, "%s, and was changed outside Terraform", what)
	}
	if v.planChanges {
		b.note(v.address, Configuration, "%s, and changes: %s", what, strings.Join(v.actions, ", "))
	}
}

// compare reports every grant and role that differs between the three
// versions, grant by grant: a difference between prior and now was made
// outside Terraform, one only between now and planned is the configuration's.
func (b *builder) compare(address string, prior, now, planned holding) {
	refreshOnly := b.report.RefreshOnly
	slots := map[slot]bool{}
	for _, h := range []holding{prior, now, planned} {
		for s := range h.grants {
			slots[s] = true
		}
	}
	for s := range slots {
		ops := map[string]bool{}
		for _, h := range []holding{prior, now, planned} {
			for op := range h.grants[s] {
				ops[op] = true
			}
		}
		for op := range ops {
			was, is, will := prior.grants[s][op], now.grants[s][op], planned.grants[s][op]
			c := Change{Space: s.space, Principal: s.principal, Operation: op, Kind: Revoked}
			switch {
			case was != is:
				if is {
					c.Kind = Granted
				}
				c.Action = driftAction(refreshOnly, will == is)
			case is != will:
				if will {
					c.Kind = Granted
				}
				c.Action = ApplyConfiguration
			default:
				continue
			}
			b.add(c, address)
		}
	}

	roleSlots := map[slot]bool{}
	for _, h := range []holding{prior, now, planned} {
		for s := range h.roles {
			roleSlots[s] = true
		}
	}
	for s := range roleSlots {
		was, is, will := prior.roles[s], now.roles[s], planned.roles[s]
		c := Change{Space: s.space, Principal: s.principal, Kind: RoleChanged, RoleAfterApply: will.label()}
		switch {
		case !was.same(is):
			c.RoleFrom, c.RoleTo = was.label(), is.label()
			c.Action = driftAction(refreshOnly, will.same(is))
		case !is.same(will):
			c.RoleFrom, c.RoleTo = is.label(), will.label()
			c.Action = ApplyConfiguration
		default:
			continue
		}
		b.add(c, address)
	}
}

func driftAction(refreshOnly, kept bool) Action {
	switch {
	case refreshOnly:
		return RecordDrift
	case kept:
		return KeepDrift
	}
	return UndoDrift
}

func (b *builder) add(c Change, address string) {
	k := strings.Join([]string{c.Space, c.Principal.Key(), string(c.Kind), c.Operation, c.RoleFrom, c.RoleTo, c.RoleAfterApply, string(c.Action)}, "\x00")
	i, ok := b.merged[k]
	if !ok {
		i = len(b.report.Changes)
		b.merged[k] = i
		b.report.Changes = append(b.report.Changes, c)
	}
	if !slices.Contains(b.report.Changes[i].Resources, address) {
		b.report.Changes[i].Resources = append(b.report.Changes[i].Resources, address)
		sort.Strings(b.report.Changes[i].Resources)
	}
}
