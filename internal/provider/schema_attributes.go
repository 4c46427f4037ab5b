package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Attributes that several resources share, written once so that they read
// and behave the same everywhere.

// spaceKeyAttribute is the space a resource lives in; moving it elsewhere
// replaces it.
func spaceKeyAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Required:            true,
		MarkdownDescription: spaceKeyDescription,
		Validators:          []validator.String{spaceKeyValidator{}},
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
}

const spaceKeyDescription = "Key of the space, for example `DOCS` (`~` and the owner's username or accountId for a personal space). Keys are case-sensitive."

// importIDAttribute is the computed id, which is also the import id.
func importIDAttribute(description string) schema.StringAttribute {
	return schema.StringAttribute{
		Computed:            true,
		MarkdownDescription: description,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}
