package setup

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// writeCounter is an HTTP client that counts the requests that may change
// something, whatever Apply reports: every call but Describe*, Get*, List*
// (and their Admin forms) and S3's GET and HEAD.
type writeCounter struct {
	mu     sync.Mutex
	writes []string
}

var readOp = regexp.MustCompile(`^(Admin)?(Describe|Get|List)`)

func (c *writeCounter) Do(req *http.Request) (*http.Response, error) {
	op := ""
	switch {
	case req.Header.Get("X-Amz-Target") != "":
		_, op, _ = strings.Cut(req.Header.Get("X-Amz-Target"), ".")
	case req.Method == http.MethodPost && strings.HasPrefix(req.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		body, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		op = form.Get("Action")
	case req.Method == http.MethodGet || req.Method == http.MethodHead:
		op = "GetS3"
	default:
		op = "S3 " + req.Method + " " + req.URL.Path
	}
	if !readOp.MatchString(op) {
		c.mu.Lock()
		c.writes = append(c.writes, op)
		c.mu.Unlock()
	}
	return http.DefaultClient.Do(req)
}

// take returns the writes seen since the last take.
func (c *writeCounter) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := c.writes
	c.writes = nil
	return w
}

// counted is cfg with its calls counted by c.
func counted(cfg aws.Config, c *writeCounter) aws.Config {
	cfg.HTTPClient = c
	return cfg
}
