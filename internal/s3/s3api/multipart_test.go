package s3api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

type initiateDoc struct {
	Bucket, Key, UploadId string
}

type listPartsDoc struct {
	UploadId             string
	PartNumberMarker     int
	NextPartNumberMarker int
	MaxParts             int
	IsTruncated          bool
	StorageClass         string
	Initiator            struct{ ID string }
	Part                 []struct {
		PartNumber    int
		ETag          string
		Size          int64
		LastModified  string
		ChecksumCRC32 string
	}
}

type listUploadsDoc struct {
	KeyMarker, UploadIdMarker, NextKeyMarker, NextUploadIdMarker, EncodingType string
	MaxUploads                                                                 int
	IsTruncated                                                                bool
	Upload                                                                     []struct{ Key, UploadId, Initiated string }
	CommonPrefixes                                                             []struct{ Prefix string }
}

// TestMultipartWire checks the documents and headers clients parse, byte
// shapes the SDK tests cannot see.
func TestMultipartWire(t *testing.T) {
	e := newEnv(t)
	e.must(200, "PUT", "/mpw", "")
	var init initiateDoc
	w := e.must(200, "POST", "/mpw/dir/a%20b?uploads", "", "Content-Type", "text/plain", "x-amz-meta-who", "me", "x-amz-checksum-algorithm", "crc32")
	decode(t, w, &init)
	if init.Bucket != "mpw" || init.Key != "dir/a b" || len(init.UploadId) != 64 {
		t.Fatalf("InitiateMultipartUploadResult = %+v", init)
	}
	if w.Header().Get("x-amz-checksum-algorithm") != "CRC32" || w.Header().Get("x-amz-checksum-type") != "COMPOSITE" {
		t.Errorf("create checksum headers %v", w.Header())
	}
	id := init.UploadId
	big := strings.Repeat("x", 5<<20)
	w = e.must(200, "PUT", "/mpw/dir/a%20b?partNumber=1&uploadId="+id, big)
	if w.Header().Get("ETag") != etagOf(big) || w.Header().Get("x-amz-checksum-crc32") == "" {
		t.Errorf("UploadPart headers %v", w.Header())
	}
	e.must(200, "PUT", "/mpw/dir/a%20b?partNumber=2&uploadId="+id, "tail")

	var lp listPartsDoc
	decode(t, e.must(200, "GET", "/mpw/dir/a%20b?uploadId="+id+"&max-parts=1", ""), &lp)
	if lp.UploadId != id || lp.MaxParts != 1 || !lp.IsTruncated || lp.NextPartNumberMarker != 1 || len(lp.Part) != 1 ||
		lp.Part[0].Size != 5<<20 || lp.Part[0].ChecksumCRC32 == "" || lp.Part[0].LastModified != "2025-03-01T12:00:00.000Z" || lp.StorageClass != "STANDARD" || lp.Initiator.ID == "" {
		t.Errorf("ListParts page 1 = %+v", lp)
	}
	lp = listPartsDoc{}
	decode(t, e.must(200, "GET", "/mpw/dir/a%20b?uploadId="+id+"&part-number-marker=1", ""), &lp)
	if lp.IsTruncated || lp.PartNumberMarker != 1 || len(lp.Part) != 1 || lp.Part[0].PartNumber != 2 || lp.MaxParts != 1000 {
		t.Errorf("ListParts page 2 = %+v", lp)
	}

	var lu listUploadsDoc
	decode(t, e.must(200, "GET", "/mpw?uploads&encoding-type=url&prefix=dir/", ""), &lu)
	if len(lu.Upload) != 1 || lu.Upload[0].Key != "dir/a+b" || lu.EncodingType != "url" || lu.MaxUploads != 1000 || lu.NextKeyMarker != "dir/a+b" || lu.Upload[0].Initiated == "" {
		t.Errorf("ListMultipartUploads = %+v", lu)
	}

	// A failed complete answers with an S3 error document; a good one
	// with the result, its location and checksum.
	body := func(parts ...string) string {
		return "<CompleteMultipartUpload>" + strings.Join(parts, "") + "</CompleteMultipartUpload>"
	}
	part := func(n int, etag string) string {
		return fmt.Sprintf("<Part><PartNumber>%d</PartNumber><ETag>%s</ETag></Part>", n, etag)
	}
	e.wantError(400, "MalformedXML", "POST", "/mpw/dir/a%20b?uploadId="+id, "not xml")
	e.wantError(400, "InvalidRequest", "POST", "/mpw/dir/a%20b?uploadId="+id, body(part(1, etagOf(big)), part(2, etagOf("tail")))) // COMPOSITE needs part checksums
	e.wantError(400, "InvalidArgument", "POST", "/mpw/dir/a%20b?uploadId="+id, body(part(1, etagOf(big))), "x-amz-mp-object-size", "-1")
	id2 := ""
	{
		var d initiateDoc
		decode(t, e.must(200, "POST", "/mpw/plain?uploads", ""), &d)
		id2 = d.UploadId
	}
	e.must(200, "PUT", "/mpw/plain?partNumber=1&uploadId="+id2, big)
	e.must(200, "PUT", "/mpw/plain?partNumber=2&uploadId="+id2, "tail")
	var res struct {
		Location, Bucket, Key, ETag string
		ChecksumCRC64NVME           string
		ChecksumType                string
	}
	decode(t, e.must(200, "POST", "/mpw/plain?uploadId="+id2, body(part(1, etagOf(big)), part(2, etagOf("tail")))), &res)
	if res.Location != "http://example.com/mpw/plain" || res.Bucket != "mpw" || res.Key != "plain" || !strings.HasSuffix(res.ETag, `-2"`) ||
		res.ChecksumCRC64NVME == "" || res.ChecksumType != "FULL_OBJECT" {
		t.Errorf("CompleteMultipartUploadResult = %+v", res)
	}

	// Reading by part number.
	w = e.must(206, "GET", "/mpw/plain?partNumber=2", "")
	if w.Body.String() != "tail" || w.Header().Get("x-amz-mp-parts-count") != "2" || w.Header().Get("Content-Range") != fmt.Sprintf("bytes %d-%d/%d", 5<<20, 5<<20+3, 5<<20+4) {
		t.Errorf("GET part 2: %q %v", w.Body.String(), w.Header())
	}
	w = e.must(206, "HEAD", "/mpw/plain?partNumber=1", "")
	if w.Header().Get("Content-Length") != fmt.Sprint(5<<20) || w.Header().Get("x-amz-mp-parts-count") != "2" {
		t.Errorf("HEAD part 1: %v", w.Header())
	}
	e.wantError(416, "InvalidPartNumber", "GET", "/mpw/plain?partNumber=3", "")
	e.wantError(400, "InvalidArgument", "GET", "/mpw/plain?partNumber=x", "")
	e.wantError(400, "InvalidRequest", "GET", "/mpw/plain?partNumber=1", "", "Range", "bytes=0-1")
	e.wantError(412, "PreconditionFailed", "GET", "/mpw/plain?partNumber=1", "", "If-Match", `"other"`)

	// Requests that must not fall through to the plain object operations.
	e.wantError(400, "InvalidArgument", "PUT", "/mpw/plain?partNumber=1", "overwrite?")
	e.wantError(http.StatusMethodNotAllowed, "MethodNotAllowed", "HEAD", "/mpw/plain?uploadId="+id2, "")
	e.wantError(501, "NotImplemented", "PUT", "/mpw?uploadId=x", "")
	e.wantError(404, "NoSuchUpload", "DELETE", "/mpw/plain?uploadId="+id2, "")
	if got := e.must(200, "GET", "/mpw/plain", "").Body.Len(); got != 5<<20+4 {
		t.Errorf("object has %d bytes", got)
	}
	e.must(204, "DELETE", "/mpw/dir/a%20b?uploadId="+id, "")
	e.wantError(404, "NoSuchUpload", "GET", "/mpw/dir/a%20b?uploadId="+id, "")
	e.wantError(400, "InvalidArgument", "GET", "/mpw?uploads&max-uploads=-1", "")
	e.wantError(400, "InvalidArgument", "GET", "/mpw/plain?uploadId="+id2+"&max-parts=x", "")
}
