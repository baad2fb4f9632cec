package s3api

import (
	"encoding/xml"
	"net/http"
	"sort"

	"github.com/federa/federa/internal/protocol/restxml"
	"github.com/federa/federa/internal/s3"
)

// taggingXML is PutObjectTagging's document. Pointers tell a missing
// element (MalformedXML) from an empty one: Key and Value are required,
// and an empty TagSet removes the tags.
type taggingXML struct {
	XMLName xml.Name `xml:"Tagging"`
	TagSet  *struct {
		Tags []struct {
			Key   *string `xml:"Key"`
			Value *string `xml:"Value"`
		} `xml:"Tag"`
	} `xml:"TagSet"`
}

type tagXML struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

// taggingResult is GetObjectTagging's answer.
type taggingResult struct {
	XMLName xml.Name `xml:"Tagging"`
	Xmlns   string   `xml:"xmlns,attr"`
	TagSet  []tagXML `xml:"TagSet>Tag"`
}

// parseTagging reads a Tagging document; S3's tag rules are checked by
// s3.CheckTags, which this calls so the result is the validated set.
func parseTagging(data []byte) ([]s3.Tag, error) {
	var doc taggingXML
	if err := decodeXML(data, &doc); err != nil {
		return nil, err
	}
	if doc.TagSet == nil {
		return nil, s3.ErrMalformedXML.New(s3.MsgMalformedXML)
	}
	tags := make([]s3.Tag, 0, len(doc.TagSet.Tags))
	for _, t := range doc.TagSet.Tags {
		if t.Key == nil || t.Value == nil {
			return nil, s3.ErrMalformedXML.New(s3.MsgMalformedXML)
		}
		tags = append(tags, s3.Tag{Key: *t.Key, Value: *t.Value})
	}
	if _, err := s3.CheckTags(tags); err != nil {
		return nil, err
	}
	return tags, nil
}

// taggingHeader reads x-amz-tagging; absent or empty means no tags.
func taggingHeader(h http.Header) (map[string]string, error) {
	v := h.Get("X-Amz-Tagging")
	if v == "" {
		return nil, nil
	}
	return s3.ParseTaggingHeader(v)
}

func (h *Handler) putObjectTagging(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	data, err := readBody(r.Body)
	if err != nil {
		return err
	}
	if err := checkDocument(r.Header, data); err != nil {
		return err
	}
	tags, err := parseTagging(data)
	if err != nil {
		return err
	}
	if err := h.svc.PutObjectTagging(r.Context(), req, tags); err != nil {
		return err
	}
	restxml.SetRequestHeaders(w, r)
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) getObjectTagging(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	tags, err := h.svc.GetObjectTagging(r.Context(), req)
	if err != nil {
		return err
	}
	out := taggingResult{Xmlns: restxml.Namespace, TagSet: []tagXML{}}
	for k, v := range tags {
		out.TagSet = append(out.TagSet, tagXML{Key: k, Value: v})
	}
	// S3 answers the set in key order, whatever order it was given in.
	sort.Slice(out.TagSet, func(i, j int) bool { return out.TagSet[i].Key < out.TagSet[j].Key })
	restxml.WriteXML(w, r, http.StatusOK, out)
	return nil
}

func (h *Handler) deleteObjectTagging(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	if err := h.svc.DeleteObjectTagging(r.Context(), req); err != nil {
		return err
	}
	return noContent(w, r)
}
