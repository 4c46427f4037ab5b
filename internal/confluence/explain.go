package confluence

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// WriteError is a failed change, explained: what was being done, in which
// space, what Confluence answered and what to do about it.
type WriteError struct {
	Action   string // "granting create/page to user 5b10…"
	SpaceKey string
	Hint     string
	Err      error
}

func (e *WriteError) Error() string {
	msg := fmt.Sprintf("%s in space %s failed: %v", e.Action, e.SpaceKey, e.Err)
	var nf *NotFoundError
	if errors.As(e.Err, &nf) && nf.Kind == "space" && nf.Name == e.SpaceKey {
		msg = fmt.Sprintf("%s failed: %v", e.Action, e.Err) // the error names the space already
	}
	if e.Hint != "" {
		msg += ". " + e.Hint
	}
	return msg
}

func (e *WriteError) Unwrap() error { return e.Err }

// invalidPairText is the start of Cloud's message for a key/target pair that
// does not exist (contributing/confluence-api.md#permission-writes-v1).
const invalidPairText = "Operation not supported for target"

// explain wraps err with the action and a hint. For refusals that Confluence
// words vaguely (a 400 "used for various errors") it checks the likely
// causes itself, so the message can name the one that applies.
func (c *Client) explain(ctx context.Context, action, spaceKey string, g permissions.Grant, err error) error {
	if err == nil {
		return nil
	}
	var already *WriteError
	if errors.As(err, &already) {
		return err
	}
	return &WriteError{Action: action, SpaceKey: spaceKey, Err: err, Hint: c.hint(ctx, spaceKey, g, err)}
}

func (c *Client) hint(ctx context.Context, spaceKey string, g permissions.Grant, err error) string {
	var nf *NotFoundError
	if errors.As(err, &nf) && nf.Kind == "space" {
		return "Check the space key: keys are case-sensitive, and the provider's account must be able to view the space"
	}
	if h := GeneralHint(err); h != "" {
		return h
	}
	e, ok := asError(err)
	if !ok {
		return ""
	}
	switch {
	case e.StatusCode == 403:
		return fmt.Sprintf("The account the provider uses may not change permissions in space %s: give it the space's Admin permission (or Confluence administrator rights)", spaceKey)
	case IsRolesOnly(err):
		return "This Confluence Cloud site manages space access with roles only, so single permissions cannot be granted: assign a space role instead"
	case e.StatusCode == 404:
		return fmt.Sprintf("Space %s does not exist or the provider's account cannot view it: check the key (keys are case-sensitive)", spaceKey)
	case e.StatusCode == 400:
		return c.diagnoseRefusal(ctx, g, e)
	}
	return ""
}

// diagnoseRefusal finds out why Confluence refused a grant with a 400.
func (c *Client) diagnoseRefusal(ctx context.Context, g permissions.Grant, e *Error) string {
	if strings.Contains(e.Message, invalidPairText) {
		return fmt.Sprintf("%q is not a permission %s offers: valid operations are %s",
			g.Operation, c.Deployment().Title(), strings.Join(permissions.OperationNames(c.Deployment()), ", "))
	}
	if g.Principal.Type == permissions.Anonymous && g.Operation == permissions.AdministerSpace {
		return "Anonymous users cannot administer a space"
	}
	switch g.Principal.Type {
	case permissions.User:
		if _, err := c.backend.User(ctx, g.Principal.ID); IsNotFound(err) {
			return fmt.Sprintf("No user with id %q exists on this site (%s): look the user up with the confluence_user data source", g.Principal.ID, userIDHint(c.Deployment()))
		}
	case permissions.Group:
		if _, err := c.backend.Group(ctx, g.Principal.ID); IsNotFound(err) {
			return fmt.Sprintf("No group with id %q exists on this site (%s): look the group up by name with the confluence_group data source", g.Principal.ID, groupIDHint(c.Deployment()))
		}
	}
	return ""
}

func userIDHint(d permissions.Deployment) string {
	if d == permissions.Cloud {
		return "Cloud names users by accountId, not by name or email"
	}
	return "Data Center names users by username"
}

func groupIDHint(d permissions.Deployment) string {
	if d == permissions.Cloud {
		return "Cloud names groups by groupId, not by name"
	}
	return "Data Center names groups by name"
}

func joinOperations(ops []permissions.Operation) string {
	names := make([]string, len(ops))
	for i, op := range ops {
		names[i] = op.String()
	}
	return strings.Join(names, ", ")
}
