import { HttpClient, SourceError } from "./http-client.ts";
import { amzDate, canonicalQuery, EMPTY_SHA256, sha256Hex, signV4, uriEncode } from "./sigv4.ts";

export interface S3ClientOptions {
  /** The service's URL (`https://s3.example.org`, `http://127.0.0.1:9000`); buckets are addressed by path. */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Timeouts and retries (5xx, network errors); one is made when not given. */
  http?: HttpClient;
  /** The clock requests are signed with. */
  now?: () => Date;
}

export interface S3Object {
  key: string;
  bytes: number;
}

/**
 * A small client for S3-compatible object stores (AWS S3, MinIO, Garage, Cloudflare R2): PUT, GET (whole or a
 * byte range), HEAD, DELETE and ListObjectsV2, each signed with Signature Version 4 (`sigv4.ts`) and sent
 * through Paperboy's HTTP client. Buckets are addressed by path (`<endpoint>/<bucket>/<key>`), which every
 * such store accepts. A 4xx answer becomes an error naming the store's error code; 5xx and network errors are
 * retried by the HTTP client.
 */
export class S3Client {
  private readonly base: URL;
  private readonly http: HttpClient;
  private readonly now: () => Date;

  constructor(private readonly options: S3ClientOptions) {
    this.base = new URL(options.endpoint.replace(/\/+$/, ""));
    this.http = options.http ?? new HttpClient({ timeoutMs: 120_000, maxBodyBytes: 1 << 30 });
    this.now = options.now ?? (() => new Date());
  }

  /** Stores `body` under `key`; `metadata` becomes `x-amz-meta-*` headers (read back by `head`). */
  async put(key: string, body: Uint8Array, metadata: Record<string, string> = {}): Promise<void> {
    const headers: Record<string, string> = { "content-length": String(body.byteLength) };
    for (const [name, value] of Object.entries(metadata)) headers[`x-amz-meta-${name.toLowerCase()}`] = value;
    await this.send("PUT", key, {}, headers, body);
  }

  /**
   * Stores an object of `bytes` bytes in parts (S3 multipart upload: at most 10,000 parts, each but the last
   * at least 5 MiB), each read by `part(start, end)` (end exclusive) just before it is sent, so memory holds one
   * part and objects past the 5 GiB of a single PUT go up. An upload that fails is aborted (its parts dropped).
   */
  async putInParts(
    key: string,
    bytes: number,
    partBytes: number,
    part: (start: number, end: number) => Uint8Array,
    metadata: Record<string, string> = {},
  ): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(metadata)) headers[`x-amz-meta-${name.toLowerCase()}`] = value;
    const created = await this.send("POST", key, { uploads: "" }, headers, new Uint8Array(0));
    const uploadId = xmlText(Buffer.from(created?.body ?? new Uint8Array()).toString("utf8"), "UploadId");
    if (uploadId === null) throw new Error(`the object store gave no upload id for ${key}`);
    try {
      const etags: string[] = [];
      for (let start = 0, n = 1; start < bytes || n === 1; start += partBytes, n++) {
        const body = part(start, Math.min(bytes, start + partBytes));
        const sent = await this.send("PUT", key, { partNumber: String(n), uploadId }, {}, body);
        const etag = sent?.headers.get("etag");
        if (!etag) throw new Error(`the object store gave no ETag for part ${n} of ${key}`);
        etags.push(etag);
      }
      const xml =
        "<CompleteMultipartUpload>" +
        etags
          .map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${escapeXml(etag)}</ETag></Part>`)
          .join("") +
        "</CompleteMultipartUpload>";
      const done = await this.send("POST", key, { uploadId }, {}, Buffer.from(xml));
      // S3 may answer 200 with an error in the body when completing fails late.
      const answer = Buffer.from(done?.body ?? new Uint8Array()).toString("utf8");
      if (answer.includes("<Error>"))
        throw new Error(`the object store could not complete ${key}: ${xmlText(answer, "Code")}`);
    } catch (error) {
      await this.send("DELETE", key, { uploadId }, {}, null, true).catch(() => undefined);
      throw error;
    }
  }

  /** The object's bytes (those of `range`, inclusive, when given), or null when there is no such object. */
  async get(key: string, range?: { start: number; end: number }): Promise<Uint8Array | null> {
    const headers: Record<string, string> = range ? { range: `bytes=${range.start}-${range.end}` } : {};
    const response = await this.send("GET", key, {}, headers, null, true);
    return response === null ? null : response.body;
  }

  /** The object's size and metadata, or null when there is none. */
  async head(key: string): Promise<{ bytes: number; metadata: Record<string, string> } | null> {
    const response = await this.send("HEAD", key, {}, {}, null, true);
    if (response === null) return null;
    const metadata: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (name.startsWith("x-amz-meta-")) metadata[name.slice(11)] = value;
    });
    return { bytes: Number(response.headers.get("content-length") ?? 0), metadata };
  }

  /** Removes the object (no error when it is not there). */
  async delete(key: string): Promise<void> {
    await this.send("DELETE", key, {}, {}, null, true);
  }

  /** Every object whose key starts with `prefix`, a page (ListObjectsV2) at a time. */
  async *list(prefix: string): AsyncIterable<S3Object> {
    let token: string | null = null;
    for (;;) {
      const query: Record<string, string> = { "list-type": "2", prefix };
      if (token !== null) query["continuation-token"] = token;
      const response = await this.send("GET", "", query, {}, null);
      const xml = Buffer.from(response?.body ?? new Uint8Array()).toString("utf8");
      for (const [, item] of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
        const key = xmlText(item ?? "", "Key");
        if (key !== null) yield { key, bytes: Number(xmlText(item ?? "", "Size") ?? 0) };
      }
      token = xmlText(xml, "IsTruncated") === "true" ? xmlText(xml, "NextContinuationToken") : null;
      if (token === null) return;
    }
  }

  private async send(
    method: "GET" | "PUT" | "POST" | "HEAD" | "DELETE",
    key: string,
    query: Record<string, string>,
    headers: Record<string, string>,
    body: Uint8Array | null,
    missingIsNull = false,
  ) {
    const basePath = this.base.pathname.replace(/\/+$/, "");
    const path = `${basePath}/${uriEncode(this.options.bucket)}${key === "" ? "" : `/${uriEncode(key, true)}`}`;
    const at = this.now();
    const payloadHash = body === null ? EMPTY_SHA256 : sha256Hex(body);
    const signed: Record<string, string> = {
      ...headers,
      host: this.base.host,
      "x-amz-date": amzDate(at),
      "x-amz-content-sha256": payloadHash,
    };
    // content-length is sent by fetch itself; it is left out of the signature (fetch may not send it as given).
    const { "content-length": _length, ...toSign } = signed;
    const { authorization } = signV4({ method, path, query, headers: toSign, payloadHash }, this.options, at);
    const search = canonicalQuery(query);
    const url = `${this.base.origin}${path}${search ? `?${search}` : ""}`;
    const { host: _host, ...sent } = toSign;
    const response = await this.http.request(method, url, body, {
      headers: { ...sent, authorization },
      acceptStatus: (status) => status >= 400 && status < 500,
    });
    if (response.status === 404 && missingIsNull) return null;
    if (response.status >= 400) {
      const text = Buffer.from(response.body).toString("utf8");
      const code = xmlText(text, "Code") ?? `HTTP ${response.status}`;
      const message = xmlText(text, "Message");
      throw new SourceError(
        "http",
        url,
        `the object store refused ${method} ${key || "(list)"}: ${code}${message ? ` (${message})` : ""}`,
        response.status,
      );
    }
    return response;
  }
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The text of the first `<tag>` in `xml`, entities decoded, or null. */
function xmlText(xml: string, tag: string): string | null {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  if (!match) return null;
  return (match[1] ?? "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, "&");
}
