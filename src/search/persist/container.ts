import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";

/**
 * A file of named typed arrays plus a JSON header, so an index loads as views on one buffer without parsing:
 *
 *   "PBSI" | u32 version | u32 header bytes | header JSON | padding to 8 | array bytes (each 8-aligned)
 *
 * The header holds the caller's metadata and where each array lies.
 */
const MAGIC = "PBSI";
const VERSION = 1;

export type StoredArray = Uint8Array | Uint16Array | Uint32Array | Float32Array;
const KINDS = { Uint8Array, Uint16Array, Uint32Array, Float32Array } as const;
export type ArrayKind = keyof typeof KINDS;
type Kind = ArrayKind;

/**
 * An array written from somewhere other than memory (a million papers' vectors, read back from a file in
 * pieces): its kind, its length in elements and its bytes in order.
 */
export interface StreamedArray {
  readonly kind: ArrayKind;
  readonly length: number;
  chunks(): Iterable<Uint8Array>;
}

/** Where an array that was not read lies in the file (absolute byte offset), to read parts of it later. */
export interface ArrayLocation {
  kind: ArrayKind;
  /** Byte offset of the array's first element in the file. */
  offset: number;
  /** Elements. */
  length: number;
}

const BYTES: Record<ArrayKind, number> = { Uint8Array: 1, Uint16Array: 2, Uint32Array: 4, Float32Array: 4 };

function isStreamed(array: StoredArray | StreamedArray): array is StreamedArray {
  return !ArrayBuffer.isView(array);
}

function byteLengthOf(array: StoredArray | StreamedArray): number {
  return isStreamed(array) ? array.length * BYTES[array.kind] : array.byteLength;
}

interface Header {
  meta: unknown;
  arrays: Record<string, { kind: Kind; offset: number; length: number }>;
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** Bytes per read or write call: Node refuses single calls of 2 GiB or more, and a million papers' vectors are. */
const CHUNK = 1 << 30;

/**
 * (`chunkBytes` is for tests: the chunked loops run on small arrays too.)
 *
 * Writes arrays and metadata to `path` atomically (a temporary file, flushed to disk, renamed into place). The
 * arrays go straight from memory to the file in chunks: the file may be larger than 2 GiB (a million papers'
 * vectors are) and is never assembled in memory a second time.
 */
export function writeContainer(
  path: string,
  meta: unknown,
  arrays: Record<string, StoredArray | StreamedArray>,
  chunkBytes = CHUNK,
): void {
  const header: Header = { meta, arrays: {} };
  let offset = 0;
  for (const [name, array] of Object.entries(arrays)) {
    const kind = isStreamed(array) ? array.kind : (array.constructor.name as Kind);
    header.arrays[name] = { kind, offset, length: array.length };
    offset = align8(offset + byteLengthOf(array));
  }
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const start = align8(12 + json.length);
  const head = Buffer.alloc(start);
  head.write(MAGIC, 0, "latin1");
  head.writeUInt32LE(VERSION, 4);
  head.writeUInt32LE(json.length, 8);
  json.copy(head, 12);
  const temporary = `${path}.tmp-${process.pid}`;
  const fd = openSync(temporary, "w");
  try {
    writeAll(fd, head, 0, chunkBytes);
    for (const [name, array] of Object.entries(arrays)) {
      let at = start + (header.arrays[name] as { offset: number }).offset;
      if (!isStreamed(array)) {
        writeAll(fd, new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at, chunkBytes);
        continue;
      }
      const end = at + byteLengthOf(array);
      for (const chunk of array.chunks()) {
        if (at + chunk.length > end) throw new Error(`array ${name} streamed more bytes than its length`);
        writeAll(fd, chunk, at, chunkBytes);
        at += chunk.length;
      }
      if (at !== end) throw new Error(`array ${name} streamed ${end - at} bytes fewer than its length`);
    }
    // The last array's padding, so the file is as long as the header says.
    if (start + offset > fstatSync(fd).size) ftruncateSync(fd, start + offset);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
}

function writeAll(fd: number, bytes: Uint8Array, position: number, chunkBytes: number): void {
  for (let done = 0; done < bytes.length; ) {
    const n = Math.min(chunkBytes, bytes.length - done);
    done += writeSync(fd, bytes, done, n, position + done);
  }
}

function readAll(fd: number, into: Uint8Array, position: number, path: string, chunkBytes: number): void {
  for (let done = 0; done < into.length; ) {
    const n = readSync(fd, into, done, Math.min(chunkBytes, into.length - done), position + done);
    if (n === 0) throw new Error(`${path} is truncated`);
    done += n;
  }
}

/**
 * Reads a container: each array is read from the file straight into its own typed array (files over 2 GiB
 * included). Throws on a foreign, newer or truncated file.
 */
export function readContainer(
  path: string,
  chunkBytes = CHUNK,
  /**
   * Read only these arrays, or those the function accepts given the metadata (the others are skipped, not
   * read: `located` says where they lie).
   */
  only?: ReadonlySet<string> | ((name: string, meta: unknown) => boolean),
): { meta: unknown; arrays: Record<string, StoredArray>; located: Record<string, ArrayLocation> } {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const prefix = Buffer.alloc(12);
    if (size < 12 || readSync(fd, prefix, 0, 12, 0) < 12 || prefix.toString("latin1", 0, 4) !== MAGIC) {
      throw new Error(`${path} is not a Paperboy search index file`);
    }
    const version = prefix.readUInt32LE(4);
    if (version !== VERSION)
      throw new Error(`${path} has index format ${version}; this version reads ${VERSION}`);
    const headerLength = prefix.readUInt32LE(8);
    if (12 + headerLength > size) throw new Error(`${path} is truncated`);
    const json = Buffer.alloc(headerLength);
    readAll(fd, json, 12, path, chunkBytes);
    const header = JSON.parse(json.toString("utf8")) as Header;
    const start = align8(12 + headerLength);
    const arrays: Record<string, StoredArray> = {};
    const located: Record<string, ArrayLocation> = {};
    for (const [name, { kind, offset, length }] of Object.entries(header.arrays)) {
      const make = KINDS[kind];
      if (!make) throw new Error(`${path}: unknown array kind ${kind}`);
      const wanted =
        only === undefined || (typeof only === "function" ? only(name, header.meta) : only.has(name));
      if (!wanted) {
        located[name] = { kind, offset: start + offset, length };
        continue;
      }
      const array = new make(length);
      if (start + offset + array.byteLength > size) throw new Error(`${path} is truncated`);
      readAll(fd, new Uint8Array(array.buffer, 0, array.byteLength), start + offset, path, chunkBytes);
      arrays[name] = array;
    }
    return { meta: header.meta, arrays, located };
  } finally {
    closeSync(fd);
  }
}

/** Closes the file of a `FileBytes` nobody holds any more. */
const fileCloser = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
});

/**
 * A Uint8Array array of a container left in the file and read in ranges (an index's positions, needed only for
 * the few documents a phrase or proximity check looks at). The file stays open for the object's life.
 */
export class FileBytes {
  readonly length: number;
  private readonly fd: number;

  constructor(
    readonly path: string,
    /** Byte offset of the array in the file (`ArrayLocation.offset`). */
    private readonly offset: number,
    length: number,
  ) {
    this.length = length;
    this.fd = openSync(path, "r");
    if (fstatSync(this.fd).size < offset + length) {
      closeSync(this.fd);
      throw new Error(`${path} is truncated`);
    }
    fileCloser.register(this, this.fd);
  }

  read(from: number, to: number): Uint8Array {
    if (from < 0 || to > this.length || from > to)
      throw new RangeError(`bytes ${from}..${to} outside 0..${this.length}`);
    const out = new Uint8Array(to - from);
    readAll(this.fd, out, this.offset + from, this.path, CHUNK);
    return out;
  }

  /** The bytes as a container array written in blocks of 64 MiB. */
  streamed(): StreamedArray {
    const block = 1 << 26;
    const self = this;
    return {
      kind: "Uint8Array",
      length: this.length,
      *chunks() {
        for (let at = 0; at < self.length; at += block)
          yield self.read(at, Math.min(self.length, at + block));
      },
    };
  }
}
