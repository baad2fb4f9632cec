package s3api

import (
	"encoding/xml"
	"io"
	"strings"

	"github.com/federa/federa/internal/checksum"
	"github.com/federa/federa/internal/s3"
)

// maxCompleteBody bounds a CompleteMultipartUpload document: 10,000 parts,
// each with a part number, an ETag and a checksum, stay well below it.
const maxCompleteBody = 4 << 20

// partChecksumsXML are the Checksum* elements of a part (in ListParts,
// CopyPartResult and CompleteMultipartUpload's request), one per algorithm
// and, unlike an object's, without a type. Embedded, they appear as the
// parent's own elements.
type partChecksumsXML struct {
	ChecksumCRC32     string `xml:"ChecksumCRC32,omitempty"`
	ChecksumCRC32C    string `xml:"ChecksumCRC32C,omitempty"`
	ChecksumCRC64NVME string `xml:"ChecksumCRC64NVME,omitempty"`
	ChecksumSHA1      string `xml:"ChecksumSHA1,omitempty"`
	ChecksumSHA256    string `xml:"ChecksumSHA256,omitempty"`
}

func (c *partChecksumsXML) field(alg checksum.Algorithm) *string {
	switch alg {
	case checksum.CRC32:
		return &c.ChecksumCRC32
	case checksum.CRC32C:
		return &c.ChecksumCRC32C
	case checksum.CRC64NVME:
		return &c.ChecksumCRC64NVME
	case checksum.SHA1:
		return &c.ChecksumSHA1
	case checksum.SHA256:
		return &c.ChecksumSHA256
	}
	return nil
}

// checksumsOf returns the element for a stored checksum (nothing when the
// algorithm is "").
func checksumsOf(alg, value string) partChecksumsXML {
	var c partChecksumsXML
	if a, ok := checksum.Parse(alg); ok {
		*c.field(a) = value
	}
	return c
}

// byAlgorithm returns the elements that are present, by algorithm.
func (c partChecksumsXML) byAlgorithm() map[checksum.Algorithm]string {
	var m map[checksum.Algorithm]string
	for _, a := range checksum.Algorithms {
		if v := strings.TrimSpace(*c.field(a)); v != "" {
			if m == nil {
				m = map[checksum.Algorithm]string{}
			}
			m[a] = v
		}
	}
	return m
}

type initiateMultipartUploadResult struct {
	XMLName  xml.Name `xml:"InitiateMultipartUploadResult"`
	Xmlns    string   `xml:"xmlns,attr"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	UploadID string   `xml:"UploadId"`
}

type completedPartXML struct {
	PartNumber *int   `xml:"PartNumber"`
	ETag       string `xml:"ETag"`
	partChecksumsXML
}

type completeMultipartUploadXML struct {
	XMLName xml.Name           `xml:"CompleteMultipartUpload"`
	Parts   []completedPartXML `xml:"Part"`
}

// parseCompleteMultipartUpload reads a CompleteMultipartUpload document.
// A document that does not parse, has no parts, more than MaxPartNumber
// parts, or a part without a part number is MalformedXML, as on S3; the
// order and existence of the parts are the service's to judge.
func parseCompleteMultipartUpload(data []byte) ([]s3.CompletedPart, error) {
	var doc completeMultipartUploadXML
	if err := decodeXML(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Parts) == 0 || len(doc.Parts) > s3.MaxPartNumber {
		return nil, s3.ErrMalformedXML.New(s3.MsgMalformedXML)
	}
	parts := make([]s3.CompletedPart, len(doc.Parts))
	for i, p := range doc.Parts {
		if p.PartNumber == nil {
			return nil, s3.ErrMalformedXML.New(s3.MsgMalformedXML)
		}
		parts[i] = s3.CompletedPart{PartNumber: *p.PartNumber, ETag: strings.TrimSpace(p.ETag), Checksums: p.byAlgorithm()}
	}
	return parts, nil
}

// readCompleteBody reads a CompleteMultipartUpload document of at most
// maxCompleteBody bytes.
func readCompleteBody(body io.Reader) ([]byte, error) {
	if body == nil {
		return nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(body, maxCompleteBody+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxCompleteBody {
		return nil, s3.ErrEntityTooLarge.New("Your request document exceeds the maximum allowed size of %d bytes", maxCompleteBody)
	}
	return data, nil
}

type completeMultipartUploadResult struct {
	XMLName  xml.Name `xml:"CompleteMultipartUploadResult"`
	Xmlns    string   `xml:"xmlns,attr"`
	Location string   `xml:"Location"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	ETag     string   `xml:"ETag"`
	checksumsXML
}

type copyPartResult struct {
	XMLName      xml.Name `xml:"CopyPartResult"`
	Xmlns        string   `xml:"xmlns,attr"`
	ETag         string   `xml:"ETag"`
	LastModified string   `xml:"LastModified"`
	partChecksumsXML
}

type partXML struct {
	PartNumber   int    `xml:"PartNumber"`
	LastModified string `xml:"LastModified"`
	ETag         string `xml:"ETag"`
	Size         int64  `xml:"Size"`
	partChecksumsXML
}

type listPartsResult struct {
	XMLName              xml.Name  `xml:"ListPartsResult"`
	Xmlns                string    `xml:"xmlns,attr"`
	Bucket               string    `xml:"Bucket"`
	Key                  string    `xml:"Key"`
	UploadID             string    `xml:"UploadId"`
	PartNumberMarker     int       `xml:"PartNumberMarker"`
	NextPartNumberMarker int       `xml:"NextPartNumberMarker"`
	MaxParts             int       `xml:"MaxParts"`
	IsTruncated          bool      `xml:"IsTruncated"`
	Parts                []partXML `xml:"Part"`
	Initiator            *ownerXML `xml:"Initiator"`
	Owner                *ownerXML `xml:"Owner"`
	StorageClass         string    `xml:"StorageClass"`
	ChecksumAlgorithm    string    `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType         string    `xml:"ChecksumType,omitempty"`
}

type uploadXML struct {
	Key               string    `xml:"Key"`
	UploadID          string    `xml:"UploadId"`
	Initiator         *ownerXML `xml:"Initiator"`
	Owner             *ownerXML `xml:"Owner"`
	StorageClass      string    `xml:"StorageClass"`
	Initiated         string    `xml:"Initiated"`
	ChecksumAlgorithm string    `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType      string    `xml:"ChecksumType,omitempty"`
}

type listMultipartUploadsResult struct {
	XMLName            xml.Name          `xml:"ListMultipartUploadsResult"`
	Xmlns              string            `xml:"xmlns,attr"`
	Bucket             string            `xml:"Bucket"`
	KeyMarker          string            `xml:"KeyMarker"`
	UploadIDMarker     string            `xml:"UploadIdMarker"`
	NextKeyMarker      string            `xml:"NextKeyMarker"`
	NextUploadIDMarker string            `xml:"NextUploadIdMarker"`
	Prefix             string            `xml:"Prefix"`
	Delimiter          string            `xml:"Delimiter,omitempty"`
	MaxUploads         int               `xml:"MaxUploads"`
	EncodingType       string            `xml:"EncodingType,omitempty"`
	IsTruncated        bool              `xml:"IsTruncated"`
	Uploads            []uploadXML       `xml:"Upload"`
	CommonPrefixes     []commonPrefixXML `xml:"CommonPrefixes"`
}
