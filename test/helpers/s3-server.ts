import { createHash, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { signV4 } from "../../src/net/sigv4.ts";

export interface TestS3Server {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Requests answered, by method, and those refused for a bad signature. */
  counts: { GET: number; PUT: number; POST: number; HEAD: number; DELETE: number; refused: number };
  /** Multipart uploads completed, and those still open (neither completed nor aborted). */
  uploads: { completed: number; open: () => number };
  /** The next `n` GETs of an object whose key ends with `suffix` send `afterBytes` bytes and drop the connection. */
  cutGets(suffix: string, afterBytes: number, n?: number): void;
  /** Overwrites a stored object's bytes (keeping its metadata): a corrupted object. */
  corrupt(key: string, bytes: Uint8Array): void;
  keys(): string[];
  close(): Promise<void>;
}

/**
 * An S3-compatible server for tests (node:http): one bucket, objects kept as files in `dir`, PUT / GET (with
 * Range) / HEAD / DELETE / ListObjectsV2 addressed by path. Every request must carry a Signature Version 4
 * `Authorization` that this server recomputes from what arrived on the wire (path, query, the signed headers,
 * the payload hash, which must match the body) with the shared secret: a wrong signature is a 403, as S3
 * answers it. Multipart uploads (create, parts, complete, abort) are kept in memory until completed; every part
 * but the last must hold at least `minPartBytes`, as S3's 5 MiB rule asks.
 */
export async function startTestS3Server(
  dir: string,
  options: { pageSize?: number; minPartBytes?: number } = {},
): Promise<TestS3Server> {
  const bucket = "paperboy-test";
  const region = "eu-test-1";
  const accessKeyId = "PAPERBOYTESTKEY";
  const secretAccessKey = "test-secret/with+odd=chars";
  const pageSize = options.pageSize ?? 1000;
  const counts = { GET: 0, PUT: 0, POST: 0, HEAD: 0, DELETE: 0, refused: 0 };
  const minPartBytes = options.minPartBytes ?? 0;
  const multipart = new Map<
    string,
    { key: string; meta: Record<string, string>; parts: Map<number, Buffer> }
  >();
  const uploads = { completed: 0, open: () => multipart.size };
  const cuts: { suffix: string; afterBytes: number; left: number }[] = [];
  const objects = join(dir, "objects");
  mkdirSync(objects, { recursive: true });
  const fileOf = (key: string) => join(objects, encodeURIComponent(key));
  const metaOf = (key: string) => `${fileOf(key)}.meta.json`;
  const keys = () =>
    readdirSync(objects)
      .filter((n) => !n.endsWith(".meta.json"))
      .map((n) => decodeURIComponent(n))
      .sort();

  function fail(res: ServerResponse, status: number, code: string, message = code): void {
    res.writeHead(status, { "content-type": "application/xml" });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    );
  }

  function signatureProblem(req: IncomingMessage, body: Buffer): string | null {
    const auth = req.headers.authorization ?? "";
    const match =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    if (!match) return "no Signature Version 4 authorization";
    const [, keyId, day, authRegion, signedHeaders, signature] = match as unknown as string[];
    if (keyId !== accessKeyId || authRegion !== region) return "unknown key or region";
    const date = String(req.headers["x-amz-date"] ?? "");
    if (!date.startsWith(day as string)) return "the date does not match the credential scope";
    const payloadHash = String(req.headers["x-amz-content-sha256"] ?? "");
    if (createHash("sha256").update(body).digest("hex") !== payloadHash) return "XAmzContentSHA256Mismatch";
    const names = (signedHeaders as string).split(";");
    if (!names.includes("host") || !names.includes("x-amz-date")) return "host and x-amz-date must be signed";
    const headers: Record<string, string> = {};
    for (const name of names) headers[name] = String(req.headers[name] ?? "");
    const raw = new URL(req.url ?? "/", "http://placeholder");
    const query: Record<string, string> = {};
    raw.searchParams.forEach((v, k) => {
      query[k] = v;
    });
    const at = new Date(
      `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
    );
    const expected = signV4(
      { method: req.method ?? "GET", path: raw.pathname, query, headers, payloadHash },
      { accessKeyId, secretAccessKey, region },
      at,
    ).signature;
    return timingSafeEqual(Buffer.from(expected), Buffer.from(signature as string))
      ? null
      : "SignatureDoesNotMatch";
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const problem = signatureProblem(req, body);
    if (problem !== null) {
      counts.refused++;
      fail(
        res,
        403,
        problem.includes("Mismatch") || problem.includes("Match") ? problem : "AccessDenied",
        problem,
      );
      return;
    }
    const method = req.method as keyof typeof counts;
    if (method in counts) counts[method]++;
    const url = new URL(req.url ?? "/", "http://placeholder");
    const parts = url.pathname.split("/").slice(1);
    if (decodeURIComponent(parts[0] ?? "") !== bucket) return fail(res, 404, "NoSuchBucket");
    const key = parts.slice(1).map(decodeURIComponent).join("/");
    if (key === "" && method === "GET" && url.searchParams.get("list-type") === "2") {
      const prefix = url.searchParams.get("prefix") ?? "";
      const after = url.searchParams.get("continuation-token") ?? "";
      const all = keys().filter((k) => k.startsWith(prefix) && k > after);
      const page = all.slice(0, pageSize);
      const truncated = all.length > page.length;
      const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
      const contents = page
        .map((k) => `<Contents><Key>${esc(k)}</Key><Size>${readFileSync(fileOf(k)).length}</Size></Contents>`)
        .join("");
      res.writeHead(200, { "content-type": "application/xml" });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${bucket}</Name><Prefix>${esc(prefix)}</Prefix>` +
          `<KeyCount>${page.length}</KeyCount><IsTruncated>${truncated}</IsTruncated>${contents}` +
          (truncated
            ? `<NextContinuationToken>${esc(page[page.length - 1] as string)}</NextContinuationToken>`
            : "") +
          "</ListBucketResult>",
      );
      return;
    }
    if (key === "") return fail(res, 400, "InvalidRequest");
    const uploadId = url.searchParams.get("uploadId");
    if (method === "POST" && url.searchParams.has("uploads")) {
      const meta: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers))
        if (name.startsWith("x-amz-meta-")) meta[name] = String(value);
      const id = `upload-${multipart.size}-${Date.now()}`;
      multipart.set(id, { key, meta, parts: new Map() });
      res.writeHead(200, { "content-type": "application/xml" });
      res.end(
        `<InitiateMultipartUploadResult><Key>${key}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
      );
      return;
    }
    if (uploadId !== null) {
      const upload = multipart.get(uploadId);
      if (upload === undefined || upload.key !== key) return fail(res, 404, "NoSuchUpload");
      if (method === "PUT") {
        const n = Number(url.searchParams.get("partNumber"));
        upload.parts.set(n, body);
        res.writeHead(200, { etag: `"${createHash("md5").update(body).digest("hex")}"` });
        res.end();
        return;
      }
      if (method === "DELETE") {
        multipart.delete(uploadId);
        res.writeHead(204);
        res.end();
        return;
      }
      if (method === "POST") {
        const listed = [
          ...body.toString("utf8").matchAll(/<PartNumber>(\d+)<\/PartNumber><ETag>([^<]*)<\/ETag>/g),
        ];
        const chunks: Buffer[] = [];
        for (const [i, [, n, etag]] of listed.entries()) {
          const part = upload.parts.get(Number(n));
          const expected = part && `&quot;${createHash("md5").update(part).digest("hex")}&quot;`;
          if (part === undefined || etag !== expected) return fail(res, 400, "InvalidPart");
          if (i < listed.length - 1 && part.length < minPartBytes) return fail(res, 400, "EntityTooSmall");
          chunks.push(part);
        }
        writeFileSync(fileOf(key), Buffer.concat(chunks));
        writeFileSync(metaOf(key), JSON.stringify(upload.meta));
        multipart.delete(uploadId);
        uploads.completed++;
        res.writeHead(200, { "content-type": "application/xml" });
        res.end(`<CompleteMultipartUploadResult><Key>${key}</Key></CompleteMultipartUploadResult>`);
        return;
      }
    }
    if (method === "PUT") {
      const meta: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers))
        if (name.startsWith("x-amz-meta-")) meta[name] = String(value);
      writeFileSync(fileOf(key), body);
      writeFileSync(metaOf(key), JSON.stringify(meta));
      res.writeHead(200, { etag: `"${createHash("md5").update(body).digest("hex")}"` });
      res.end();
      return;
    }
    if (method === "DELETE") {
      rmSync(fileOf(key), { force: true });
      rmSync(metaOf(key), { force: true });
      res.writeHead(204);
      res.end();
      return;
    }
    if (!existsSync(fileOf(key))) return fail(res, 404, "NoSuchKey");
    const data = readFileSync(fileOf(key));
    const meta = JSON.parse(readFileSync(metaOf(key), "utf8")) as Record<string, string>;
    if (method === "HEAD") {
      res.writeHead(200, { "content-length": String(data.length), ...meta });
      res.end();
      return;
    }
    let slice = data;
    let status = 200;
    const headers: Record<string, string> = { ...meta };
    const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ""));
    if (range) {
      const start = Number(range[1]);
      const end = Math.min(data.length - 1, range[2] === "" ? data.length - 1 : Number(range[2]));
      if (start >= data.length) return fail(res, 416, "InvalidRange");
      slice = data.subarray(start, end + 1);
      status = 206;
      headers["content-range"] = `bytes ${start}-${end}/${data.length}`;
    }
    const cut = cuts.find((c) => c.left > 0 && key.endsWith(c.suffix));
    res.writeHead(status, { ...headers, "content-length": String(slice.length) });
    if (cut) {
      cut.left--;
      res.write(slice.subarray(0, Math.min(cut.afterBytes, slice.length - 1)));
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    res.end(slice);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => fail(res, 500, "InternalError", String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    region,
    accessKeyId,
    secretAccessKey,
    counts,
    uploads,
    cutGets(suffix, afterBytes, n = 1) {
      cuts.push({ suffix, afterBytes, left: n });
    },
    corrupt(key, bytes) {
      writeFileSync(fileOf(key), bytes);
    },
    keys,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
