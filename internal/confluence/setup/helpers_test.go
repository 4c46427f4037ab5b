package setup

import (
	"context"
	"fmt"
	"slices"
)

type logFunc func(msg string)

func (f logFunc) Debug(_ context.Context, msg string, _ map[string]any) { f(msg) }

func typeName(v any) string { return fmt.Sprintf("%T", v) }

func containsString(list []string, s string) bool { return slices.Contains(list, s) }
