package edge

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestInvokeTarget(t *testing.T) {
	bases := []string{"localhost", "federa.test"}
	for _, tc := range []struct {
		host, path string
		want       InvokeTarget
		ok         bool
	}{
		{"localhost:4566", "/_aws/execute-api/abc123/prod/notes/1", InvokeTarget{"abc123", "prod", "/notes/1"}, true},
		{"anything", "/_aws/execute-api/abc123/prod", InvokeTarget{"abc123", "prod", "/"}, true},
		{"anything", "/_aws/execute-api/abc123/prod/", InvokeTarget{"abc123", "prod", "/"}, true},
		{"anything", "/_aws/execute-api/abc123", InvokeTarget{"abc123", "", "/"}, true},
		{"anything", "/_aws/execute-api/", InvokeTarget{}, false},
		{"abc123.execute-api.localhost:4566", "/prod/notes", InvokeTarget{"abc123", "prod", "/notes"}, true},
		{"ABC123.Execute-API.federa.test", "/prod/", InvokeTarget{"abc123", "prod", "/"}, true},
		{"a.b.execute-api.localhost", "/prod/", InvokeTarget{}, false},
		{"execute-api.localhost", "/prod/", InvokeTarget{}, false},
		{"abc123.execute-api.example.com", "/prod/", InvokeTarget{}, false},
		{"localhost:4566", "/bucket/_aws/execute-api/x/y", InvokeTarget{}, false},
		{"mybucket.localhost", "/prod/notes", InvokeTarget{}, false},
	} {
		r := httptest.NewRequest(http.MethodGet, "http://"+tc.host+tc.path, nil)
		got, ok := invokeTarget(r, bases)
		if ok != tc.ok || got != tc.want {
			t.Errorf("%s%s: got %+v %v, want %+v %v", tc.host, tc.path, got, ok, tc.want, tc.ok)
		}
	}
}

func TestDetectGatewayScope(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/restapis", nil)
	if got := Detect(r, "apigateway"); got != Gateway {
		t.Errorf("Detect(scope apigateway) = %s, want apigateway", got)
	}
	if ExecuteAPI.String() != "execute-api" || Gateway.String() != "apigateway" {
		t.Errorf("service names %q %q", ExecuteAPI, Gateway)
	}
}
