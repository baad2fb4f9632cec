package s3api

import (
	"strings"
	"testing"
)

func FuzzRoute(f *testing.F) {
	for _, s := range [][2]string{
		{"localhost", "/b/k"}, {"b.localhost:9000", "/k/x"}, {"[::1]:80", "/"}, {"", ""},
		{".localhost", "//"}, {"B.LOCALHOST.", "/a//b"}, {"x.s3.example.com", "/b"},
	} {
		f.Add(s[0], s[1])
	}
	bases := []string{"localhost", "s3.example.com"}
	f.Fuzz(func(t *testing.T, host, path string) {
		bucket, key := route(host, path, bases)
		// Path style must lose nothing of the path but the separators.
		if hostBucket(host, bases) == "" {
			p := strings.TrimPrefix(path, "/")
			if p != bucket && p != bucket+"/"+key {
				t.Errorf("route(%q, %q) = %q, %q", host, path, bucket, key)
			}
		}
		if strings.Contains(bucket, "/") {
			t.Errorf("route(%q, %q) bucket %q contains '/'", host, path, bucket)
		}
	})
}

func FuzzParseCORS(f *testing.F) {
	f.Add([]byte(`<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>5</MaxAgeSeconds></CORSRule></CORSConfiguration>`))
	f.Add([]byte(`<CORSConfiguration><CORSRule>`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := parseCORS(data)
		if err != nil {
			return
		}
		if c.Validate() == nil {
			// A valid configuration must be evaluable.
			c.Match("http://a.example", "GET", []string{"x-amz-date"})
			for _, r := range c.Rules {
				r.AllowOrigin("http://a.example")
			}
		}
	})
}
