package s3api_test

import (
	"strings"
	"testing"
)

const corsDoc = `<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <CORSRule>
    <ID>web</ID>
    <AllowedOrigin>http://*.example.com</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedHeader>Content-*</AllowedHeader>
    <AllowedHeader>x-amz-date</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>300</MaxAgeSeconds>
  </CORSRule>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>HEAD</AllowedMethod>
  </CORSRule>
</CORSConfiguration>`

func TestCORSConfiguration(t *testing.T) {
	e := newEnv(t)
	e.must(200, "PUT", "/corsb", "")
	e.wantError(404, "NoSuchCORSConfiguration", "GET", "/corsb?cors", "")

	bad := []struct{ name, doc, code string }{
		{"method", strings.Replace(corsDoc, "<AllowedMethod>PUT</AllowedMethod>", "<AllowedMethod>PATCH</AllowedMethod>", 1), "InvalidRequest"},
		{"no rules", `<CORSConfiguration></CORSConfiguration>`, "MalformedXML"},
		{"no origin", `<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`, "MalformedXML"},
		{"two wildcards", strings.Replace(corsDoc, "http://*.example.com", "http://*.*.com", 1), "InvalidRequest"},
		{"not xml", `<CORSConfiguration><CORSRule>`, "MalformedXML"},
		{"empty", ``, "MalformedXML"},
		{"bad max age", strings.Replace(corsDoc, "300", "soon", 1), "MalformedXML"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			w := e.wantError(400, tt.code, "PUT", "/corsb?cors", tt.doc)
			if tt.name == "method" && !strings.Contains(w.Body.String(), "Unsupported method is PATCH") {
				t.Errorf("message: %s", w.Body.String())
			}
		})
	}

	e.must(200, "PUT", "/corsb?cors", corsDoc)
	var got struct {
		CORSRule []struct {
			ID            string
			AllowedOrigin []string
			AllowedMethod []string
			AllowedHeader []string
			ExposeHeader  []string
			MaxAgeSeconds *int
		}
	}
	decode(t, e.must(200, "GET", "/corsb?cors", ""), &got)
	if len(got.CORSRule) != 2 || got.CORSRule[0].ID != "web" || len(got.CORSRule[0].AllowedMethod) != 2 ||
		got.CORSRule[0].MaxAgeSeconds == nil || *got.CORSRule[0].MaxAgeSeconds != 300 || got.CORSRule[1].MaxAgeSeconds != nil {
		t.Fatalf("rules = %+v", got)
	}

	e.must(200, "PUT", "/corsb/obj", "x")
	preflights := []struct {
		name, origin, method, headers string
		status                        int
		allowOrigin                   string
	}{
		{"wildcard origin", "http://app.example.com", "PUT", "content-type, X-Amz-Date", 200, "http://app.example.com"},
		{"no headers", "http://app.example.com", "GET", "", 200, "http://app.example.com"},
		{"star rule", "https://other.org", "HEAD", "", 200, "*"},
		{"origin refused", "https://other.org", "GET", "", 403, ""},
		{"method refused", "http://app.example.com", "DELETE", "", 403, ""},
		{"header refused", "http://app.example.com", "PUT", "authorization", 403, ""},
		{"suffix only", "http://example.com", "GET", "", 403, ""},
	}
	for _, tt := range preflights {
		t.Run("preflight/"+tt.name, func(t *testing.T) {
			e.principal = nil // preflights are unsigned
			defer func() { e.principal = rootPrincipal }()
			hdr := []string{"Origin", tt.origin, "Access-Control-Request-Method", tt.method}
			if tt.headers != "" {
				hdr = append(hdr, "Access-Control-Request-Headers", tt.headers)
			}
			w := e.must(tt.status, "OPTIONS", "/corsb/obj", "", hdr...)
			if tt.status == 403 {
				if errorCode(t, w) != "CORSResponse" {
					t.Errorf("code = %s", errorCode(t, w))
				}
				return
			}
			h := w.Header()
			if h.Get("Access-Control-Allow-Origin") != tt.allowOrigin || !strings.Contains(h.Get("Access-Control-Allow-Methods"), tt.method) ||
				!strings.Contains(h.Get("Vary"), "Origin") {
				t.Errorf("headers = %v", h)
			}
			if tt.headers != "" && h.Get("Access-Control-Allow-Headers") != "content-type, x-amz-date" {
				t.Errorf("Allow-Headers = %q", h.Get("Access-Control-Allow-Headers"))
			}
			if tt.name == "wildcard origin" && (h.Get("Access-Control-Max-Age") != "300" || h.Get("Access-Control-Expose-Headers") != "ETag") {
				t.Errorf("headers = %v", h)
			}
		})
	}

	t.Run("actual request", func(t *testing.T) {
		w := e.must(200, "GET", "/corsb/obj", "", "Origin", "http://app.example.com")
		if w.Header().Get("Access-Control-Allow-Origin") != "http://app.example.com" || w.Header().Get("Access-Control-Expose-Headers") != "ETag" {
			t.Errorf("headers = %v", w.Header())
		}
		// Errors carry the headers too, so scripts can read them.
		w = e.must(404, "GET", "/corsb/missing", "", "Origin", "http://app.example.com")
		if w.Header().Get("Access-Control-Allow-Origin") == "" {
			t.Errorf("error lacks CORS headers: %v", w.Header())
		}
		w = e.must(200, "GET", "/corsb/obj", "", "Origin", "https://evil.org")
		if w.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("unmatched origin got CORS headers: %v", w.Header())
		}
	})

	e.wantError(400, "BadRequest", "OPTIONS", "/corsb/obj", "", "Access-Control-Request-Method", "GET")
	e.must(204, "DELETE", "/corsb?cors", "")
	e.wantError(404, "NoSuchCORSConfiguration", "GET", "/corsb?cors", "")
	e.wantError(403, "CORSResponse", "OPTIONS", "/corsb/obj", "", "Origin", "http://app.example.com", "Access-Control-Request-Method", "GET")
}
