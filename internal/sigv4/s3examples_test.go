package sigv4

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

type s3Examples struct {
	Credentials struct {
		AccessKeyID     string `json:"access_key_id"`
		SecretAccessKey string `json:"secret_access_key"`
	} `json:"credentials"`
	AmzDate    string `json:"amz_date"`
	HeaderAuth []struct {
		Name    string `json:"name"`
		Request struct {
			Method, Host, Path, Query string
			Headers                   [][2]string `json:"headers"`
		} `json:"request"`
		PayloadHash      string `json:"payload_hash"`
		SignedHeaders    string `json:"signed_headers"`
		CanonicalRequest string `json:"canonical_request"`
		Signature        string `json:"signature"`
	} `json:"header_auth"`
	Presigned []struct {
		URL     string `json:"url"`
		Request struct {
			Host    string `json:"host"`
			Expires int    `json:"expires_seconds"`
		} `json:"request"`
	} `json:"presigned"`
	Streaming []streamingCase `json:"streaming"`
}

func loadS3Examples(t testing.TB) s3Examples {
	b, err := os.ReadFile("testdata/s3-examples.json")
	if err != nil {
		t.Fatal(err)
	}
	var ex s3Examples
	if err := json.Unmarshal(b, &ex); err != nil {
		t.Fatal(err)
	}
	return ex
}

func TestS3HeaderExamples(t *testing.T) {
	ex := loadS3Examples(t)
	now, _ := time.Parse(amzDateFormat, ex.AmzDate)
	for _, c := range ex.HeaderAuth {
		t.Run(c.Name, func(t *testing.T) {
			target := c.Request.Path
			if c.Request.Query != "" {
				target += "?" + c.Request.Query
			}
			r, err := http.NewRequest(c.Request.Method, "http://"+c.Request.Host+strings.ReplaceAll(target, "$", "%24"), nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range c.Request.Headers {
				if !strings.EqualFold(h[0], "host") {
					r.Header.Add(h[0], h[1])
				}
			}
			r.Host = c.Request.Host
			r.Header.Set("Authorization", fmt.Sprintf("AWS4-HMAC-SHA256 Credential=%s/%s/us-east-1/s3/aws4_request,SignedHeaders=%s,Signature=%s",
				ex.Credentials.AccessKeyID, ex.AmzDate[:8], c.SignedHeaders, c.Signature))
			a, err := Parse(r)
			if err != nil {
				t.Fatal(err)
			}
			creq, _ := canonicalRequest(r, a.SignedHeaders, c.PayloadHash, true, false)
			if creq != c.CanonicalRequest {
				t.Errorf("canonical request\n%s\nwant\n%s", creq, c.CanonicalRequest)
			}
			if err := a.Verify(r, ex.Credentials.SecretAccessKey, c.PayloadHash, Options{S3: true, Now: now}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestS3PresignedExample(t *testing.T) {
	ex := loadS3Examples(t)
	now, _ := time.Parse(amzDateFormat, ex.AmzDate)
	p := ex.Presigned[0]
	r, _ := http.NewRequest("GET", p.URL, nil)
	a, err := Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{S3: true, Now: now.Add(time.Hour)}
	if err := a.Verify(r, ex.Credentials.SecretAccessKey, a.PayloadHash, opt); err != nil {
		t.Fatal(err)
	}
	opt.Now = now.Add(time.Duration(p.Request.Expires+1) * time.Second)
	if err := a.Verify(r, ex.Credentials.SecretAccessKey, a.PayloadHash, opt); !errors.Is(err, ErrPresignExpired) {
		t.Errorf("after X-Amz-Expires: %v", err)
	}
}

type streamingCase struct {
	Name          string `json:"name"`
	PayloadHash   string `json:"payload_hash"`
	Authorization string `json:"authorization"`
	Chunks        []struct {
		Size      int    `json:"size"`
		DataByte  string `json:"data_byte"`
		Signature string `json:"signature"`
	} `json:"chunks"`
	Trailer *struct {
		Headers   [][2]string `json:"headers"`
		Signature string      `json:"signature"`
	} `json:"trailer"`
	DecodedLength int `json:"decoded_length"`
}

// streamingBody frames an example's chunks as a client sends them.
func streamingBody(c *streamingCase) string {
	var b strings.Builder
	for _, ch := range c.Chunks {
		fmt.Fprintf(&b, "%x", ch.Size)
		if ch.Signature != "" {
			b.WriteString(";chunk-signature=" + ch.Signature)
		}
		b.WriteString("\r\n" + strings.Repeat(ch.DataByte, ch.Size))
		if ch.Size > 0 || c.Trailer == nil {
			b.WriteString("\r\n")
		}
	}
	if c.Trailer != nil {
		for _, h := range c.Trailer.Headers {
			b.WriteString(h[0] + ":" + h[1] + "\r\n")
		}
		b.WriteString("x-amz-trailer-signature:" + c.Trailer.Signature + "\r\n")
		b.WriteString("\r\n")
	}
	return b.String()
}

func TestS3StreamingExamples(t *testing.T) {
	ex := loadS3Examples(t)
	now, _ := time.Parse(amzDateFormat, ex.AmzDate)
	for i := range ex.Streaming {
		c := &ex.Streaming[i]
		t.Run(c.Name, func(t *testing.T) {
			body := streamingBody(c)
			trailer := http.Header{}
			decode := func(body string) ([]byte, error) {
				a := &Auth{AccessKeyID: ex.Credentials.AccessKeyID, Date: ex.AmzDate[:8], Region: "us-east-1", Service: "s3", Time: now,
					PayloadHash: c.PayloadHash, Signature: seedOf(c.Authorization)}
				rc, err := a.ChunkedBody(io.NopCloser(strings.NewReader(body)), ex.Credentials.SecretAccessKey, Options{}, trailer)
				if err != nil {
					return nil, err
				}
				return io.ReadAll(rc)
			}
			got, err := decode(body)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if len(got) != c.DecodedLength || strings.Trim(string(got), c.Chunks[0].DataByte) != "" {
				t.Errorf("decoded %d bytes, want %d", len(got), c.DecodedLength)
			}
			if c.Trailer != nil {
				// The trailing checksum reaches the caller, who checks it.
				for _, h := range c.Trailer.Headers {
					if got := trailer.Get(h[0]); got != h[1] {
						t.Errorf("trailer %s = %q, want %q", h[0], got, h[1])
					}
				}
				if h := c.Trailer.Headers; len(h) > 0 && h[0][0] == "x-amz-checksum-crc32" {
					var sum [4]byte
					binary.BigEndian.PutUint32(sum[:], crc32.ChecksumIEEE(got))
					if base64.StdEncoding.EncodeToString(sum[:]) != h[0][1] {
						t.Errorf("example's crc32 trailer does not match its bytes")
					}
				}
			}
			i := strings.Index(body, "\r\n") + 10
			tampered := body[:i] + "b" + body[i+1:]
			if _, err := decode(tampered); strings.HasPrefix(c.PayloadHash, "STREAMING-AWS4") && !errors.Is(err, ErrSignatureMismatch) {
				t.Errorf("tampered chunk: %v", err)
			}
			if _, err := decode(body[:len(body)/2]); !errors.Is(err, ErrIncompleteBody) {
				t.Errorf("truncated body: %v", err)
			}
		})
	}
}

func seedOf(authz string) string {
	_, sig, _ := strings.Cut(authz, "Signature=")
	return sig
}
