// Package tfvalue builds and reads the values Terraform sends over the
// plugin protocol from plain Go values, for code that drives the provider's
// server RPC by RPC: the protocol tests and the protocol benchmark.
package tfvalue

import (
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Build makes a value of typ from v: map[string]any for objects and maps
// (an object's missing attributes are null), []string for lists and sets,
// string, bool, int; nil is null.
func Build(typ tftypes.Type, v any) (tftypes.Value, error) {
	if v == nil {
		return tftypes.NewValue(typ, nil), nil
	}
	switch typ := typ.(type) {
	case tftypes.Object:
		m, ok := v.(map[string]any)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("%v is not an object", v)
		}
		for name := range m {
			if _, ok := typ.AttributeTypes[name]; !ok {
				return tftypes.Value{}, fmt.Errorf("no attribute %q in %s", name, typ)
			}
		}
		vals := map[string]tftypes.Value{}
		for name, at := range typ.AttributeTypes {
			av, err := Build(at, m[name])
			if err != nil {
				return tftypes.Value{}, fmt.Errorf("%s: %w", name, err)
			}
			vals[name] = av
		}
		return tftypes.NewValue(typ, vals), nil
	case tftypes.List:
		return buildList(typ, typ.ElementType, v)
	case tftypes.Set:
		return buildList(typ, typ.ElementType, v)
	case tftypes.Map:
		m, ok := v.(map[string]any)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("%v is not a map", v)
		}
		vals := map[string]tftypes.Value{}
		for k, e := range m {
			ev, err := Build(typ.ElementType, e)
			if err != nil {
				return tftypes.Value{}, fmt.Errorf("%s: %w", k, err)
			}
			vals[k] = ev
		}
		return tftypes.NewValue(typ, vals), nil
	}
	if n, ok := v.(int); ok {
		return tftypes.NewValue(typ, big.NewFloat(float64(n))), nil
	}
	return tftypes.NewValue(typ, v), nil
}

// buildList makes a list or set of strings.
func buildList(typ, elem tftypes.Type, v any) (tftypes.Value, error) {
	strs, ok := v.([]string)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("%v is not a list of strings", v)
	}
	elems := make([]tftypes.Value, 0, len(strs))
	for _, e := range strs {
		elems = append(elems, tftypes.NewValue(elem, e))
	}
	return tftypes.NewValue(typ, elems), nil
}

// Dynamic is Build, encoded as the protocol carries it.
func Dynamic(typ tftypes.Type, v any) (*tfprotov6.DynamicValue, error) {
	val, err := Build(typ, v)
	if err != nil {
		return nil, err
	}
	dv, err := tfprotov6.NewDynamicValue(typ, val)
	if err != nil {
		return nil, err
	}
	return &dv, nil
}
