package s3api

import (
	"encoding/xml"
	"maps"
	"net/url"
	"strings"
	"testing"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/s3"
)

// FuzzParseTagging feeds PutObjectTagging documents to the parser: it must
// never panic, and a set it accepts obeys S3's limits and survives being
// written as GetObjectTagging's answer and read back.
func FuzzParseTagging(f *testing.F) {
	for _, s := range []string{
		`<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>a</Key><Value>1</Value></Tag></TagSet></Tagging>`,
		`<Tagging><TagSet></TagSet></Tagging>`,
		`<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>`,
		`<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>a</Key><Value>2</Value></Tag></TagSet></Tagging>`,
		`<Tagging><TagSet><Tag><Key>aws:x</Key><Value/></Tag></TagSet></Tagging>`,
		`<Tagging><TagSet><Tag><Key>&#x1D538;</Key><Value>é é</Value></Tag></TagSet></Tagging>`,
		`<Tagging>`, ``, `<!DOCTYPE x [<!ENTITY a "b">]><Tagging><TagSet/></Tagging>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tags, err := parseTagging(data)
		if err != nil {
			// Bad input is the client's fault: a 4xx with S3's code, never a 500.
			if e, ok := awserr.As(err); !ok || e.Status >= 500 {
				t.Fatalf("%q: %v", data, err)
			}
			return
		}
		m, err := s3.CheckTags(tags)
		if err != nil || len(tags) > s3.MaxTags || len(m) != len(tags) {
			t.Fatalf("accepted %q: %v", tags, err)
		}
		out := taggingResult{Xmlns: "http://s3.amazonaws.com/doc/2006-03-01/", TagSet: []tagXML{}}
		for _, tg := range tags {
			out.TagSet = append(out.TagSet, tagXML{Key: tg.Key, Value: tg.Value})
		}
		doc, err := xml.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		again, err := parseTagging(doc)
		if err != nil {
			t.Fatalf("answer %s does not parse: %v", doc, err)
		}
		m2, _ := s3.CheckTags(again)
		if !maps.Equal(m, m2) {
			t.Fatalf("round trip %v -> %v", m, m2)
		}
	})
}

// FuzzParseTaggingHeader feeds x-amz-tagging values to the parser: it must
// never panic, and a set it accepts obeys S3's limits and reads back the
// same when encoded as a client would.
func FuzzParseTaggingHeader(f *testing.F) {
	for _, s := range []string{
		"a=1&b=2", "a", "a=&b", "a=x%2Fy+z", "a=1&a=2", "a=%zz", "TagSet=[{Key=a,Value=b}]",
		"&&", "=1", "aws%3Ax=1", "a=1&b=1&c=1&d=1&e=1&f=1&g=1&h=1&i=1&j=1&k=1", "%F0%9D%94%B8=%C3%A9",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		m, err := s3.ParseTaggingHeader(v)
		if err != nil {
			if e, ok := awserr.As(err); !ok || e.Status >= 500 {
				t.Fatalf("%q: %v", v, err)
			}
			return
		}
		if len(m) > s3.MaxTags {
			t.Fatalf("%q accepted %d tags", v, len(m))
		}
		list := make([]s3.Tag, 0, len(m))
		pairs := make([]string, 0, len(m))
		for k, val := range m {
			list = append(list, s3.Tag{Key: k, Value: val})
			pairs = append(pairs, url.QueryEscape(k)+"="+url.QueryEscape(val))
		}
		if _, err := s3.CheckTags(list); err != nil {
			t.Fatalf("%q accepted invalid tags %v: %v", v, m, err)
		}
		again, err := s3.ParseTaggingHeader(strings.Join(pairs, "&"))
		if err != nil || !maps.Equal(m, again) {
			t.Fatalf("round trip of %q: %v -> %v (%v)", v, m, again, err)
		}
	})
}
