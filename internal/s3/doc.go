// Package s3 is federa's S3 service: buckets, objects, object tags, CORS
// rules, bucket policies and Block Public Access. It holds the domain rules (bucket names, key limits, listing with
// delimiters, authorization of every operation) and knows nothing of HTTP;
// the REST-XML wire format lives in s3api.
//
// Object bytes go to a blob.Store under a fresh id and only then is the
// metadata pointed at them, so readers never see a partial write; the blob an
// object used to point at is deleted once the new metadata is durable.
//
// Multipart uploads keep each part in its own blob. Completing an upload
// copies no byte: the object's metadata lists its parts' blobs in order and
// readers stream them one after another (partsreader.go).
package s3
