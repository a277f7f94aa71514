package apitest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// describe returns err as short lines a person can read: where in the body
// each problem is, the value found there and what is wrong with it. The
// schema dumps kin-openapi puts in its messages are left out.
func describe(err error) string {
	switch e := err.(type) {
	case *openapi3filter.ResponseError:
		if e.Err == nil {
			return e.Reason
		}
		return e.Reason + ":\n    " + describe(e.Err)
	case *openapi3.SchemaError:
		return describeSchema(e)
	case openapi3.MultiError:
		parts := make([]string, 0, len(e))
		for _, inner := range e {
			parts = append(parts, describe(inner))
		}
		return strings.Join(parts, "\n    ")
	case interface{ Unwrap() error }:
		var schemaErr *openapi3.SchemaError
		if errors.As(err, &schemaErr) {
			return describe(e.Unwrap())
		}
	}
	return err.Error()
}

// describeSchema describes one failed schema check, and what caused it.
func describeSchema(e *openapi3.SchemaError) string {
	msg := fmt.Sprintf("at %q (%s): %s", "/"+strings.Join(e.JSONPointer(), "/"),
		shortValue(e.Value), e.Reason)
	// Only causes that are schema checks themselves (allOf's parts) say
	// more than the reason already does.
	var inner *openapi3.SchemaError
	if errors.As(e.Origin, &inner) {
		msg += ", because\n    " + describe(e.Origin)
	}
	return msg
}

// shortValue returns v as JSON, cut short for a failure message.
func shortValue(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return cut(data, 60)
}

// cut returns data as a string of at most limit bytes, ending on a whole
// rune, with "…" appended when something was cut off.
func cut(data []byte, limit int) string {
	if len(data) <= limit {
		return string(bytes.ToValidUTF8(data, []byte("?")))
	}
	end := limit
	for end > 0 && !utf8.RuneStart(data[end]) {
		end--
	}
	return string(bytes.ToValidUTF8(data[:end], []byte("?"))) + "…"
}
