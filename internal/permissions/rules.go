package permissions

import (
	"fmt"
	"strings"
)

// ValidateOperations checks one principal's desired operations: each must
// exist on the deployment, read/space must be among them when anything is,
// and anonymous users cannot administer a space. where names the principal
// and space in messages ("user alice in DOCS").
func ValidateOperations(p Principal, ops []Operation, d Deployment, where string) error {
	var problems []string
	seen := OperationSet{}
	for _, op := range ops {
		if seen.Has(op) {
			problems = append(problems, fmt.Sprintf("operation %q is listed twice", op))
			continue
		}
		seen[op] = struct{}{}
		if err := ValidateOperation(op, d); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if len(seen) > 0 && !seen.Has(ReadSpace) {
		problems = append(problems, fmt.Sprintf("operations must include %q: Confluence grants nothing else to a principal that cannot view the space", ReadSpace))
	}
	if p.Type == Anonymous && seen.Has(AdministerSpace) {
		problems = append(problems, fmt.Sprintf("anonymous users cannot hold %q: Confluence never lets anonymous users administer a space", AdministerSpace))
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %s", where, strings.Join(problems, "; "))
}

// ErrNoAdmin is returned by CheckAdminRemains.
type ErrNoAdmin struct{ SpaceKey string }

func (e ErrNoAdmin) Error() string {
	return fmt.Sprintf("this change would leave space %s with no %q grant, and then nobody could manage its permissions "+
		"(Confluence refuses to remove the last one): keep %q for at least one user or group",
		e.SpaceKey, AdministerSpace, AdministerSpace)
}

// CheckAdminRemains refuses a desired state in which no user or group can
// administer the space.
func CheckAdminRemains(spaceKey string, desired Grants) error {
	if HasAdmin(desired) {
		return nil
	}
	return ErrNoAdmin{SpaceKey: spaceKey}
}

// HasAdmin reports whether some user or group (or a principal type the
// provider does not manage, such as a Cloud role) administers the space.
func HasAdmin(g Grants) bool {
	for p, ops := range g {
		if p.Type != Anonymous && ops.Has(AdministerSpace) {
			return true
		}
	}
	return false
}
