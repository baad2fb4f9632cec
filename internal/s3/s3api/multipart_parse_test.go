package s3api

import (
	"encoding/xml"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/federa/federa/internal/checksum"
	"github.com/federa/federa/internal/s3"
)

// completeCases are CompleteMultipartUpload documents and what they parse
// to ("" for MalformedXML); the fuzz target starts from them too.
var completeCases = []struct {
	name, doc, want string
}{
	{"sdk shape", `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Part><ETag>"a"</ETag><PartNumber>1</PartNumber></Part><Part><ETag>b</ETag><PartNumber>2</PartNumber></Part></CompleteMultipartUpload>`,
		`[{1 "a" map[]} {2 b map[]}]`},
	{"checksums", `<CompleteMultipartUpload><Part><PartNumber>3</PartNumber><ETag>x</ETag><ChecksumCRC32>AAAAAA==</ChecksumCRC32><ChecksumSHA256> s </ChecksumSHA256></Part></CompleteMultipartUpload>`,
		`[{3 x map[CRC32:AAAAAA== SHA256:s]}]`},
	{"order is kept for the service to judge", `<CompleteMultipartUpload><Part><PartNumber>2</PartNumber></Part><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>`,
		`[{2  map[]} {1  map[]}]`},
	{"whitespace around values", "<CompleteMultipartUpload>\n <Part>\n  <PartNumber>7</PartNumber>\n  <ETag> \"e\" </ETag>\n </Part>\n</CompleteMultipartUpload>",
		`[{7 "e" map[]}]`},
	{"empty body", ``, ""},
	{"no parts", `<CompleteMultipartUpload></CompleteMultipartUpload>`, ""},
	{"other root", `<Delete><Part><PartNumber>1</PartNumber></Part></Delete>`, ""},
	{"missing part number", `<CompleteMultipartUpload><Part><ETag>a</ETag></Part></CompleteMultipartUpload>`, ""},
	{"part number not a number", `<CompleteMultipartUpload><Part><PartNumber>one</PartNumber></Part></CompleteMultipartUpload>`, ""},
	{"truncated", `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>`, ""},
	{"not xml", `{"Parts":[1]}`, ""},
}

func describe(parts []s3.CompletedPart) string {
	var b strings.Builder
	b.WriteString("[")
	for i, p := range parts {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "{%d %s %v}", p.PartNumber, p.ETag, p.Checksums)
	}
	return b.String() + "]"
}

func TestParseCompleteMultipartUpload(t *testing.T) {
	for _, tt := range completeCases {
		parts, err := parseCompleteMultipartUpload([]byte(tt.doc))
		if tt.want == "" {
			if !s3.ErrMalformedXML.Is(err) {
				t.Errorf("%s: %s, %v; want MalformedXML", tt.name, describe(parts), err)
			}
			continue
		}
		if err != nil || describe(parts) != tt.want {
			t.Errorf("%s: %s, %v; want %s", tt.name, describe(parts), err, tt.want)
		}
	}
	// More parts than a multipart upload can have is refused unread.
	many := strings.Repeat("<Part><PartNumber>1</PartNumber></Part>", s3.MaxPartNumber+1)
	if _, err := parseCompleteMultipartUpload([]byte("<CompleteMultipartUpload>" + many + "</CompleteMultipartUpload>")); !s3.ErrMalformedXML.Is(err) {
		t.Errorf("%d parts: %v", s3.MaxPartNumber+1, err)
	}
}

// encodeComplete writes parts as a client would.
func encodeComplete(parts []s3.CompletedPart) []byte {
	doc := completeMultipartUploadXML{}
	for _, p := range parts {
		n := p.PartNumber
		x := completedPartXML{PartNumber: &n, ETag: p.ETag}
		for a, v := range p.Checksums {
			*x.field(a) = v
		}
		doc.Parts = append(doc.Parts, x)
	}
	b, err := xml.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return b
}

// FuzzParseCompleteMultipartUpload feeds the parser arbitrary bytes: it
// must never panic, fail only with MalformedXML, and whatever it accepts
// must survive being written back and parsed again unchanged.
func FuzzParseCompleteMultipartUpload(f *testing.F) {
	for _, tt := range completeCases {
		f.Add([]byte(tt.doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		parts, err := parseCompleteMultipartUpload(data)
		if err != nil {
			if !s3.ErrMalformedXML.Is(err) {
				t.Fatalf("error %v is not MalformedXML", err)
			}
			return
		}
		if len(parts) == 0 || len(parts) > s3.MaxPartNumber {
			t.Fatalf("accepted %d parts", len(parts))
		}
		for _, p := range parts {
			for a := range p.Checksums {
				if _, ok := checksum.Parse(string(a)); !ok {
					t.Fatalf("unknown algorithm %q", a)
				}
			}
		}
		again, err := parseCompleteMultipartUpload(encodeComplete(parts))
		if err != nil {
			t.Fatalf("re-encoded parts do not parse: %v", err)
		}
		if !reflect.DeepEqual(normalize(again), normalize(parts)) {
			t.Fatalf("round trip changed %s into %s", describe(parts), describe(again))
		}
	})
}

// normalize makes empty checksum maps nil, which is what the parser returns
// for none.
func normalize(parts []s3.CompletedPart) []s3.CompletedPart {
	out := make([]s3.CompletedPart, len(parts))
	for i, p := range parts {
		if len(p.Checksums) == 0 {
			p.Checksums = nil
		}
		out[i] = p
	}
	return out
}
