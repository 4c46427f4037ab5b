package render

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/drift"
)

// The reports of real plans are compared as golden files in
// cmd/confluence-drift; these tests pin what those plans do not show.

func sample() *drift.Report {
	return &drift.Report{
		FormatVersion: "1.2", TerraformVersion: "1.11.4",
		Names: map[string]string{"user:u1": "Ann | *Admin* <b>"},
		Changes: []drift.Change{
			{Space: "DOCS", Principal: drift.Principal{Type: "user", ID: "u1"}, Kind: drift.Granted, Operation: "administer/space",
				Action: drift.UndoDrift, Resources: []string{"confluence_space_permissions.docs"}},
			{Space: "DOCS", Principal: drift.Principal{Type: "group", ID: "g|1"}, Kind: drift.RoleChanged, RoleFrom: "", RoleTo: "Viewer",
				Action: drift.ApplyConfiguration, Resources: []string{`confluence_space_role_assignments.all["DOCS"]`}},
		},
		Notes: []drift.Note{{Address: "confluence_space_widget.x", Origin: drift.OutsideTerraform, Text: "is of a type *unknown*"}},
	}
}

func TestMarkdownKeepsNamesFromBreakingTheTable(t *testing.T) {
	var out bytes.Buffer
	if err := Markdown(&out, sample()); err != nil {
		t.Fatal(err)
	}
	md := out.String()
	for _, want := range []string{
		MarkdownMarker + "\n",
		`| **DOCS** | Ann \| \*Admin\* \<b\> ` + "`user:u1`" + ` | granted | ` + "`administer/space`" + ` | **undo drift: revoke** |`,
		"| `group:g\\|1` | role changed | (no role) → Viewer | configuration change | `confluence_space_role_assignments.all[\"DOCS\"]` |",
		"- `confluence_space_widget.x` is of a type \\*unknown\\*",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	for i, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "| ") && strings.Count(strings.ReplaceAll(line, `\|`, ""), "|") != 7 {
			t.Errorf("line %d has a cell too many or too few: %s", i+1, line)
		}
	}
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

func TestTextColoursChangeNoAlignment(t *testing.T) {
	var plain, coloured bytes.Buffer
	if err := Text(&plain, sample(), TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := Text(&coloured, sample(), TextOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(coloured.String(), ansiRed+"undo drift: revoke"+ansiReset) {
		t.Errorf("no colour for drift:\n%q", coloured.String())
	}
	if got := ansi.ReplaceAllString(coloured.String(), ""); got != plain.String() {
		t.Errorf("colours moved text:\n%s\nwithout colours:\n%s", got, plain.String())
	}
	if strings.Contains(plain.String(), "\x1b") {
		t.Errorf("colours without Color:\n%q", plain.String())
	}
	for _, line := range strings.Split(plain.String(), "\n") {
		if strings.HasSuffix(line, " ") {
			t.Errorf("line ends in blanks: %q", line)
		}
	}
}
