// Package docs holds the documents that describe ajans, embedded so that
// tests and the server can use them without reading files at run time.
package docs

import _ "embed"

// OpenAPI is docs/openapi.yaml: the OpenAPI 3.0.3 description of API v2 and
// of the health and file endpoints, exactly as the server answers them.
// Treat it as read-only; it is shared by every caller.
//
//go:embed openapi.yaml
var OpenAPI []byte
