// Package render prints a drift.Report as a terminal table, as Markdown for
// a pull request comment or an issue, or as JSON for other tools. The
// table and the Markdown say the same things in the same words (this
// file); the JSON is a stable format of its own (json.go).
package render

import (
	"fmt"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/drift"
)

// header is the table's columns, in the terminal's spelling.
var header = []string{"SPACE", "PRINCIPAL", "CHANGE", "PERMISSION", "ACTION ON APPLY", "RESOURCE"}

// cells are one change's cells, space and principal left to the caller,
// which blanks them when they repeat the row above.
func cells(c drift.Change) (change, permission, action, resources string) {
	return changeWord(c), permissionWord(c), actionWord(c), strings.Join(c.Resources, ", ")
}

func changeWord(c drift.Change) string {
	if c.Kind == drift.RoleChanged {
		return "role changed"
	}
	return string(c.Kind)
}

func permissionWord(c drift.Change) string {
	if c.Kind == drift.RoleChanged {
		return roleWord(c.RoleFrom) + " → " + roleWord(c.RoleTo)
	}
	return c.Operation
}

func roleWord(r string) string {
	if r == "" {
		return "(no role)"
	}
	return r
}

// actionWord says what the apply does, and for drift what undoing it takes.
func actionWord(c drift.Change) string {
	switch c.Action {
	case drift.UndoDrift:
		switch {
		case c.Kind == drift.Granted:
			return "undo drift: revoke"
		case c.Kind == drift.Revoked:
			return "undo drift: grant again"
		case c.RoleAfterApply == "":
			return "undo drift: remove the role"
		}
		return "undo drift: set " + c.RoleAfterApply
	case drift.RecordDrift:
		return "record in state (refresh-only)"
	case drift.KeepDrift:
		return "none: the configuration agrees"
	}
	return "configuration change"
}

// principalWord names a principal for people: its display name with the
// key the configuration writes, or the key alone.
func principalWord(name string, p drift.Principal) string {
	switch {
	case p.Type == "anonymous" && name != "":
		return name
	case name != "":
		return name + " (" + p.Key() + ")"
	}
	return p.Key()
}

// title is the report's heading.
func title(r *drift.Report) string {
	switch r.Outcome() {
	case drift.Drift:
		return "Confluence permissions changed outside Terraform"
	case drift.ConfigurationOnly:
		return "Confluence permission changes from the configuration"
	}
	return "No Confluence permission changes"
}

// summary is the report in one sentence.
func summary(r *drift.Report) string {
	var parts []string
	count := func(a drift.Action, what string) {
		if n := r.Count(a); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, fmt.Sprintf(what, plural(n, "change", "changes"))))
		}
	}
	count(drift.UndoDrift, "%s made outside Terraform, which the apply undoes")
	count(drift.RecordDrift, "%s made outside Terraform, which the apply records in the state")
	count(drift.KeepDrift, "%s made outside Terraform that the configuration agrees with")
	count(drift.ApplyConfiguration, "configuration %s")
	if len(parts) == 0 {
		if len(r.Notes) > 0 {
			return "No permission changes the report can show grant by grant; see the notes."
		}
		return "The plan changes no permission."
	}
	spaces := len(r.Spaces())
	return strings.Join(parts, "; ") + fmt.Sprintf(", in %d %s.", spaces, plural(spaces, "space", "spaces"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func noteWord(n drift.Note) string {
	if n.Address == "" {
		return n.Text
	}
	return n.Address + " " + n.Text
}

func footer(r *drift.Report) string {
	return fmt.Sprintf("confluence-drift, from a plan of Terraform or OpenTofu %s (plan JSON format %s)", r.TerraformVersion, r.FormatVersion)
}
