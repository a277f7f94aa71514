package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ajans/ajans"
)

// maxFormBytes caps a request body without files: a message at its longest,
// escaped, with room for the other fields.
const maxFormBytes = 1 << 20

// fields are the named text values of a request: from its body (JSON,
// urlencoded or multipart) and its query string; the body wins.
type fields map[string]string

// readFields reads the text fields of r's body and query string. A file in
// a multipart body is refused.
func readFields(w http.ResponseWriter, r *http.Request) (fields, error) {
	f := fields{}
	for k, v := range r.URL.Query() {
		f[k] = v[0]
	}
	if r.Body == nil || r.Body == http.NoBody {
		return f, nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	mediaType, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	switch mediaType {
	case "multipart/form-data":
		err = readMultipart(r.Body, params["boundary"], f)
	case "application/x-www-form-urlencoded":
		err = readURLEncoded(r.Body, f)
	default: // application/json, or a client that did not say
		err = readJSON(r.Body, f)
	}
	return f, bodyError(err)
}

func bodyError(err error) error {
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tooBig):
		return ajans.Errorf(ajans.ETOOLARGE,
			"The request body is over %d bytes. Send a shorter message.", maxFormBytes)
	case ajans.ErrorCode(err) != ajans.EINTERNAL:
		return err
	default:
		return ajans.WrapError(ajans.EINVALID, "The request body could not be read: "+err.Error(), err)
	}
}

func readJSON(body io.Reader, f fields) error {
	data, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return ajans.WrapError(ajans.EINVALID,
			"The body is not a JSON object. Send e.g. {\"message\": \"Merhaba\"}.", err)
	}
	for k, raw := range obj {
		var s string
		var n json.Number
		switch {
		case json.Unmarshal(raw, &s) == nil:
			f[k] = s
		case json.Unmarshal(raw, &n) == nil:
			f[k] = n.String()
		case string(raw) == "null":
		default:
			return ajans.Errorf(ajans.EINVALID, "The field %q must be a string or a number.", k)
		}
	}
	return nil
}

func readURLEncoded(body io.Reader, f fields) error {
	data, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	values, err := url.ParseQuery(string(data))
	if err != nil {
		return ajans.WrapError(ajans.EINVALID, "The form body is malformed.", err)
	}
	for k, v := range values {
		f[k] = v[0]
	}
	return nil
}

// readMultipart streams the parts of a multipart body into f.
func readMultipart(body io.Reader, boundary string, f fields) error {
	if boundary == "" {
		return ajans.Errorf(ajans.EINVALID, "The multipart body has no boundary in its Content-Type.")
	}
	mr := multipart.NewReader(body, boundary)
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return ajans.WrapError(ajans.EINVALID, "The multipart body is malformed.", err)
		}
		if part.FileName() != "" {
			// TODO(ajans): accept attachments (streamed to blob storage, text
			// extracted for the model); until then a file is refused, never
			// silently dropped.
			return ajans.Errorf(ajans.EINVALID,
				"Attachments are not supported by this server yet; send the message without %q.",
				part.FileName())
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return err
		}
		if name := part.FormName(); name != "" {
			f[name] = string(data)
		}
	}
}

// id parses a positive integer id named name from s.
func id(name, s string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 1 {
		return 0, ajans.Errorf(ajans.EINVALID, "%s must be a positive whole number, not %q.", name, s)
	}
	return n, nil
}

// optionalInt parses an optional whole number between lo and hi.
func optionalInt(f fields, name string, lo, hi int64) (int64, error) {
	s, ok := f[name]
	if !ok || s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, ajans.Errorf(ajans.EINVALID, "%s must be a whole number from %d to %d.", name, lo, hi)
	}
	return n, nil
}
