package awsquery

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/reqid"
)

type listResult struct {
	Names []string `xml:"Names>member"`
	First string   `xml:"First"`
}

func testService() *Service {
	return &Service{Namespace: "https://example.test/doc/2010-05-08/", Ops: Table(
		Operation{Name: "List", Fn: func(_ context.Context, q Values) (any, error) {
			var first string
			if m := q.Members("Tags"); len(m) > 0 {
				first = m[0].Get("Key") + "=" + m[0].Get("Value")
			}
			return listResult{Names: q.Strings("Names"), First: first}, nil
		}},
		Operation{Name: "Delete", Fn: func(_ context.Context, q Values) (any, error) {
			if q.Get("Name") == "" {
				return nil, awserr.Code("ValidationError", 400).New("Name is required.")
			}
			return nil, nil
		}},
	), MaxBody: 4096}
}

func post(body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r = r.WithContext(reqid.With(r.Context(), "req-9"))
	w := httptest.NewRecorder()
	testService().ServeHTTP(w, r)
	return w
}

func TestEnvelope(t *testing.T) {
	w := post("Action=List&Names.member.1=a&Names.member.2=b&Names.member.4=skipped&Tags.member.1.Key=k&Tags.member.1.Value=v")
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var resp struct {
		XMLName xml.Name
		Result  listResult `xml:"ListResult"`
		Meta    struct {
			RequestID string `xml:"RequestId"`
		} `xml:"ResponseMetadata"`
	}
	if err := xml.Unmarshal(w.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.XMLName.Local != "ListResponse" || resp.XMLName.Space != "https://example.test/doc/2010-05-08/" {
		t.Errorf("root = %v", resp.XMLName)
	}
	if !reflect.DeepEqual(resp.Result.Names, []string{"a", "b"}) || resp.Result.First != "k=v" || resp.Meta.RequestID != "req-9" {
		t.Errorf("decoded %+v", resp)
	}
	if w := post("Action=Delete&Name=x"); !strings.Contains(w.Body.String(), "<DeleteResponse") || strings.Contains(w.Body.String(), "DeleteResult") {
		t.Errorf("no-result action body = %s", w.Body)
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		body   string
		status int
		code   string
	}{
		{"Action=Delete", 400, "ValidationError"},
		{"Action=Nope", 400, "InvalidAction"},
		{"Version=1", 400, "MissingAction"},
		{"Action=List&%zz", 400, "MalformedQueryString"},
		{"Action=List&Names.member.1=" + strings.Repeat("a", 5000), 413, "RequestEntityTooLarge"},
	}
	for _, tc := range cases {
		w := post(tc.body)
		var e errorResponse
		if err := xml.Unmarshal(w.Body.Bytes(), &e); err != nil {
			t.Fatalf("%q: not XML: %s", tc.body, w.Body)
		}
		if w.Code != tc.status || e.Error.Code != tc.code || e.Error.Type != "Sender" || e.RequestID != "req-9" || e.Error.Message == "" {
			t.Errorf("%.40q: status %d %+v, want %d %s", tc.body, w.Code, e, tc.status, tc.code)
		}
	}
}

func FuzzValues(f *testing.F) {
	f.Add("Action=List&Names.member.1=a&Tags.member.1.Key=k")
	f.Add("Tags.member.1.=&Tags.member.2.X=y")
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q := NewValues(v)
		_ = q.Strings("Names")
		for _, m := range q.Members("Tags") {
			_ = m.Get("Key")
		}
		w := post(raw)
		if w.Code >= 500 {
			t.Fatalf("status %d for %q", w.Code, raw)
		}
	})
}
