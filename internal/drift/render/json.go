package render

import (
	"encoding/json"
	"io"

	"github.com/spacekeeper/terraform-provider-confluence/internal/drift"
)

// JSONFormat is the version of the JSON report. Within a version fields are
// only ever added; a field's meaning never changes. The format is
// documented in templates/guides/catching-permissions-changed-by-hand.md.tmpl.
const JSONFormat = "1"

type jsonReport struct {
	ReportFormat string      `json:"report_format"`
	Outcome      string      `json:"outcome"`
	Plan         jsonPlan    `json:"plan"`
	Summary      jsonSummary `json:"summary"`
	Spaces       []jsonSpace `json:"spaces"`
	Notes        []jsonNote  `json:"notes"`
}

type jsonPlan struct {
	FormatVersion    string `json:"format_version"`
	TerraformVersion string `json:"terraform_version"`
	RefreshOnly      bool   `json:"refresh_only"`
}

type jsonSummary struct {
	UndoDrift          int `json:"undo_drift"`
	RecordDrift        int `json:"record_drift"`
	KeepDrift          int `json:"keep_drift"`
	ApplyConfiguration int `json:"apply_configuration"`
	Spaces             int `json:"spaces"`
	Principals         int `json:"principals"`
}

type jsonSpace struct {
	SpaceKey   string          `json:"space_key"`
	Principals []jsonPrincipal `json:"principals"`
}

type jsonPrincipal struct {
	Key         string       `json:"key"`
	Type        string       `json:"type"`
	ID          string       `json:"id"`
	DisplayName string       `json:"display_name"`
	Changes     []jsonChange `json:"changes"`
}

type jsonChange struct {
	Change    string    `json:"change"`
	Operation string    `json:"operation,omitempty"`
	Role      *jsonRole `json:"role,omitempty"`
	Origin    string    `json:"origin"`
	Action    string    `json:"action"`
	Resources []string  `json:"resources"`
}

// jsonRole is a role change; null stands for no role.
type jsonRole struct {
	From       *string `json:"from"`
	To         *string `json:"to"`
	AfterApply *string `json:"after_apply"`
}

type jsonNote struct {
	Address string `json:"address"`
	Origin  string `json:"origin"`
	Text    string `json:"text"`
}

// JSON writes the report in the stable JSON format, indented, in the same
// order as the table.
func JSON(w io.Writer, r *drift.Report) error {
	out := jsonReport{
		ReportFormat: JSONFormat,
		Outcome:      r.Outcome().String(),
		Plan:         jsonPlan{FormatVersion: r.FormatVersion, TerraformVersion: r.TerraformVersion, RefreshOnly: r.RefreshOnly},
		Summary: jsonSummary{
			UndoDrift: r.Count(drift.UndoDrift), RecordDrift: r.Count(drift.RecordDrift),
			KeepDrift: r.Count(drift.KeepDrift), ApplyConfiguration: r.Count(drift.ApplyConfiguration),
			Principals: len(r.Principals()),
		},
		Spaces: []jsonSpace{},
		Notes:  []jsonNote{},
	}
	for _, s := range r.Spaces() {
		js := jsonSpace{SpaceKey: s.Key}
		for _, p := range s.Principals {
			jp := jsonPrincipal{Key: p.Principal.Key(), Type: p.Principal.Type, ID: p.Principal.ID, DisplayName: p.Name}
			for _, c := range p.Changes {
				jc := jsonChange{Change: string(c.Kind), Operation: c.Operation, Origin: string(c.Action.Origin()), Action: string(c.Action), Resources: c.Resources}
				if c.Kind == drift.RoleChanged {
					jc.Role = &jsonRole{From: roleOrNull(c.RoleFrom), To: roleOrNull(c.RoleTo), AfterApply: roleOrNull(c.RoleAfterApply)}
				}
				jp.Changes = append(jp.Changes, jc)
			}
			js.Principals = append(js.Principals, jp)
		}
		out.Spaces = append(out.Spaces, js)
	}
	out.Summary.Spaces = len(out.Spaces)
	for _, n := range r.Notes {
		out.Notes = append(out.Notes, jsonNote{Address: n.Address, Origin: string(n.Origin), Text: n.Text})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func roleOrNull(r string) *string {
	if r == "" {
		return nil
	}
	return &r
}
