// Package apitest holds test helpers that hold real HTTP responses of ajans
// against docs/openapi.yaml, so the document and the server cannot drift
// apart. It is an ordinary package, imported by other packages' tests.
package apitest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/ajans/ajans/docs"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// loadSpec parses and validates docs.OpenAPI once per test binary; the
// result is read-only afterwards, so every Validator shares it.
var loadSpec = sync.OnceValues(func() (*spec, error) {
	return parseSpec(docs.OpenAPI)
})

// Validator checks HTTP responses against the OpenAPI description of ajans.
// It is safe for concurrent use by parallel tests.
type Validator struct {
	spec *spec
}

// NewValidator returns a Validator for docs/openapi.yaml. It fails tb when
// the document does not load or is not a valid OpenAPI 3 document. The
// document is parsed once, so calling NewValidator in every test is cheap.
func NewValidator(tb testing.TB) *Validator {
	tb.Helper()
	s, err := loadSpec()
	if err != nil {
		tb.Fatalf("apitest: docs/openapi.yaml: %v", err)
		return nil
	}
	return &Validator{spec: s}
}

// Check fails tb unless the response (status, header, body) to req is one
// the document describes for req's method and path: a documented status,
// a documented content type, the documented headers and, for JSON, a body
// that matches the schema. The scheme and host of req are ignored, so
// requests to httptest servers on any port match. The request body is not
// validated. A method the path does not document may only be answered 405.
// Binary bodies (a schema of format binary) are not read; their content
// type still has to be documented.
func (v *Validator) Check(tb testing.TB, req *http.Request, status int, header http.Header,
	body []byte) {
	tb.Helper()
	if err := v.check(req, status, header, body); err != nil {
		tb.Errorf("apitest: %s %s answered %d, which docs/openapi.yaml does not allow:\n"+
			"  %s\n  body: %s", req.Method, req.URL.RequestURI(), status, describe(err),
			snippet(body))
	}
}

// CheckResponse checks resp like Check, with resp.Request as the request,
// and returns the body it read. resp.Body is replaced by a fresh reader over
// the same bytes, so the caller may decode it afterwards.
func (v *Validator) CheckResponse(tb testing.TB, resp *http.Response) []byte {
	tb.Helper()
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		tb.Fatalf("apitest: read response body: %v", err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	v.Check(tb, resp.Request, resp.StatusCode, resp.Header, body)
	return body
}

// CheckRecorder checks what an http.Handler wrote to rec in answer to req.
func (v *Validator) CheckRecorder(tb testing.TB, req *http.Request,
	rec *httptest.ResponseRecorder) {
	tb.Helper()
	v.Check(tb, req, rec.Code, rec.Result().Header, rec.Body.Bytes())
}

// check returns why the response does not match the document, or nil.
func (v *Validator) check(req *http.Request, status int, header http.Header,
	body []byte) error {
	m, err := v.spec.match(req)
	if err != nil {
		return err
	}
	if err := m.checkMethod(status, header); err != nil {
		return err
	}
	media, err := m.mediaType(status, header.Get("Content-Type"))
	if err != nil {
		return err
	}

	// HEAD answers have no body, and binary bodies have no JSON to check.
	opts := &openapi3filter.Options{
		IncludeResponseStatus: true,
		MultiError:            true,
		ExcludeResponseBody:   req.Method == http.MethodHead || isBinary(media),
	}
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    m.req,
			PathParams: m.params,
			Route:      m.route,
		},
		Status:  status,
		Header:  header,
		Options: opts,
	}
	input.SetBodyBytes(body)
	return openapi3filter.ValidateResponse(context.Background(), input)
}

// mediaType returns the documented media type of the response with this
// status and Content-Type.
func (m *match) mediaType(status int, contentType string) (*openapi3.MediaType, error) {
	ref := m.route.Operation.Responses.Status(status)
	if ref == nil {
		ref = m.route.Operation.Responses.Default()
	}
	if ref == nil || ref.Value == nil {
		return nil, fmt.Errorf("status %d is not documented for %s", status, m)
	}
	if contentType == "" {
		return nil, errors.New("the response has no Content-Type")
	}
	media := ref.Value.Content.Get(contentType)
	if media == nil {
		return nil, fmt.Errorf("content type %q is not documented for status %d of %s",
			contentType, status, m)
	}
	return media, nil
}

// isBinary reports whether media describes an opaque body (format binary).
func isBinary(media *openapi3.MediaType) bool {
	if media.Schema == nil || media.Schema.Value == nil {
		return false
	}
	return media.Schema.Value.Format == "binary"
}

// snippet returns the start of body, short enough for a failure message.
func snippet(body []byte) string {
	if len(body) == 0 {
		return "(empty)"
	}
	return cut(body, 300)
}
