package s3api

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/federa/federa/internal/awserr"
)

// rawForm builds a multipart body with boundary "xyz" from parts given as
// "name", "value"; a name of "file" takes its filename from disp.
func rawForm(disp string, parts ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(parts); i += 2 {
		b.WriteString("--xyz\r\nContent-Disposition: form-data; name=\"" + parts[i] + "\"")
		if parts[i] == "file" {
			b.WriteString(disp)
		}
		b.WriteString("\r\n\r\n" + parts[i+1] + "\r\n")
	}
	b.WriteString("--xyz--\r\n")
	return b.String()
}

// TestReadPostForm covers the form reader: the file is found by its name
// alone, ${filename} is expanded from the filename parameter without its
// path, and the fields before the file are bounded.
func TestReadPostForm(t *testing.T) {
	tests := []struct {
		name, body string
		// key is the expanded key field; code the error, if any.
		key, code string
		file      string
	}{
		{name: "filename with a Windows path", body: rawForm(`; filename="C:\\dir\\a b.txt"`, "key", "u/${filename}", "file", "data"), key: "u/a b.txt", file: "data"},
		{name: "filename with a Unix path", body: rawForm(`; filename="/tmp/x/y.png"`, "key", "${filename}", "file", "d"), key: "y.png", file: "d"},
		{name: "no filename keeps the variable", body: rawForm(``, "key", "u/${filename}", "file", "d"), key: "u/${filename}", file: "d"},
		{name: "an empty filename empties it", body: rawForm(`; filename=""`, "key", "u/${filename}", "file", "d"), key: "u/", file: "d"},
		{name: "File in any case is the file", body: strings.Replace(rawForm(`; filename="f"`, "key", "k", "file", "d"), `name="file"`, `name="File"`, 1), key: "k", file: "d"},
		{name: "a file-like part with another disposition is a field", body: strings.Replace(rawForm(`; filename="f"`, "key", "k", "file", "d"), "form-data; name=\"file\"", "attachment; name=\"file\"", 1), key: "k"},
		{name: "no file", body: rawForm(``, "key", "k"), key: "k"},
		{name: "fields of 20 KB pass", body: rawForm(`; filename="f"`, "key", "k", "x-ignore-a", strings.Repeat("a", 20000), "file", "d"), key: "k", file: "d"},
		{name: "fields over 20 KB", body: rawForm(`; filename="f"`, "key", "k", "x-ignore-a", strings.Repeat("a", 20480), "file", "d"), code: "MaxPostPreDataLengthExceeded"},
		{name: "many small fields over 20 KB", body: rawForm(`; filename="f"`, strings.Split(strings.Repeat("x-ignore-a,"+strings.Repeat("v", 100)+",", 200), ",")...), code: "MaxPostPreDataLengthExceeded"},
		{name: "a huge part header", body: "--xyz\r\nContent-Disposition: form-data; name=\"key\"\r\nX-Pad: " + strings.Repeat("p", 1<<20) + "\r\n\r\nk\r\n--xyz--\r\n", code: "MaxPostPreDataLengthExceeded"},
		{name: "cut off before the file", body: "--xyz\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk", code: "MalformedPOSTRequest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/b", strings.NewReader(tt.body))
			r.Header.Set("Content-Type", "multipart/form-data; boundary=xyz")
			form, err := readPostForm(r)
			if tt.code != "" {
				if e, ok := awserr.As(err); !ok || e.Code != tt.code {
					t.Fatalf("error %v, want %s", err, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			form.expandFilename()
			if key, _ := form.get("key"); key != tt.key {
				t.Errorf("key %q, want %q", key, tt.key)
			}
			if (form.file != nil) != (tt.file != "") {
				t.Fatalf("file part %v, want %q", form.file, tt.file)
			}
			if form.file != nil {
				b, _ := io.ReadAll(form.file)
				if string(b) != tt.file {
					t.Errorf("file %q", b)
				}
			}
		})
	}
}

// TestPostFile covers the file stream: size bounds, a second file, and the
// trailer after the file.
func TestPostFile(t *testing.T) {
	big := strings.Repeat("t", 2*maxPostTrailer)
	tests := []struct {
		name   string
		parts  []string
		lo, hi int64
		code   string
	}{
		{name: "within bounds", parts: []string{"file", "12345"}, lo: 5, hi: 5},
		{name: "over", parts: []string{"file", "123456"}, lo: 0, hi: 5, code: "EntityTooLarge"},
		{name: "under", parts: []string{"file", "1234"}, lo: 5, hi: -1, code: "EntityTooSmall"},
		{name: "fields after the file", parts: []string{"file", "1", "submit", "Upload"}, hi: -1},
		{name: "a second file", parts: []string{"file", "1", "submit", "x", "file", "2"}, hi: -1, code: "InvalidArgument"},
		{name: "a second file past a long trailer is not looked for", parts: []string{"file", "1", "notes", big, "file", "2"}, hi: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/b", bytes.NewReader([]byte(rawForm(`; filename="f"`, tt.parts...))))
			r.Header.Set("Content-Type", "multipart/form-data; boundary=xyz")
			form, err := readPostForm(r)
			if err != nil {
				t.Fatal(err)
			}
			f := &postFile{part: form.file, mr: form.mr, gate: form.gate, lo: tt.lo, hi: tt.hi}
			_, err = io.Copy(io.Discard, f)
			if tt.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if e, ok := awserr.As(err); !ok || e.Code != tt.code {
				t.Fatalf("error %v, want %s", err, tt.code)
			}
		})
	}
}
