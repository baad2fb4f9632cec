package s3api

import (
	"encoding/xml"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/federa/federa/internal/s3"
)

// Request documents (CORS, Delete, CreateBucketConfiguration) are small; the
// limit keeps a hostile body from being buffered whole.
const maxXMLBody = 1 << 20

// readBody reads a request document of at most maxXMLBody bytes.
func readBody(body io.Reader) ([]byte, error) {
	if body == nil {
		return nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(body, maxXMLBody+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxXMLBody {
		return nil, s3.ErrEntityTooLarge.New("Your request document exceeds the maximum allowed size of %d bytes", maxXMLBody)
	}
	return data, nil
}

// decodeXML parses a request document into v; any failure is MalformedXML.
func decodeXML(data []byte, v any) error {
	if err := xml.Unmarshal(data, v); err != nil {
		return s3.ErrMalformedXML.Wrap(err, s3.MsgMalformedXML)
	}
	return nil
}

// s3Time formats times as S3 does in XML: UTC with milliseconds.
func s3Time(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// urlEncode is S3's encoding-type=url: query escaping (space as '+') that
// leaves '/' readable, which the SDKs decode with unquote_plus and friends.
func urlEncode(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "%2F", "/")
}

type ownerXML struct {
	ID          string `xml:"ID"`
	DisplayName string `xml:"DisplayName"`
}

func ownerOf(o s3.Owner) *ownerXML { return &ownerXML{ID: o.ID, DisplayName: o.DisplayName} }

type bucketXML struct {
	Name         string `xml:"Name"`
	CreationDate string `xml:"CreationDate"`
	BucketRegion string `xml:"BucketRegion,omitempty"`
}

type listAllMyBucketsResult struct {
	XMLName xml.Name    `xml:"ListAllMyBucketsResult"`
	Xmlns   string      `xml:"xmlns,attr"`
	Owner   *ownerXML   `xml:"Owner"`
	Buckets []bucketXML `xml:"Buckets>Bucket"`
}

type createBucketConfiguration struct {
	XMLName            xml.Name `xml:"CreateBucketConfiguration"`
	LocationConstraint string   `xml:"LocationConstraint"`
}

type locationConstraint struct {
	XMLName xml.Name `xml:"LocationConstraint"`
	Xmlns   string   `xml:"xmlns,attr"`
	Value   string   `xml:",chardata"`
}

type contentXML struct {
	Key               string    `xml:"Key"`
	LastModified      string    `xml:"LastModified"`
	ETag              string    `xml:"ETag"`
	ChecksumAlgorithm string    `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType      string    `xml:"ChecksumType,omitempty"`
	Size              int64     `xml:"Size"`
	StorageClass      string    `xml:"StorageClass"`
	Owner             *ownerXML `xml:"Owner,omitempty"`
}

type commonPrefixXML struct {
	Prefix string `xml:"Prefix"`
}

type listBucketResultV1 struct {
	XMLName        xml.Name          `xml:"ListBucketResult"`
	Xmlns          string            `xml:"xmlns,attr"`
	Name           string            `xml:"Name"`
	Prefix         string            `xml:"Prefix"`
	Marker         string            `xml:"Marker"`
	NextMarker     string            `xml:"NextMarker,omitempty"`
	MaxKeys        int               `xml:"MaxKeys"`
	Delimiter      string            `xml:"Delimiter,omitempty"`
	EncodingType   string            `xml:"EncodingType,omitempty"`
	IsTruncated    bool              `xml:"IsTruncated"`
	Contents       []contentXML      `xml:"Contents"`
	CommonPrefixes []commonPrefixXML `xml:"CommonPrefixes"`
}

type listBucketResultV2 struct {
	XMLName               xml.Name          `xml:"ListBucketResult"`
	Xmlns                 string            `xml:"xmlns,attr"`
	Name                  string            `xml:"Name"`
	Prefix                string            `xml:"Prefix"`
	Delimiter             string            `xml:"Delimiter,omitempty"`
	MaxKeys               int               `xml:"MaxKeys"`
	EncodingType          string            `xml:"EncodingType,omitempty"`
	KeyCount              int               `xml:"KeyCount"`
	ContinuationToken     string            `xml:"ContinuationToken,omitempty"`
	NextContinuationToken string            `xml:"NextContinuationToken,omitempty"`
	StartAfter            string            `xml:"StartAfter,omitempty"`
	IsTruncated           bool              `xml:"IsTruncated"`
	Contents              []contentXML      `xml:"Contents"`
	CommonPrefixes        []commonPrefixXML `xml:"CommonPrefixes"`
}

type deleteRequest struct {
	XMLName xml.Name `xml:"Delete"`
	Quiet   bool     `xml:"Quiet"`
	Objects []struct {
		Key       string `xml:"Key"`
		VersionID string `xml:"VersionId"`
	} `xml:"Object"`
}

type deletedXML struct {
	Key string `xml:"Key"`
}

type deleteErrorXML struct {
	Key     string `xml:"Key"`
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

type deleteResult struct {
	XMLName xml.Name         `xml:"DeleteResult"`
	Xmlns   string           `xml:"xmlns,attr"`
	Deleted []deletedXML     `xml:"Deleted"`
	Errors  []deleteErrorXML `xml:"Error"`
}

type copyObjectResult struct {
	XMLName      xml.Name `xml:"CopyObjectResult"`
	Xmlns        string   `xml:"xmlns,attr"`
	ETag         string   `xml:"ETag"`
	LastModified string   `xml:"LastModified"`
	checksumsXML
}

// checksumsXML are the Checksum* members of S3 results; only the object's
// own algorithm is filled.
type checksumsXML struct {
	ChecksumCRC32     string `xml:"ChecksumCRC32,omitempty"`
	ChecksumCRC32C    string `xml:"ChecksumCRC32C,omitempty"`
	ChecksumCRC64NVME string `xml:"ChecksumCRC64NVME,omitempty"`
	ChecksumSHA1      string `xml:"ChecksumSHA1,omitempty"`
	ChecksumSHA256    string `xml:"ChecksumSHA256,omitempty"`
	ChecksumType      string `xml:"ChecksumType,omitempty"`
}

type corsRuleXML struct {
	ID             string   `xml:"ID,omitempty"`
	AllowedHeaders []string `xml:"AllowedHeader"`
	AllowedMethods []string `xml:"AllowedMethod"`
	AllowedOrigins []string `xml:"AllowedOrigin"`
	ExposeHeaders  []string `xml:"ExposeHeader"`
	MaxAgeSeconds  *int     `xml:"MaxAgeSeconds,omitempty"`
}

type corsConfigurationXML struct {
	XMLName xml.Name      `xml:"CORSConfiguration"`
	Xmlns   string        `xml:"xmlns,attr,omitempty"`
	Rules   []corsRuleXML `xml:"CORSRule"`
}

// parseCORS parses a PutBucketCors document. Validation of the rules is the
// service's; this only turns XML into the domain type.
func parseCORS(data []byte) (s3.CORSConfiguration, error) {
	if len(strings.TrimSpace(string(data))) == 0 {
		return s3.CORSConfiguration{}, s3.ErrMalformedXML.New(s3.MsgMalformedXML)
	}
	var doc corsConfigurationXML
	if err := decodeXML(data, &doc); err != nil {
		return s3.CORSConfiguration{}, err
	}
	var c s3.CORSConfiguration
	for _, r := range doc.Rules {
		c.Rules = append(c.Rules, s3.CORSRule{
			ID:             strings.TrimSpace(r.ID),
			AllowedOrigins: trimAll(r.AllowedOrigins),
			AllowedMethods: trimAll(r.AllowedMethods),
			AllowedHeaders: trimAll(r.AllowedHeaders),
			ExposeHeaders:  trimAll(r.ExposeHeaders),
			MaxAgeSeconds:  r.MaxAgeSeconds,
		})
	}
	return c, nil
}

func trimAll(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func corsXML(c s3.CORSConfiguration, ns string) corsConfigurationXML {
	doc := corsConfigurationXML{Xmlns: ns}
	for _, r := range c.Rules {
		doc.Rules = append(doc.Rules, corsRuleXML{
			ID:             r.ID,
			AllowedHeaders: r.AllowedHeaders,
			AllowedMethods: r.AllowedMethods,
			AllowedOrigins: r.AllowedOrigins,
			ExposeHeaders:  r.ExposeHeaders,
			MaxAgeSeconds:  r.MaxAgeSeconds,
		})
	}
	return doc
}
