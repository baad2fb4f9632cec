package s3api

import (
	"net/http/httptest"
	"testing"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/checksum"
)

func TestChecksumInput(t *testing.T) {
	tests := []struct {
		name     string
		headers  map[string]string
		wantAlg  checksum.Algorithm
		wantVal  string
		trailer  bool
		explicit bool
		wantErr  string
	}{
		{name: "none"},
		{name: "value header", headers: map[string]string{"X-Amz-Checksum-Crc32": "AAAAAA=="}, wantAlg: checksum.CRC32, wantVal: "AAAAAA==", explicit: true},
		{name: "sdk algorithm agrees", headers: map[string]string{"X-Amz-Checksum-Crc32c": "AAAAAA==", "X-Amz-Sdk-Checksum-Algorithm": "crc32c"}, wantAlg: checksum.CRC32C, wantVal: "AAAAAA==", explicit: true},
		{name: "trailer", headers: map[string]string{"X-Amz-Trailer": "x-amz-checksum-sha256"}, wantAlg: checksum.SHA256, trailer: true, explicit: true},
		{name: "two value headers", headers: map[string]string{"X-Amz-Checksum-Crc32": "AAAAAA==", "X-Amz-Checksum-Crc32c": "AAAAAA=="}, wantErr: "InvalidRequest"},
		{name: "header and trailer", headers: map[string]string{"X-Amz-Checksum-Crc32": "AAAAAA==", "X-Amz-Trailer": "x-amz-checksum-crc32"}, wantErr: "InvalidRequest"},
		{name: "unknown trailer", headers: map[string]string{"X-Amz-Trailer": "x-amz-checksum-md5"}, wantErr: "InvalidRequest"},
		{name: "bad value", headers: map[string]string{"X-Amz-Checksum-Sha1": "AAAAAA=="}, wantErr: "InvalidRequest"},
		{name: "sdk algorithm alone", headers: map[string]string{"X-Amz-Sdk-Checksum-Algorithm": "CRC32"}, wantErr: "InvalidRequest"},
		{name: "sdk algorithm disagrees", headers: map[string]string{"X-Amz-Checksum-Crc32": "AAAAAA==", "X-Amz-Sdk-Checksum-Algorithm": "SHA1"}, wantErr: "InvalidRequest"},
		{name: "sdk algorithm unknown", headers: map[string]string{"X-Amz-Checksum-Crc32": "AAAAAA==", "X-Amz-Sdk-Checksum-Algorithm": "MD5"}, wantErr: "InvalidRequest"},
		{name: "mode and type headers are not values", headers: map[string]string{"X-Amz-Checksum-Mode": "ENABLED", "X-Amz-Checksum-Type": "FULL_OBJECT", "X-Amz-Checksum-Algorithm": "CRC32"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("PUT", "/b/k", nil)
			for k, v := range tt.headers {
				r.Header.Set(k, v)
			}
			in, err := checksumInput(r)
			if tt.wantErr != "" {
				e, ok := awserr.As(err)
				if !ok || e.Code != tt.wantErr {
					t.Fatalf("err %v, want %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if in.Algorithm != tt.wantAlg || in.Value != tt.wantVal || (in.Trailer != nil) != tt.trailer || in.Explicit != tt.explicit {
				t.Fatalf("got %+v", in)
			}
		})
	}
}
