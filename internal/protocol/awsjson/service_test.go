package awsjson

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/reqid"
	"github.com/federa/federa/internal/sigv4"
)

type echoIn struct {
	Name  string `json:"Name"`
	Count int    `json:"Count"`
}
type echoOut struct {
	Greeting string `json:"Greeting"`
}

var errNotFound = awserr.Code("ResourceNotFoundException", http.StatusBadRequest)

func testService() *Service {
	return &Service{TargetPrefix: "TestService", Ops: Table(
		Op("Echo", None, func(_ context.Context, in *echoIn) (*echoOut, error) {
			if in.Name == "missing" {
				return nil, errNotFound.New("No thing named %s.", in.Name)
			}
			if in.Name == "boom" {
				return nil, context.DeadlineExceeded // an unexpected, non-AWS error
			}
			return &echoOut{Greeting: "hi " + in.Name}, nil
		}),
		Op("Signed", SigV4, func(context.Context, *echoIn) (*echoOut, error) { return nil, nil }),
	), Before: func(_ context.Context, op Operation) error {
		if op.Auth == SigV4 {
			return sigv4.Fail(sigv4.ErrUnknownAccessKey, "The security token included in the request is invalid.")
		}
		return nil
	}, MaxBody: 1024}
}

func call(t *testing.T, target, body string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r = r.WithContext(reqid.With(r.Context(), "req-1"))
	r.Header.Set("X-Amz-Target", target)
	w := httptest.NewRecorder()
	testService().ServeHTTP(w, r)
	var m map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
		t.Fatalf("response is not JSON: %q", w.Body.String())
	}
	return w, m
}

func TestService(t *testing.T) {
	cases := []struct {
		name, target, body string
		status             int
		code               string
	}{
		{"ok", "TestService.Echo", `{"Name":"x"}`, 200, ""},
		{"empty body", "TestService.Echo", ``, 200, ""},
		{"aws error", "TestService.Echo", `{"Name":"missing"}`, 400, "ResourceNotFoundException"},
		{"internal error hides cause", "TestService.Echo", `{"Name":"boom"}`, 500, "InternalFailure"},
		{"bad json", "TestService.Echo", `{"Name":`, 400, "SerializationException"},
		{"wrong type", "TestService.Echo", `{"Count":"three"}`, 400, "SerializationException"},
		{"unknown op", "TestService.Nope", `{}`, 400, "UnknownOperationException"},
		{"wrong prefix", "Other.Echo", `{}`, 400, "UnknownOperationException"},
		{"too large", "TestService.Echo", `{"Name":"` + strings.Repeat("a", 2000) + `"}`, 413, "RequestEntityTooLargeException"},
		{"sigv4 error mapped", "TestService.Signed", `{}`, 400, "UnrecognizedClientException"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w, m := call(t, tc.target, tc.body)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d (%s)", w.Code, tc.status, w.Body)
			}
			if got := w.Header().Get("x-amzn-RequestId"); got != "req-1" {
				t.Errorf("x-amzn-RequestId = %q", got)
			}
			if tc.code == "" {
				if m["Greeting"] != "hi x" && tc.body != "" {
					t.Errorf("body = %v", m)
				}
				return
			}
			if m["__type"] != tc.code || w.Header().Get("X-Amzn-ErrorType") != tc.code {
				t.Errorf("error = %v / %s, want %s", m, w.Header().Get("X-Amzn-ErrorType"), tc.code)
			}
			if msg, _ := m["message"].(string); msg == "" || strings.Contains(msg, "deadline") {
				t.Errorf("message %q is empty or leaks the cause", msg)
			}
		})
	}
}

func FuzzService(f *testing.F) {
	f.Add("TestService.Echo", `{"Name":"x"}`)
	f.Add("TestService.Echo", `{"Count":1e400}`)
	f.Add("TestService.", `[]`)
	f.Fuzz(func(t *testing.T, target, body string) {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Header.Set("X-Amz-Target", target)
		w := httptest.NewRecorder()
		testService().ServeHTTP(w, r)
		if w.Code >= 500 && !strings.Contains(body, "boom") {
			t.Fatalf("status %d for target %q body %q: %s", w.Code, target, body, w.Body)
		}
	})
}
