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
	"github.com/ajans/ajans/internal/chat"
)

// maxFormBytes caps a request body without files, and the text fields of
// a multipart body: a message at its longest, escaped, with room for the
// other fields.
const maxFormBytes = 1 << 20

// maxParts caps the parts of a multipart body.
const maxParts = 100

// fileFields are the multipart fields that carry attachments: the spec's
// spelling, the right one, and both as PHP-style arrays.
var fileFields = map[string]bool{"attachements": true, "attachments": true,
	"attachements[]": true, "attachments[]": true}

// fields are the named text values of a request: from its body (JSON,
// urlencoded or multipart) and its query string; the body wins.
type fields map[string]string

// files says whether and how a request may carry files.
type files struct {
	refuse error // when not nil, the error a file gets (the plan lacks uploads)
	max    int   // how many files a request may carry
	spool  func(name string, r io.Reader) (*chat.Upload, error)
}

// readFields reads the text fields of r's body and query string. A file in
// a multipart body is refused.
func readFields(w http.ResponseWriter, r *http.Request) (fields, error) {
	f, _, err := readBody(w, r, nil)
	return f, err
}

// readBody reads the fields of r's body and query string, and spools the
// files of a multipart body when fs allows them. On error no spooled file
// is left; otherwise the caller removes them.
func readBody(w http.ResponseWriter, r *http.Request, fs *files) (fields, []*chat.Upload, error) {
	f := fields{}
	for k, v := range r.URL.Query() {
		f[k] = v[0]
	}
	if r.Body == nil || r.Body == http.NoBody {
		return f, nil, nil
	}
	limit := int64(maxFormBytes)
	if fs != nil {
		limit += int64(fs.max) * (ajans.MaxFileBytes + 64<<10)
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mediaType, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var uploads []*chat.Upload
	var err error
	switch mediaType {
	case "multipart/form-data":
		uploads, err = readMultipart(r.Body, params["boundary"], f, fs)
	case "application/x-www-form-urlencoded":
		err = readURLEncoded(io.LimitReader(r.Body, maxFormBytes+1), f)
	default: // application/json, or a client that did not say
		err = readJSON(io.LimitReader(r.Body, maxFormBytes+1), f)
	}
	return f, uploads, bodyError(err)
}

// errFieldsTooLarge is the error of text fields over maxFormBytes.
var errFieldsTooLarge = ajans.Errorf(ajans.ETOOLARGE,
	"The request body is over %d bytes. Send a shorter message.", maxFormBytes)

func bodyError(err error) error {
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tooBig):
		return errFieldsTooLarge
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
	if len(data) > maxFormBytes {
		return errFieldsTooLarge
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
	if len(data) > maxFormBytes {
		return errFieldsTooLarge
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

// readMultipart streams the parts of a multipart body: text fields into f
// (together at most maxFormBytes), files to fs.spool one at a time. On
// error the files spooled so far are removed.
func readMultipart(body io.Reader, boundary string, f fields, fs *files) ([]*chat.Upload, error) {
	if boundary == "" {
		return nil, ajans.Errorf(ajans.EINVALID,
			"The multipart body has no boundary in its Content-Type.")
	}
	mr := multipart.NewReader(body, boundary)
	var uploads []*chat.Upload
	room := int64(maxFormBytes)
	for parts := 0; ; parts++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			return uploads, nil
		}
		if err == nil && parts >= maxParts {
			err = ajans.Errorf(ajans.EINVALID, "The body has more than %d parts.", maxParts)
		}
		if err == nil {
			err = readPart(part, f, fs, &uploads, &room)
		}
		if err != nil {
			chat.RemoveUploads(uploads)
			if ajans.ErrorCode(err) == ajans.EINTERNAL && !isTooBig(err) {
				return nil, ajans.WrapError(ajans.EINVALID, "The multipart body is malformed.", err)
			}
			return nil, err
		}
	}
}

func isTooBig(err error) bool {
	var tooBig *http.MaxBytesError
	return errors.As(err, &tooBig)
}

// readPart reads one part: a file or a text field.
func readPart(part *multipart.Part, f fields, fs *files, uploads *[]*chat.Upload,
	room *int64) error {
	if name, ok := fileName(part); ok {
		up, err := readFile(part, name, fs, len(*uploads))
		if up != nil {
			*uploads = append(*uploads, up)
		}
		return err
	}
	data, err := io.ReadAll(io.LimitReader(part, *room+1))
	if err != nil {
		return err
	}
	if *room -= int64(len(data)); *room < 0 {
		return errFieldsTooLarge
	}
	if name := part.FormName(); name != "" {
		f[name] = string(data)
	}
	return nil
}

// fileName returns the file name a part carries in its Content-Disposition,
// as the client sent it (multipart.Part.FileName would drop a path), and
// whether the part is a file at all.
func fileName(part *multipart.Part) (string, bool) {
	_, params, err := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
	if err != nil {
		return "", false
	}
	name, ok := params["filename"]
	return name, ok
}

// readFile spools one file part, after checking that the request may
// carry it. An empty part without a name (a form's unused file input) is
// skipped and returns no upload.
func readFile(part *multipart.Part, name string, fs *files, have int) (*chat.Upload, error) {
	switch field := part.FormName(); {
	case fs == nil:
		return nil, ajans.Errorf(ajans.EINVALID,
			"This endpoint takes no files; send %q with newChat or sendMessage.", name)
	case !fileFields[field]:
		return nil, ajans.Errorf(ajans.EINVALID, "Files go in the field attachements "+
			"(or attachments), not %q.", field)
	case fs.refuse != nil:
		return nil, fs.refuse
	case have >= fs.max:
		return nil, ajans.Errorf(ajans.EINVALID, "A message may carry %d files at most. "+
			"Send the others in another message.", fs.max)
	}
	if name == "" {
		var one [1]byte
		if n, _ := io.ReadFull(part, one[:]); n == 0 {
			return nil, nil
		}
	}
	return fs.spool(name, part)
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
