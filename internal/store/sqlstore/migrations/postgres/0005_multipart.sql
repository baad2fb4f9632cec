-- Multipart uploads in progress and their parts. An upload id is unique
-- across buckets. The index serves ListMultipartUploads (by key, then id).
CREATE TABLE uploads (upload_id TEXT PRIMARY KEY, bucket TEXT NOT NULL, object_key TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX uploads_by_key ON uploads (bucket, object_key, upload_id);
CREATE TABLE upload_parts (upload_id TEXT NOT NULL, part_number INTEGER NOT NULL, doc TEXT NOT NULL,
  PRIMARY KEY (upload_id, part_number));
