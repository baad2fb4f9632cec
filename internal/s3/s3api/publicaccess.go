package s3api

import (
	"encoding/xml"
	"net/http"
	"strings"

	"github.com/federa/federa/internal/protocol/restxml"
	"github.com/federa/federa/internal/s3"
)

// publicAccessBlockXML is PutPublicAccessBlock's document and
// GetPublicAccessBlock's answer. A setting left out is false.
type publicAccessBlockXML struct {
	XMLName               xml.Name `xml:"PublicAccessBlockConfiguration"`
	Xmlns                 string   `xml:"xmlns,attr,omitempty"`
	BlockPublicAcls       *string  `xml:"BlockPublicAcls"`
	IgnorePublicAcls      *string  `xml:"IgnorePublicAcls"`
	BlockPublicPolicy     *string  `xml:"BlockPublicPolicy"`
	RestrictPublicBuckets *string  `xml:"RestrictPublicBuckets"`
}

type policyStatusXML struct {
	XMLName  xml.Name `xml:"PolicyStatus"`
	Xmlns    string   `xml:"xmlns,attr"`
	IsPublic bool     `xml:"IsPublic"`
}

// xmlBool reads an XML Schema boolean (true, false, 1, 0, white space
// around); absent is false.
func xmlBool(v *string) (b, ok bool) {
	if v == nil {
		return false, true
	}
	switch strings.TrimSpace(*v) {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// parsePublicAccessBlock reads a PutPublicAccessBlock document.
func parsePublicAccessBlock(data []byte) (s3.PublicAccessBlock, error) {
	var doc publicAccessBlockXML
	if err := decodeXML(data, &doc); err != nil {
		return s3.PublicAccessBlock{}, err
	}
	var c s3.PublicAccessBlock
	for _, f := range []struct {
		v   *string
		dst *bool
	}{
		{doc.BlockPublicAcls, &c.BlockPublicAcls},
		{doc.IgnorePublicAcls, &c.IgnorePublicAcls},
		{doc.BlockPublicPolicy, &c.BlockPublicPolicy},
		{doc.RestrictPublicBuckets, &c.RestrictPublicBuckets},
	} {
		b, ok := xmlBool(f.v)
		if !ok {
			return s3.PublicAccessBlock{}, s3.ErrMalformedXML.New(s3.MsgMalformedXML)
		}
		*f.dst = b
	}
	return c, nil
}

func boolText(b bool) *string {
	s := "false"
	if b {
		s = "true"
	}
	return &s
}

func (h *Handler) putPublicAccessBlock(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	data, err := readBody(r.Body)
	if err != nil {
		return err
	}
	if err := checkDocument(r.Header, data); err != nil {
		return err
	}
	c, err := parsePublicAccessBlock(data)
	if err != nil {
		return err
	}
	if err := h.svc.PutPublicAccessBlock(r.Context(), req, c); err != nil {
		return err
	}
	restxml.SetRequestHeaders(w, r)
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) getPublicAccessBlock(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	c, err := h.svc.GetPublicAccessBlock(r.Context(), req)
	if err != nil {
		return err
	}
	restxml.WriteXML(w, r, http.StatusOK, publicAccessBlockXML{
		Xmlns:                 restxml.Namespace,
		BlockPublicAcls:       boolText(c.BlockPublicAcls),
		IgnorePublicAcls:      boolText(c.IgnorePublicAcls),
		BlockPublicPolicy:     boolText(c.BlockPublicPolicy),
		RestrictPublicBuckets: boolText(c.RestrictPublicBuckets),
	})
	return nil
}

func (h *Handler) deletePublicAccessBlock(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	if err := h.svc.DeletePublicAccessBlock(r.Context(), req); err != nil {
		return err
	}
	return noContent(w, r)
}

func (h *Handler) getPolicyStatus(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	public, err := h.svc.GetBucketPolicyStatus(r.Context(), req)
	if err != nil {
		return err
	}
	restxml.WriteXML(w, r, http.StatusOK, policyStatusXML{Xmlns: restxml.Namespace, IsPublic: public})
	return nil
}
