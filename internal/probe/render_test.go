package probe

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// TestTextFormatStructure pins the layout of the text report (header
// fields, summary, one section per check in run order), not its
// timestamps or ports.
func TestTextFormatStructure(t *testing.T) {
	for _, dep := range []permissions.Deployment{permissions.Cloud, permissions.DataCenter} {
		t.Run(string(dep), func(t *testing.T) {
			var s site
			if dep == permissions.Cloud {
				s = cloudSite(t, confluencesim.Options{})
			} else {
				s = dcSite(t, confluencesim.Options{})
			}
			out := render(t, probeSite(t, s.config()), FormatText)
			lines := strings.Split(out, "\n")
			if lines[0] != "confluence-probe report" {
				t.Errorf("first line %q", lines[0])
			}
			var fields []string
			for _, l := range lines[1:] {
				if m := regexp.MustCompile(`^  ([a-z]+): `).FindStringSubmatch(l); m != nil {
					fields = append(fields, m[1])
				}
				if l == "Space lookup:" {
					break
				}
			}
			if want := []string{"tool", "date", "site", "deployment", "account", "spaces", "writes"}; !slices.Equal(fields, want) {
				t.Errorf("header fields %v, want %v", fields, want)
			}
			for _, want := range []string{"\nSpace lookup:\n", "\nSummary:\n"} {
				if !strings.Contains(out, want) {
					t.Errorf("no %q", strings.TrimSpace(want))
				}
			}
			var sections []string
			for _, m := range regexp.MustCompile(`(?m)^== ([a-z-]+) \[(answered|skipped|failed)\] ==$`).FindAllStringSubmatch(out, -1) {
				sections = append(sections, m[1])
			}
			if want := CheckNames(dep); !slices.Equal(sections, want) {
				t.Errorf("sections %v, want %v", sections, want)
			}
			for _, label := range []string{"Question: ", "Answer:   ", "Meaning:", "Facts:", "Requests:"} {
				if !strings.Contains(out, "\n"+label) {
					t.Errorf("no %q in any section", label)
				}
			}
			if !strings.Contains(out, "tool:       confluence-probe test") || !strings.Contains(out, "date:       2026-12-02T10:00:00Z") {
				t.Errorf("header values missing:\n%s", strings.Join(lines[:10], "\n"))
			}
		})
	}
}

func TestMarkdownFormat(t *testing.T) {
	s := cloudSite(t, confluencesim.Options{})
	out := render(t, probeSite(t, s.config()), FormatMarkdown)
	for _, want := range []string{"# confluence-probe report\n", "| check | status | answer |\n", "| `space-keys` | answered | comma-joined only |\n", "\n## anonymous-form\n", "<details><summary>Requests</summary>", "```text\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	if strings.Count(out, "<details>") != strings.Count(out, "</details>") {
		t.Error("unbalanced <details>")
	}
	if strings.Count(out, "```")%2 != 0 {
		t.Error("unbalanced code fences")
	}
}

func TestJSONFormatIsStable(t *testing.T) {
	s := cloudSite(t, confluencesim.Options{})
	rep := probeSite(t, s.config())
	out := render(t, rep, FormatJSON)
	if again := render(t, rep, FormatJSON); again != out {
		t.Error("two renderings of one report differ")
	}
	var doc struct {
		Schema     string `json:"schema"`
		Tool       string `json:"tool"`
		Version    string `json:"version"`
		Date       string `json:"date"`
		Site       string `json:"site"`
		Deployment string `json:"deployment"`
		Checks     []map[string]json.RawMessage
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != Schema || doc.Tool != ToolName || doc.Version != "test" || doc.Date != "2026-12-02T10:00:00Z" || doc.Deployment != "cloud" || doc.Site != s.ts.URL {
		t.Errorf("header %+v", doc)
	}
	var names []string
	for _, c := range doc.Checks {
		for _, k := range []string{"name", "question", "status", "answer", "interpretation", "facts", "exchanges"} {
			if _, ok := c[k]; !ok {
				t.Errorf("a check lacks %q", k)
			}
		}
		var n string
		_ = json.Unmarshal(c["name"], &n)
		names = append(names, n)
	}
	if !slices.Equal(names, CheckNames(permissions.Cloud)) {
		t.Errorf("checks %v", names)
	}
}

func TestChecksHelpDocumentsEveryCheck(t *testing.T) {
	help := ChecksHelp()
	for _, c := range checks {
		if !strings.Contains(help, "\n  "+c.name) {
			t.Errorf("the help does not name %s", c.name)
		}
		if len(c.answers) == 0 || c.question == "" {
			t.Errorf("%s has no question or answers", c.name)
		}
	}
	for _, l := range strings.Split(help, "\n") {
		if len(l) > 80 {
			t.Errorf("help line longer than 80 columns: %q", l)
		}
	}
}

func TestMarkdownKeepsAngleBracketsLiteral(t *testing.T) {
	s := dcSite(t, confluencesim.Options{DCVersion: "8.5.4"})
	out := render(t, probeSite(t, s.config()), FormatMarkdown)
	if !strings.Contains(out, "| `error-bodies` | answered | missing space: 404 XML &lt;status&gt;;") {
		t.Errorf("the summary row of error-bodies is not escaped:\n%s", out)
	}
}
