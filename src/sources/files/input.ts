import { closeSync, createReadStream, openSync, readSync, statSync } from "node:fs";
import { type Readable, Transform } from "node:stream";
import { createGunzip } from "node:zlib";

/** A file opened for import: its decompressed content as a stream, and how far through the file we are. */
export interface ImportInput {
  path: string;
  /** Size on disk (compressed size for .gz), for progress and ETA. */
  size: number;
  /** Bytes of the file on disk read so far. */
  bytesRead(): number;
  compressed: boolean;
  content: Readable;
}

function isGzip(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const magic = Buffer.alloc(2);
    return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** Opens a plain or gzip file (recognised by its bytes, not its name) as a stream of text. */
export function openInput(path: string): ImportInput {
  const size = statSync(path).size;
  const compressed = size >= 2 && isGzip(path);
  let read = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      read += chunk.length;
      done(null, chunk);
    },
  });
  const raw = createReadStream(path, { highWaterMark: 256 * 1024 });
  raw.on("error", (error) => counter.destroy(error));
  let content: Readable = raw.pipe(counter);
  if (compressed) {
    const gunzip = createGunzip();
    counter.on("error", (error) => gunzip.destroy(error));
    content = counter.pipe(gunzip);
  }
  return { path, size, bytesRead: () => read, compressed, content };
}
