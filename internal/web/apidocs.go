package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/docs"
	"github.com/ajans/ajans/internal/billing"
)

// apiReference is the API v2 reference, read once from docs/openapi.yaml.
type apiReference struct {
	Endpoints []endpoint
	Errors    []errorRow
}

// endpoint is one documented operation.
type endpoint struct {
	ID, Method, Path, Summary string
	Description               []string // paragraphs, with `code`
	Params, Body              []field
	BodyTypes                 []string
	Response                  string // an example answer, as indented JSON
	Statuses                  []statusRow

	examplePath string // Path with example values
	bodyArgs    string // the curl arguments of an example body
}

type field struct {
	Name, In, Type, Description string
	Required                    bool
}

type statusRow struct{ Code, Text string }

type errorRow struct {
	Status, Code, Text, Example string
}

// Curl returns an example call of the endpoint on the server at base.
func (e endpoint) Curl(base string) string {
	cmd := "curl"
	if e.Method != http.MethodGet {
		cmd += " -X " + e.Method
	}
	return cmd + " '" + strings.TrimRight(base, "/") + e.examplePath + "'" + e.bodyArgs
}

// newAPIReference reads the embedded OpenAPI description.
func newAPIReference() (*apiReference, error) {
	doc, err := openapi3.NewLoader().LoadFromData(docs.OpenAPI)
	if err != nil {
		return nil, fmt.Errorf("load openapi: %w", err)
	}
	ref := &apiReference{}
	errs := map[string]errorRow{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			e := newEndpoint(path, method, item, op)
			ref.Endpoints = append(ref.Endpoints, e)
			collectErrors(op, errs)
		}
	}
	// Keep the document's order: by the path's place in the file, then GET first.
	pos := func(e endpoint) int { return bytes.Index(docs.OpenAPI, []byte("\n  "+e.Path+":")) }
	sort.Slice(ref.Endpoints, func(i, j int) bool {
		a, b := ref.Endpoints[i], ref.Endpoints[j]
		if pos(a) != pos(b) {
			return pos(a) < pos(b)
		}
		return a.Method > b.Method
	})
	for _, row := range errs {
		ref.Errors = append(ref.Errors, row)
	}
	sort.Slice(ref.Errors, func(i, j int) bool {
		return ref.Errors[i].Status < ref.Errors[j].Status
	})
	return ref, nil
}

func newEndpoint(path, method string, item *openapi3.PathItem, op *openapi3.Operation) endpoint {
	e := endpoint{ID: op.OperationID, Method: method, Path: path, Summary: op.Summary,
		Description: paragraphs(op.Description), examplePath: path}
	var query []string
	for _, p := range append(slices.Clone(item.Parameters), op.Parameters...) {
		v := p.Value
		e.Params = append(e.Params, field{Name: v.Name, In: v.In, Type: schemaType(v.Schema),
			Description: v.Description, Required: v.Required})
		example := fmt.Sprint(v.Example)
		if v.Name == "token" {
			example = "$TOKEN"
		}
		switch {
		case v.In == "path":
			e.examplePath = strings.ReplaceAll(e.examplePath, "{"+v.Name+"}", example)
		case v.Required:
			query = append(query, v.Name+"="+example)
		}
	}
	if len(query) > 0 {
		e.examplePath += "?" + strings.Join(query, "&")
	}
	if op.RequestBody != nil {
		e.body(op.RequestBody.Value.Content)
	}
	e.response(op.Responses)
	return e
}

// body documents the request body, by its richest form, and makes the
// example's curl arguments from its JSON form.
func (e *endpoint) body(content openapi3.Content) {
	for t := range content {
		e.BodyTypes = append(e.BodyTypes, t)
	}
	slices.Sort(e.BodyTypes)
	for _, t := range []string{"multipart/form-data", "application/json",
		"application/x-www-form-urlencoded"} {
		if mt, ok := content[t]; ok && mt.Schema != nil {
			e.Body = fields(mt.Schema.Value)
			break
		}
	}
	mt, ok := content["application/json"]
	if ok && mt.Schema != nil && mt.Schema.Value.Example != nil {
		b, _ := json.Marshal(mt.Schema.Value.Example)
		e.bodyArgs = " \\\n  -H 'Content-Type: application/json' \\\n  -d '" +
			strings.ReplaceAll(string(b), "'", `'\''`) + "'"
	}
}

func fields(s *openapi3.Schema) []field {
	var out []field
	for name, p := range s.Properties {
		out = append(out, field{Name: name, Type: schemaType(p), Description: p.Value.Description,
			Required: slices.Contains(s.Required, name)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func schemaType(s *openapi3.SchemaRef) string {
	if s == nil || s.Value == nil || s.Value.Type == nil {
		return ""
	}
	t := strings.Join(s.Value.Type.Slice(), "|")
	if s.Value.Type.Is("array") && s.Value.Items != nil {
		t = schemaType(s.Value.Items) + "[]"
	}
	if s.Value.Format == "binary" {
		t = "file"
	}
	return t
}

// response lists the statuses and shows an example of the success answer.
func (e *endpoint) response(rs *openapi3.Responses) {
	for code, r := range rs.Map() {
		text := ""
		if r.Value.Description != nil {
			text = *r.Value.Description
		}
		e.Statuses = append(e.Statuses, statusRow{Code: code, Text: strings.TrimSpace(text)})
		if code != "200" {
			continue
		}
		if mt, ok := r.Value.Content["application/json"]; ok && mt.Schema != nil {
			if ex := example(mt.Schema.Value); ex != nil {
				b, _ := json.MarshalIndent(ex, "", "  ")
				e.Response = string(b)
			}
		}
	}
	sort.Slice(e.Statuses, func(i, j int) bool { return e.Statuses[i].Code < e.Statuses[j].Code })
}

// example returns the schema's example, or for an array one of its items.
func example(s *openapi3.Schema) any {
	if s.Example != nil {
		return s.Example
	}
	if s.Type != nil && s.Type.Is("array") && s.Items != nil && s.Items.Value.Example != nil {
		return []any{s.Items.Value.Example}
	}
	return nil
}

// collectErrors adds the error answers of op to the error table.
func collectErrors(op *openapi3.Operation, errs map[string]errorRow) {
	for code, r := range op.Responses.Map() {
		if code < "400" || r.Value.Description == nil {
			continue
		}
		row := errorRow{Status: code, Text: strings.TrimSpace(*r.Value.Description)}
		if mt, ok := r.Value.Content["application/json"]; ok && mt.Schema != nil {
			if ex, ok := mt.Schema.Value.Example.(map[string]any); ok {
				if detail, ok := ex["error"].(map[string]any); ok {
					row.Code, _ = detail["code"].(string)
					row.Example, _ = detail["message"].(string)
				}
			}
		}
		if old, ok := errs[code]; !ok || len(row.Text) > len(old.Text) {
			errs[code] = row
		}
	}
}

func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.TrimSpace(s), "\n\n") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// docsData is the data of the /docs page.
type docsData struct {
	BaseURL     string
	Ref         *apiReference
	Plans       []ajans.Plan
	Costs       []costRow
	MinTransfer int64
	Features    []string
}

type costRow struct {
	Key                     string
	MessageTokens, Response int
	Credits                 int64
}

func (s *Server) apiDocs(w http.ResponseWriter, r *http.Request) {
	l := s.locale(r)
	u, _ := s.sessionUser(r)
	d := docsData{BaseURL: s.baseURL(r), Ref: s.docs, Plans: s.Plans,
		MinTransfer: billing.MinTransfer, Features: billing.Features}
	for _, c := range []costRow{{"docs.cost_short", 100, 500, 0},
		{"docs.cost_medium", 200, 1000, 0}, {"docs.cost_long", 500, 2000, 0}} {
		c.Credits = billing.Credits(c.MessageTokens, c.Response)
		d.Costs = append(d.Costs, c)
	}
	s.render(w, r, http.StatusOK, "docs", &page{L: l, User: u, Title: l.T("docs.title"),
		Nav: "docs", Data: d})
}

// baseURL is where users reach this server: the configured one, else the
// request's own scheme and host.
func (s *Server) baseURL(r *http.Request) string {
	if s.BaseURL != "" {
		return strings.TrimRight(s.BaseURL, "/")
	}
	scheme := "http"
	if s.secure(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
