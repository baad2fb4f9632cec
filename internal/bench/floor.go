package bench

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strconv"
	"strings"

	"github.com/federa/federa/internal/srp"
)

// FloorHandler answers every request a scenario makes with a canned
// response of the real one's shape and size, reading the request body and
// doing nothing else: no signature check, no policy, no storage. The same
// scenario against it measures the HTTP floor, what the client, the
// network stack and net/http cost on this machine, so that a figure
// against federa can be read as a share of what any server could reach.
// size is the object size its GETs return.
func FloorHandler(size int64) http.Handler {
	f := &floor{object: payload(size)}
	f.build()
	return f
}

type floor struct {
	object                               []byte
	getID, credentials, tokens, srpStart []byte
	listing                              []byte
	objectLength, etag                   string
}

// token is a stand-in of a real token's length in base64url characters.
func token(n int) string {
	raw := make([]byte, n*3/4)
	_, _ = rand.Read(raw)
	return base64.RawURLEncoding.EncodeToString(raw)
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func (f *floor) build() {
	const identity = "us-east-1:00000000-0000-4000-8000-000000000001"
	f.getID = mustJSON(map[string]string{"IdentityId": identity})
	f.credentials = mustJSON(map[string]any{"IdentityId": identity, "Credentials": map[string]any{
		"AccessKeyId": "ASIAFLOORFLOORFLOOR0", "SecretKey": token(40), "SessionToken": token(700), "Expiration": 4102444800}})
	f.tokens = mustJSON(map[string]any{"ChallengeParameters": map[string]string{}, "AuthenticationResult": map[string]any{
		"IdToken": token(1000), "AccessToken": token(1000), "RefreshToken": token(400), "ExpiresIn": 3600, "TokenType": "Bearer"}})
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	// SECRET_BLOCK is standard base64, as Cognito sends it.
	secretBlock := make([]byte, 750)
	_, _ = rand.Read(secretBlock)
	B := new(big.Int).Exp(srp.G, new(big.Int).SetBytes(salt), srp.N)
	f.srpStart = mustJSON(map[string]any{"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": map[string]string{
		"SALT": hex.EncodeToString(salt), "SRP_B": B.Text(16), "SECRET_BLOCK": base64.StdEncoding.EncodeToString(secretBlock),
		"USER_ID_FOR_SRP": "bench-0", "USERNAME": "bench-0"}})
	f.objectLength = strconv.Itoa(len(f.object))
	f.etag = `"` + strings.Repeat("0", 32) + `"`
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>federa-bench</Name><Prefix>p/</Prefix>` +
		`<KeyCount>1000</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>`)
	for i := range 1000 {
		fmt.Fprintf(&b, `<Contents><Key>%s/objects-4096/%09d</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified>`+
			`<ETag>%s</ETag><ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm><Size>4096</Size><StorageClass>STANDARD</StorageClass></Contents>`,
			identity, i, strings.ReplaceAll(f.etag, `"`, "&#34;"))
	}
	b.WriteString(`<NextContinuationToken>floor</NextContinuationToken></ListBucketResult>`)
	f.listing = b.Bytes()
}

func (f *floor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Amz-Request-Id", "FLOOR")
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		// Small JSON bodies; InitiateAuth's flow decides the answer.
		body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		h.Set("Content-Type", "application/x-amz-json-1.1")
		_, op, _ := strings.Cut(target, ".")
		switch {
		case op == "GetId":
			w.Write(f.getID)
		case op == "GetCredentialsForIdentity":
			w.Write(f.credentials)
		case op == "InitiateAuth" && bytes.Contains(body, []byte(`"USER_SRP_AUTH"`)):
			w.Write(f.srpStart)
		default:
			w.Write(f.tokens)
		}
		return
	}
	// An object body is read and dropped, never held: the floor's memory
	// and copying stay flat at any --size.
	_, _ = io.Copy(io.Discard, r.Body)
	switch r.Method {
	case http.MethodGet:
		if r.URL.Query().Has("list-type") {
			h.Set("Content-Type", "application/xml")
			w.Write(f.listing)
			return
		}
		h.Set("Content-Length", f.objectLength)
		h.Set("ETag", f.etag)
		h.Set("Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT")
		h.Set("Content-Type", "application/octet-stream")
		w.Write(f.object)
	case http.MethodPut:
		h.Set("ETag", f.etag)
	case http.MethodHead:
		h.Set("Content-Length", f.objectLength)
		h.Set("ETag", f.etag)
	}
}
