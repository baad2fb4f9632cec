"""Browser-upload forms from boto3's generate_presigned_post, posted with the
standard library as a browser would: the fields in the order boto3 returns
them, the file last.

Reads one JSON object on stdin:
  {"endpoint", "bucket", "key", "access_key", "secret_key", "session_token",
   "uploads": [{"filename", "content"}]}
and prints one JSON object: {"fields": {...}, "results": [{"status",
"headers", "body"}]}.
"""

import json
import sys
import urllib.error
import urllib.request
import uuid

import boto3
from botocore.config import Config


def multipart(fields, filename, content):
    """Encode fields and then the file as multipart/form-data."""
    boundary = uuid.uuid4().hex
    out = bytearray()
    for name, value in fields.items():
        out += b"--" + boundary.encode() + b"\r\n"
        out += b'Content-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n'
        out += value.encode() + b"\r\n"
    out += b"--" + boundary.encode() + b"\r\n"
    out += b'Content-Disposition: form-data; name="file"; filename="' + filename.encode() + b'"\r\n'
    out += b"Content-Type: application/octet-stream\r\n\r\n"
    out += content.encode() + b"\r\n"
    out += b"--" + boundary.encode() + b"--\r\n"
    return "multipart/form-data; boundary=" + boundary, bytes(out)


def main():
    cfg = json.load(sys.stdin)
    s3 = boto3.client(
        "s3",
        endpoint_url=cfg["endpoint"],
        region_name="us-east-1",
        aws_access_key_id=cfg["access_key"],
        aws_secret_access_key=cfg["secret_key"],
        aws_session_token=cfg.get("session_token") or None,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )
    post = s3.generate_presigned_post(
        Bucket=cfg["bucket"],
        Key=cfg["key"],
        Fields={"Content-Type": "text/plain", "x-amz-meta-origin": "boto3", "success_action_status": "201"},
        Conditions=[
            ["starts-with", "$Content-Type", "text/"],
            {"x-amz-meta-origin": "boto3"},
            {"success_action_status": "201"},
            ["content-length-range", 1, 1024],
        ],
        ExpiresIn=600,
    )
    results = []
    for up in cfg["uploads"]:
        ctype, body = multipart(post["fields"], up["filename"], up["content"])
        req = urllib.request.Request(post["url"], data=body, method="POST", headers={"Content-Type": ctype})
        try:
            with urllib.request.urlopen(req) as resp:
                results.append({"status": resp.status, "headers": dict(resp.headers), "body": resp.read().decode()})
        except urllib.error.HTTPError as err:
            results.append({"status": err.code, "headers": dict(err.headers), "body": err.read().decode()})
    json.dump({"url": post["url"], "fields": post["fields"], "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
