package s3api

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/federa/federa/internal/s3"
)

// maxPostPreData is S3's limit on the form fields and boundaries before the
// file: "The form data and boundaries (excluding the contents of the file)
// cannot exceed 20KB."
const maxPostPreData = 20 << 10

// preDataSlack is how far past maxPostPreData the raw body may be read before
// the file starts: the multipart reader buffers ahead (4 KiB) and part
// headers are counted approximately. It bounds what a hostile form can make
// the server hold in memory, header lines included.
const preDataSlack = 16 << 10

// formField is one form field before the file, its name as sent.
type formField struct {
	Name, Value string
}

// postForm is a browser upload's form up to and including the file part
// header. Fields after the file are never read as fields, as on S3.
type postForm struct {
	fields []formField
	// file is the file part, nil when the form has none; mr reads the parts
	// after it.
	file *multipart.Part
	mr   *multipart.Reader
	gate *formGate
	// filename is the file part's filename parameter without any directory;
	// hasFilename is false when the part has no filename parameter at all.
	filename    string
	hasFilename bool
}

// get returns a field by case-insensitive name; repeated fields are joined
// with commas, as S3 documents for policies that cover them.
func (f *postForm) get(name string) (string, bool) {
	var vals []string
	for _, fl := range f.fields {
		if strings.EqualFold(fl.Name, name) {
			vals = append(vals, fl.Value)
		}
	}
	return strings.Join(vals, ","), vals != nil
}

// expandFilename replaces ${filename} in every field with the uploaded file's
// name, which is what policy conditions are matched against. Without a
// filename parameter the variable stays as written, as S3 does. The signed
// fields are left alone: they are compared byte for byte.
func (f *postForm) expandFilename() {
	if !f.hasFilename {
		return
	}
	for i, fl := range f.fields {
		switch strings.ToLower(fl.Name) {
		case "policy", "x-amz-signature":
			continue
		}
		f.fields[i].Value = strings.ReplaceAll(fl.Value, "${filename}", f.filename)
	}
}

// maxPostTrailer bounds what is read of the form after the file, only to
// find a second file there; the rest is left unread, as S3 ignores it.
const maxPostTrailer = 64 << 10

var errGate = errors.New("s3api: POST form data outside the file exceeds the limit")

// formGate caps the bytes read from the body around the file: before it
// (the fields, whose limit is S3's) and after it (the trailer). While the
// file streams it is open.
type formGate struct {
	r       io.Reader
	n       int64
	limit   int64 // < 0: open
	tripped bool
}

func (g *formGate) Read(p []byte) (int, error) {
	if g.limit >= 0 {
		left := g.limit - g.n
		if left <= 0 {
			g.tripped = true
			return 0, errGate
		}
		if int64(len(p)) > left {
			p = p[:left]
		}
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	return n, err
}

// malformedPOST is S3's answer to a body that is not multipart/form-data.
// The reader's error is not kept as the cause: a body cut off inside the
// file (io.ErrUnexpectedEOF) must stay this error, not turn into the
// service's IncompleteBody.
func malformedPOST(error) error {
	return s3.ErrMalformedPOSTRequest.New("The body of your POST request is not well-formed multipart/form-data.")
}

func preDataTooLarge() error {
	// "preceeding" and "was" are S3's.
	return s3.ErrMaxPostPreDataLengthExceeded.New("Your POST request fields preceeding the upload file was too large.")
}

// postBoundary checks that r is a multipart/form-data POST and returns its
// boundary. Anything else is S3's 412: "Bucket POST must be of the
// enclosure-type multipart/form-data".
func postBoundary(r *http.Request) (string, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return "", s3.ErrPreconditionFailed.New("At least one of the pre-conditions you specified did not hold")
	}
	b := params["boundary"]
	if b == "" || len(b) > 70 {
		return "", malformedPOST(nil)
	}
	return b, nil
}

// readPostForm reads the fields up to the file part. The file's bytes are
// left unread in form.file for the caller to stream.
func readPostForm(r *http.Request) (*postForm, error) {
	boundary, err := postBoundary(r)
	if err != nil {
		return nil, err
	}
	if r.Body == nil {
		return nil, malformedPOST(nil)
	}
	gate := &formGate{r: r.Body, limit: maxPostPreData + preDataSlack}
	form := &postForm{mr: multipart.NewReader(gate, boundary), gate: gate}
	// Each part costs its delimiter line, headers, blank line and value.
	left := maxPostPreData
	for {
		p, err := form.mr.NextRawPart()
		if err == io.EOF {
			return form, nil
		}
		if err != nil {
			if gate.tripped {
				return nil, preDataTooLarge()
			}
			return nil, malformedPOST(err)
		}
		left -= len(boundary) + 6 + headerSize(p)
		if left < 0 {
			return nil, preDataTooLarge()
		}
		name := p.FormName()
		if strings.EqualFold(name, "file") {
			gate.limit = -1
			form.file = p
			form.filename, form.hasFilename = partFilename(p)
			return form, nil
		}
		value, err := io.ReadAll(io.LimitReader(p, int64(left)+1))
		if err != nil {
			if gate.tripped {
				return nil, preDataTooLarge()
			}
			return nil, malformedPOST(err)
		}
		if left -= len(value); left < 0 {
			return nil, preDataTooLarge()
		}
		if name != "" {
			form.fields = append(form.fields, formField{Name: name, Value: string(value)})
		}
	}
}

// headerSize approximates the bytes of a part's header lines.
func headerSize(p *multipart.Part) int {
	n := 2
	for k, vs := range p.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}

// partFilename returns the filename parameter with any client path removed:
// "only the text following the last slash (/) or backslash (\) is used".
func partFilename(p *multipart.Part) (string, bool) {
	_, params, err := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
	if err != nil {
		return "", false
	}
	fn, ok := params["filename"]
	if !ok {
		return "", false
	}
	if i := strings.LastIndexAny(fn, `/\`); i >= 0 {
		fn = fn[i+1:]
	}
	return fn, true
}
