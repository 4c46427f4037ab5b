package transport

import "context"

// Logger receives debug lines. The provider adapts it to tflog. Fields never
// contain headers or bodies.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
}

// LoggerFunc adapts a function to Logger.
type LoggerFunc func(ctx context.Context, msg string, fields map[string]any)

// Debug calls f.
func (f LoggerFunc) Debug(ctx context.Context, msg string, fields map[string]any) {
	f(ctx, msg, fields)
}

type nopLogger struct{}

func (nopLogger) Debug(context.Context, string, map[string]any) {}
