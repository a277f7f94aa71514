package api

import (
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/ajans/ajans"
)

// image answers GET /api/image?fileName=NAME: a generated image.
func (s *Server) image(w http.ResponseWriter, r *http.Request) {
	s.serveFile(w, r, ajans.FileImage)
}

// file answers GET /api/file?fileName=NAME: a generated document.
func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	s.serveFile(w, r, ajans.FileDocument)
}

// serveFile serves a file the platform made, by its unguessable name alone
// (no token): the name is the key. A name that is not exactly of the form
// ajans gives is 400 and is never looked up; an unknown one is 404. The
// bytes never change under a name, so they may be cached for long, by the
// client only; Range and If-None-Match are answered.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, kind string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		s.writeError(w, r, ajans.Errorf(ajans.EMETHOD, "%s takes GET only.", r.URL.Path))
		return
	}
	name := r.URL.Query().Get("fileName")
	if name == "" {
		s.writeError(w, r, ajans.Errorf(ajans.EINVALID,
			"fileName is missing. Pass the name a reply gave, e.g. ?fileName=3f9c….png."))
		return
	}
	f, rc, info, err := s.Engine.OpenFile(r.Context(), name, kind)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", f.MIME)
	h.Set("Cache-Control", "private, max-age=31536000, immutable")
	h.Set("ETag", `"`+f.SHA256+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Content-Disposition", disposition(f, kind))
	http.ServeContent(w, r, "", info.ModTime, rc)
}

// disposition shows images in place and downloads documents under their
// title, e.g. "Teklif.pdf".
func disposition(f *ajans.File, kind string) string {
	if kind == ajans.FileImage {
		return "inline"
	}
	title := strings.Map(func(r rune) rune {
		if r < ' ' || strings.ContainsRune(`/\"*:<>?|`, r) {
			return '_'
		}
		return r
	}, f.Title)
	if title == "" {
		title = "document"
	}
	name := title + path.Ext(f.Name)
	return mime.FormatMediaType("attachment", map[string]string{"filename": name})
}
