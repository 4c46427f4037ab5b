package drift

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseExplainsInputThatIsNoPlan(t *testing.T) {
	valid := string(planSpec{changes: []rc{{addr: "confluence_space_permission.x", typ: "confluence_space_permission", actions: create,
		after: grant("DOCS", "anonymous", "", "read/space")}}}.bytes(t))
	tests := []struct {
		name    string
		input   string
		problem InputProblem
		says    string
	}{
		{"empty", " \n", NotAPlan, "the input is empty"},
		{"binary plan file", "PK\x03\x04\x14\x00\x08", NotAPlan, "saved plan file, not its JSON: run `terraform show -json plan.out > plan.json`"},
		{"truncated", valid[:len(valid)/2], NotAPlan, "ends early"},
		{"invalid JSON", "{\n  \"format_version\": \"1.2\",,\n}", NotAPlan, "not valid JSON: invalid character ',' looking for beginning of object key string at line 2, column 27"},
		{"not an object", `["format_version"]`, NotAPlan, "not a JSON object"},
		{"wrong type", `{"format_version": 1.2}`, NotAPlan, `field "format_version" holds a JSON number where a plan has a string`},
		{"no format_version", `{"resource_changes": []}`, NotAPlan, "without a format_version"},
		{"state", `{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{}}}`, NotAPlan, "the JSON of a state"},
		{"other JSON with a format_version", `{"format_version":"1.0","provider_schemas":{}}`, NotAPlan, "none of a plan's fields"},
		{"streamed plan -json",
			`{"@level":"info","@message":"Terraform 1.11.4","@module":"terraform.ui","type":"version","terraform":"1.11.4","ui":"1.2"}` + "\n" +
				`{"@level":"info","@message":"Plan: 1 to add","type":"change_summary"}` + "\n",
			NotAPlan, "streamed output of `terraform plan -json`"},
		{"one message of plan -json", `{"@level":"info","@message":"Terraform 1.11.4","type":"version"}`, NotAPlan, "one message of `terraform plan -json`"},
		{"two documents", valid + valid, NotAPlan, "more than one JSON document"},
		{"format 2", `{"format_version":"2.0","planned_values":{}}`, UnsupportedFormat, `format_version "2.0"; this confluence-drift reads format 1.x`},
		{"format 0.2", `{"format_version":"0.2","planned_values":{}}`, UnsupportedFormat, `format_version "0.2"`},
		{"no resources", `{"format_version":"1.2","planned_values":{"root_module":{}}}`, NoProviderResources, "no resources at all"},
		{"other providers only",
			`{"format_version":"1.2","resource_changes":[{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["create"]}}]}`,
			NoProviderResources, "no resources of the Confluence provider, only of registry.terraform.io/hashicorp/aws"},
		{"data sources only",
			`{"format_version":"1.2","prior_state":{"values":{"root_module":{"resources":[{"address":"data.confluence_user.u","mode":"data","type":"confluence_user","provider_name":"` + provider + `"}]}}}}`,
			NoProviderResources, "no resources at all"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.input))
			if err == nil {
				t.Fatal("accepted")
			}
			if ProblemOf(err) != tt.problem || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error (problem %d) = %v\nwant problem %d saying %q", ProblemOf(err), err, tt.problem, tt.says)
			}
		})
	}
}

func TestParseReadsFormatMinorVersions(t *testing.T) {
	for _, v := range []string{"1.0", "1.2", "1.9"} {
		data := strings.Replace(string(planSpec{changes: []rc{{addr: "confluence_space_permission.x", typ: "confluence_space_permission",
			actions: create, after: grant("DOCS", "anonymous", "", "read/space")}}}.bytes(t)), `"1.2"`, `"`+v+`"`, 1)
		if r, err := Parse([]byte(data)); err != nil || len(r.Changes) != 1 {
			t.Errorf("format %s: %v", v, err)
		}
	}
}

// FuzzParse holds Parse to its promise: whatever the input, an error or a
// report, never a panic; and a report that can be grouped and summed up.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"format_version":"1.2","resource_changes":[{"address":"confluence_space_permissions.x","mode":"managed","type":"confluence_space_permissions","change":{"actions":["update"],"before":{"space_key":"A","grants":{"user:1":["read/space"]}},"after":{"space_key":"A","grants":{"user:1":[7]}},"after_unknown":{"grants":[true]}}}]}`))
	f.Add([]byte(`{"format_version":"1.2","resource_drift":[{"address":"confluence_space_role_assignment.x","mode":"managed","type":"confluence_space_role_assignment","change":{"actions":["update"],"before":{"principal":"x"},"after":[]}}]}`))
	f.Add([]byte(`{"format_version":"1.2","prior_state":{"values":{"root_module":{"child_modules":[{"resources":[{"mode":"data","type":"confluence_user","values":{"id":{"a":1}}}]}]}}}}`))
	f.Add([]byte(`{"format_version":"1."}`))
	plans, _ := filepath.Glob(filepath.Join("..", "..", "cmd", "confluence-drift", "testdata", "plans", "*.json"))
	for _, name := range plans {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse(data)
		if err != nil {
			if ProblemOf(err) == 0 {
				t.Fatalf("an error that is no InputError: %v", err)
			}
			return
		}
		_ = r.Spaces()
		_ = r.Outcome()
		_ = r.Principals()
	})
}
