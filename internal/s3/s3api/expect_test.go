package s3api_test

import (
	"bufio"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/federa/federa/internal/access"
)

// TestExpectContinueOnEmptyBody: PUTs carrying "Expect: 100-continue", as
// botocore sends them, are answered on one kept-alive connection with an
// interim 100 Continue before the final response, whether the body is empty
// or not; otherwise botocore misreads the connection's next response.
func TestExpectContinueOnEmptyBody(t *testing.T) {
	e := newEnv(t)
	e.must(http.StatusOK, "PUT", "/bkt", "")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.h.ServeHTTP(w, r.WithContext(access.WithPrincipal(r.Context(), rootPrincipal)))
	}))
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(conn)
	for _, body := range []string{"", "data", "", "x"} {
		// The client sends the headers and waits for 100 Continue before the
		// body, as botocore does.
		_, err := conn.Write([]byte("PUT /bkt/key HTTP/1.1\r\nHost: " + srv.Listener.Addr().String() +
			"\r\nExpect: 100-continue\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		status, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(status, "HTTP/1.1 100 ") {
			t.Fatalf("body %q: first response line %q, want an interim 100 Continue", body, status)
		}
		for line := "x"; line != "\r\n"; {
			if line, err = br.ReadString('\n'); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := conn.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("body %q: final response: %v", body, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Close {
			t.Fatalf("body %q: final response %d (close=%v), want 200 on a kept-alive connection", body, resp.StatusCode, resp.Close)
		}
	}
}
