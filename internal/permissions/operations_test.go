package permissions

import (
	"strings"
	"testing"
)

func TestOperationTableMatchesReference(t *testing.T) {
	// contributing/confluence-api.md#operation-names-on-data-center: 14
	// grantable permissions per deployment, archive/page Cloud only,
	// delete_mail/space Data Center only.
	var cloud, dc int
	for _, info := range Operations() {
		if info.Cloud {
			cloud++
		}
		if info.OnDataCenter() {
			dc++
			back, ok := FromDataCenterREST(info.DataCenterREST)
			if !ok || back != info.Operation {
				t.Errorf("%s: REST pair %v does not map back", info.Operation, info.DataCenterREST)
			}
			back, ok = FromDataCenterType(info.DataCenterType)
			if !ok || back != info.Operation {
				t.Errorf("%s: type %s does not map back", info.Operation, info.DataCenterType)
			}
		}
	}
	if cloud != 14 || dc != 14 {
		t.Fatalf("want 14 permissions on each deployment, got cloud=%d dc=%d", cloud, dc)
	}
	if op, _ := FromDataCenterREST(Operation{"delete_own", "space"}); op != (Operation{"delete", "space"}) {
		t.Errorf("delete_own maps to %v", op)
	}
	if op, _ := FromDataCenterType("SETPAGEPERMISSIONS"); op != (Operation{"restrict_content", "space"}) {
		t.Errorf("SETPAGEPERMISSIONS maps to %v", op)
	}
}

func TestParseOperation(t *testing.T) {
	for _, bad := range []string{"", "read", "read/", "/space", "a/b/c"} {
		if _, err := ParseOperation(bad); err == nil || !strings.Contains(err.Error(), "key/target") {
			t.Errorf("ParseOperation(%q): want a shape error, got %v", bad, err)
		}
	}
	if op, err := ParseOperation("create/page"); err != nil || op != (Operation{"create", "page"}) {
		t.Errorf("ParseOperation(create/page) = %v, %v", op, err)
	}
}

func TestValidateOperationNamesDeploymentAndChoices(t *testing.T) {
	err := ValidateOperation(Operation{"administer", "page"}, Cloud)
	if err == nil || !strings.Contains(err.Error(), `"administer/page"`) || !strings.Contains(err.Error(), "read/space") {
		t.Fatalf("want the operation and the valid choices, got %v", err)
	}
	err = ValidateOperation(Operation{"archive", "page"}, DataCenter)
	if err == nil || !strings.Contains(err.Error(), "Confluence Data Center") || strings.Contains(err.Error(), "archive/page,") {
		t.Fatalf("want the deployment named and archive/page not offered, got %v", err)
	}
}

func TestSortOperationsPutsReadFirst(t *testing.T) {
	ops := []Operation{{"delete", "page"}, AdministerSpace, ReadSpace}
	SortOperations(ops)
	if ops[0] != ReadSpace || ops[1] != AdministerSpace {
		t.Fatalf("got %v", ops)
	}
}
