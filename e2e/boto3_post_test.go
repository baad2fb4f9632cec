package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/federa/federa/internal/app/apptest"
)

type boto3Upload struct {
	Filename string `json:"filename"`
	Content  string `json:"content"`
}

type boto3Result struct {
	URL     string            `json:"url"`
	Fields  map[string]string `json:"fields"`
	Results []struct {
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    string            `json:"body"`
	} `json:"results"`
}

// runBoto3Post has boto3 generate a presigned POST for key and posts each
// upload with Python's standard library (testdata/boto3_post.py).
func runBoto3Post(t *testing.T, endpoint, bucket, key string, creds aws.Credentials, uploads ...boto3Upload) boto3Result {
	t.Helper()
	in, err := json.Marshal(map[string]any{
		"endpoint": endpoint, "bucket": bucket, "key": key,
		"access_key": creds.AccessKeyID, "secret_key": creds.SecretAccessKey, "session_token": creds.SessionToken,
		"uploads": uploads,
	})
	must(t, err)
	cmd := exec.Command("python3", "testdata/boto3_post.py")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("boto3_post.py: %v\n%s", err, stderr.String())
	}
	var res boto3Result
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("boto3_post.py output %q: %v", out, err)
	}
	if len(res.Results) != len(uploads) {
		t.Fatalf("boto3_post.py posted %d of %d uploads", len(res.Results), len(uploads))
	}
	return res
}

// TestPostObjectBoto3 checks federa against the POST forms boto3 generates
// (lower-case field names, a starts-with condition for a ${filename} key, the
// security token as a field and a condition), for the root key and for a
// signed-in user's identity-pool session.
func TestPostObjectBoto3(t *testing.T) {
	w := setupWorld(t)
	ctx := context.Background()
	root := w.s3(w.srv.RootConfig())
	aliceID, alice := w.credentialsFor(t, w.identityPoolID, w.signIn(t, "alice"))
	rootCreds := aws.Credentials{AccessKeyID: apptest.Root.AccessKeyID, SecretAccessKey: apptest.Root.SecretAccessKey}

	tests := []struct {
		name   string
		creds  aws.Credentials
		prefix string
	}{
		{"root key", rootCreds, "shared/"},
		{"identity-pool session", alice, aliceID + "/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runBoto3Post(t, w.srv.URL, w.bucket, tt.prefix+"${filename}", tt.creds,
				boto3Upload{Filename: "greeting.txt", Content: "hello from boto3"},
				boto3Upload{Filename: "big.txt", Content: strings.Repeat("x", 2000)})
			if res.URL != w.srv.URL+"/"+w.bucket {
				t.Errorf("boto3 posts to %s", res.URL)
			}
			if _, ok := res.Fields["x-amz-security-token"]; ok != (tt.creds.SessionToken != "") {
				t.Errorf("fields %v", res.Fields)
			}

			ok := res.Results[0]
			var doc struct {
				XMLName xml.Name `xml:"PostResponse"`
				Bucket  string
				Key     string
				ETag    string
			}
			if ok.Status != 201 || xml.Unmarshal([]byte(ok.Body), &doc) != nil {
				t.Fatalf("upload: %d %s", ok.Status, ok.Body)
			}
			key := tt.prefix + "greeting.txt"
			if doc.Bucket != w.bucket || doc.Key != key || doc.ETag != md5ETag("hello from boto3") {
				t.Errorf("PostResponse %+v", doc)
			}
			obj, err := root.GetObject(ctx, &s3.GetObjectInput{Bucket: &w.bucket, Key: &key})
			must(t, err)
			b, _ := io.ReadAll(obj.Body)
			obj.Body.Close()
			if string(b) != "hello from boto3" || aws.ToString(obj.ContentType) != "text/plain" || obj.Metadata["origin"] != "boto3" {
				t.Errorf("stored %q %q %v", b, aws.ToString(obj.ContentType), obj.Metadata)
			}

			big := res.Results[1]
			if big.Status != 400 || !strings.Contains(big.Body, "<Code>EntityTooLarge</Code>") {
				t.Errorf("a 2000-byte file under a 1024-byte limit: %d %s", big.Status, big.Body)
			}
			_, err = root.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &w.bucket, Key: aws.String(tt.prefix + "big.txt")})
			var nf *s3types.NotFound
			if !errors.As(err, &nf) {
				t.Errorf("the refused file: %v", err)
			}
		})
	}
}
