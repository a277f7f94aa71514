package extract

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// archive is an Office file's zip archive, read within a budget of
// unpacked bytes shared by all its entries.
type archive struct {
	zr     *zip.Reader
	files  map[string]*zip.File
	budget *budget
}

func openArchive(r io.ReaderAt, size int64, lim Limits) (*archive, error) {
	zr, err := openZip(r, size, lim.MaxEntries)
	if err != nil {
		return nil, err
	}
	a := &archive{zr: zr, files: make(map[string]*zip.File, len(zr.File)),
		budget: newBudget(lim.MaxUnpacked)}
	for _, f := range zr.File {
		a.files[f.Name] = f
	}
	return a, nil
}

// open opens the entry called name within the budget; a missing entry is
// ErrCorrupt.
func (a *archive) open(name string) (io.ReadCloser, error) {
	f, ok := a.files[name]
	if !ok {
		return nil, fmt.Errorf("%w: the archive has no %s", ErrCorrupt, name)
	}
	if f.UncompressedSize64 > uint64(max(a.budget.left, 0)) {
		return nil, a.budget.exceeded()
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, name, err)
	}
	return readCloser{a.budget.reader(rc), rc}, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// walk decodes the XML entry name and calls fn for each token. It stops
// at fn's first error, which it returns.
func (a *archive) walk(name string, fn func(xml.Token) error) error {
	rc, err := a.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	return walkXML(rc, fn)
}

// walkXML calls fn for each token of the XML document r.
func walkXML(r io.Reader, fn func(xml.Token) error) error {
	d := xml.NewDecoder(r)
	d.Strict = false
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if errors.Is(err, ErrBomb) {
				return err
			}
			return fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		if err := fn(tok); err != nil {
			return err
		}
	}
}

// relTargets reads a relationships part (…/_rels/….rels) and returns its
// targets by id, as archive paths resolved against dir.
func (a *archive) relTargets(rels, dir string) (map[string]string, error) {
	out := map[string]string{}
	err := a.walk(rels, func(tok xml.Token) error {
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "Relationship" {
			return nil
		}
		id, target := attr(se, "Id"), attr(se, "Target")
		if strings.HasPrefix(target, "/") {
			out[id] = strings.TrimPrefix(path.Clean(target), "/")
		} else {
			out[id] = path.Join(dir, target)
		}
		return nil
	})
	return out, err
}

// attr returns the value of the attribute with local name local.
func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// budget is how many unpacked bytes may still be read, shared by the
// readers of one file.
type budget struct {
	left, max int64
}

func newBudget(n int64) *budget { return &budget{left: n, max: n} }

func (b *budget) exceeded() error {
	return fmt.Errorf("%w: it unpacks to more than %d MB, which looks like a zip bomb",
		ErrBomb, b.max>>20)
}

// reader returns r counted against the budget.
func (b *budget) reader(r io.Reader) io.Reader { return &budgetReader{b: b, r: r} }

type budgetReader struct {
	b *budget
	r io.Reader
}

// Read reads at most one byte more than the budget has left, so that a
// part ending exactly at the budget is told from one going past it.
func (br *budgetReader) Read(p []byte) (int, error) {
	if br.b.left < 0 {
		return 0, br.b.exceeded()
	}
	if int64(len(p)) > br.b.left+1 {
		p = p[:br.b.left+1]
	}
	n, err := br.r.Read(p)
	br.b.left -= int64(n)
	if br.b.left < 0 {
		return n, br.b.exceeded()
	}
	return n, err
}
