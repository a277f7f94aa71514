package apitest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// methods are the methods tried to tell "no such path" from "no such method
// on this path".
var methods = []string{
	http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch,
	http.MethodDelete, http.MethodOptions,
}

// spec is a loaded, validated OpenAPI document with its router.
type spec struct {
	doc    *openapi3.T
	router routers.Router
	base   *url.URL // the first server of the document; requests are rebased on it
}

// parseSpec loads data as an OpenAPI 3 document, validates it and builds a
// router for it.
func parseSpec(data []byte) (*spec, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load document: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("validate document: %w", err)
	}
	if len(doc.Servers) == 0 {
		return nil, errors.New("validate document: no servers")
	}
	base, err := url.Parse(doc.Servers[0].URL)
	if err != nil {
		return nil, fmt.Errorf("parse server url: %w", err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("build router: %w", err)
	}
	return &spec{doc: doc, router: router, base: base}, nil
}

// match is the documented operation a request was routed to.
type match struct {
	route  *routers.Route
	params map[string]string
	req    *http.Request // the request, rebased on the document's server
	method string        // the method the test used

	// undocumented reports whether the request's own method is not
	// documented for the path, so route is another method's operation.
	undocumented bool
}

// match finds the operation for req by method and path alone. When the path
// is documented but the method is not, it returns another operation of the
// path with undocumented set, so that a 405 answer can still be checked.
func (s *spec) match(req *http.Request) (*match, error) {
	r := s.rebase(req)
	if route, params, err := s.router.FindRoute(r); err == nil {
		return &match{route: route, params: params, req: r, method: req.Method}, nil
	}
	for _, method := range methods {
		if method == r.Method {
			continue
		}
		other := r.WithContext(r.Context())
		other.Method = method
		if route, params, err := s.router.FindRoute(other); err == nil {
			m := &match{route: route, params: params, req: other, method: req.Method}
			m.undocumented = true
			return m, nil
		}
	}
	return nil, fmt.Errorf("no path in the document matches %s", req.URL.Path)
}

// rebase returns a copy of req addressed to the document's server, so that
// the scheme and host the test used do not matter. HEAD is routed as GET.
func (s *spec) rebase(req *http.Request) *http.Request {
	r := req.Clone(req.Context())
	r.URL.Scheme = s.base.Scheme
	r.URL.Host = s.base.Host
	r.Host = s.base.Host
	if r.Method == http.MethodHead {
		r.Method = http.MethodGet
	}
	return r
}

// checkMethod returns an error unless 405 answers exactly the methods the
// path does not document, with an Allow header naming the ones it does.
func (m *match) checkMethod(status int, header http.Header) error {
	switch {
	case m.undocumented && status != http.StatusMethodNotAllowed:
		return fmt.Errorf("the method is not documented for %s, so only 405 may answer it",
			m.route.Path)
	case !m.undocumented && status == http.StatusMethodNotAllowed:
		return fmt.Errorf("405 answered %s, a documented method", m)
	case status == http.StatusMethodNotAllowed:
		return m.checkAllow(header.Values("Allow"))
	}
	return nil
}

// checkAllow returns an error unless allow lists every method the path
// documents and nothing else besides HEAD (with GET) and OPTIONS.
func (m *match) checkAllow(allow []string) error {
	var got []string
	for _, line := range allow {
		for method := range strings.SplitSeq(line, ",") {
			got = append(got, strings.TrimSpace(method))
		}
	}
	documented := m.route.PathItem.Operations()
	for method := range documented {
		if !slices.Contains(got, method) {
			return fmt.Errorf("header Allow %q lacks %s, documented for %s",
				allow, method, m.route.Path)
		}
	}
	for _, method := range got {
		_, ok := documented[method]
		extra := method == http.MethodOptions ||
			method == http.MethodHead && documented[http.MethodGet] != nil
		if !ok && !extra {
			return fmt.Errorf("header Allow %q names %s, not documented for %s",
				allow, method, m.route.Path)
		}
	}
	return nil
}

// String returns the method the test used and the documented path.
func (m *match) String() string { return m.method + " " + m.route.Path }
