import { createHash, createHmac } from "node:crypto";

/**
 * AWS Signature Version 4 for S3 requests (header form), as the S3 documentation describes it: a canonical
 * request (method, URI-encoded path, sorted query, the signed headers lower-cased and trimmed, the payload's
 * SHA-256), a string to sign naming the date, region and service, and an HMAC chain from the secret key. Pure:
 * the caller passes the time, so the published example requests sign to their published signatures.
 */

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** "s3" for object stores. */
  service?: string;
}

export interface SigV4Request {
  method: string;
  /** The path as sent (already percent-encoded, as `encodeKey` makes it). */
  path: string;
  /** Query parameters (unencoded); sorted and encoded here. */
  query?: Record<string, string>;
  /** Headers to sign; `host` must be among them. Names in any case. */
  headers: Record<string, string>;
  /** Hex SHA-256 of the body (or "UNSIGNED-PAYLOAD"). */
  payloadHash: string;
}

export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters, `/` too unless `keepSlash`. */
export function uriEncode(value: string, keepSlash = false): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === "/")) out += c;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** `20130524T000000Z` for a time. */
export function amzDate(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

export function canonicalQuery(query: Record<string, string> = {}): string {
  return Object.entries(query)
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

/** The canonical request and the signed header names (lower-case, sorted, `;`-joined). */
export function canonicalRequest(request: SigV4Request): { text: string; signedHeaders: string } {
  const headers = Object.entries(request.headers)
    .map(([k, v]) => [k.toLowerCase(), v.trim().replace(/\s+/g, " ")] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signedHeaders = headers.map(([k]) => k).join(";");
  const text = [
    request.method.toUpperCase(),
    request.path,
    canonicalQuery(request.query),
    ...headers.map(([k, v]) => `${k}:${v}`),
    "",
    signedHeaders,
    request.payloadHash,
  ].join("\n");
  return { text, signedHeaders };
}

/** The request's signature (hex) and the `Authorization` header carrying it, for the time `at`. */
export function signV4(
  request: SigV4Request,
  credentials: SigV4Credentials,
  at: Date,
): { signature: string; authorization: string } {
  const service = credentials.service ?? "s3";
  const stamp = amzDate(at);
  const day = stamp.slice(0, 8);
  const scope = `${day}/${credentials.region}/${service}/aws4_request`;
  const { text, signedHeaders } = canonicalRequest(request);
  const toSign = ["AWS4-HMAC-SHA256", stamp, scope, sha256Hex(text)].join("\n");
  const key = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), credentials.region), service),
    "aws4_request",
  );
  const signature = createHmac("sha256", key).update(toSign, "utf8").digest("hex");
  return {
    signature,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope},SignedHeaders=${signedHeaders},Signature=${signature}`,
  };
}
