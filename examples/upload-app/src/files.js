// The user's folder in the bucket, reached with identity-pool credentials:
// the ID token is exchanged for an identity id and temporary AWS keys
// (GetId, GetCredentialsForIdentity), and every S3 call is signed with
// those keys. The role's policy allows only keys under "<identityId>/".

import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { fromCognitoIdentityPool } from "@aws-sdk/credential-providers";

/** An identity id no user has: the folder the denial probe writes into. */
export function strangerFolder(region) {
  return `${region}:00000000-0000-0000-0000-000000000000`;
}

/** Gets credentials for idToken and returns the user's folder. */
export async function openFolder(cfg, idToken) {
  const credentials = fromCognitoIdentityPool({
    identityPoolId: cfg.identityPoolId,
    logins: { [cfg.providerName]: idToken },
    clientConfig: { region: cfg.region, endpoint: cfg.endpoint },
  });
  // Resolving once up front gives the identity id, which names the folder,
  // and surfaces a refused token before any S3 call.
  const { identityId } = await credentials();
  const s3 = new S3Client({
    region: cfg.region,
    endpoint: cfg.endpoint,
    forcePathStyle: true,
    credentials,
  });
  return new Folder(s3, cfg.bucket, identityId, cfg.region);
}

/** Folder is one identity's prefix in the bucket. */
class Folder {
  constructor(s3, bucket, identityId, region) {
    this.s3 = s3;
    this.bucket = bucket;
    this.identityId = identityId;
    this.region = region;
    this.prefix = `${identityId}/`;
  }

  /** Uploads file (a File from an <input type=file>) as <identityId>/<name>. */
  async upload(file) {
    // The body is read into memory: the SDK then knows its length and
    // checksum up front, which a browser stream would not give it.
    const body = new Uint8Array(await file.arrayBuffer());
    await this.s3.send(new PutObjectCommand({
      Bucket: this.bucket,
      Key: this.prefix + file.name,
      Body: body,
      ContentType: file.type || "application/octet-stream",
    }));
    return this.prefix + file.name;
  }

  /** Lists the folder, every page of it, as {key, name, size, lastModified}. */
  async list() {
    const items = [];
    let token;
    do {
      const out = await this.s3.send(new ListObjectsV2Command({
        Bucket: this.bucket,
        Prefix: this.prefix,
        ContinuationToken: token,
      }));
      for (const o of out.Contents || []) {
        items.push({ key: o.Key, name: o.Key.slice(this.prefix.length), size: o.Size, lastModified: o.LastModified });
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return items;
  }

  /** Downloads key and returns its bytes and content type. */
  async download(key) {
    const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return { bytes: await out.Body.transformToByteArray(), contentType: out.ContentType || "application/octet-stream" };
  }

  /**
   * Tries to write into another identity's folder, which the policy must
   * refuse. It returns the S3 error code, or "" if the write succeeded.
   */
  async probeStrangerFolder() {
    const key = `${strangerFolder(this.region)}/probe.txt`;
    try {
      await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: "probe", ContentType: "text/plain" }));
      return { key, code: "" };
    } catch (err) {
      return { key, code: err.Code || err.name || "Error", message: err.message };
    }
  }
}
