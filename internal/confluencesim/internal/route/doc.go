// Package route is what the flavours' HTTP APIs are made of: the routes a
// flavour serves and the router that matches paths against their
// templates, the exchange a handler serves, and the few helpers both
// flavours answer and read queries with. It knows no flavour: the server
// above it routes, authenticates and renders its errors through the
// flavour, and the flavours below it speak their wire formats.
package route
