import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { Scored } from "../index/top-k.ts";
import { TopK } from "../index/top-k.ts";
import { type StreamedArray, writeContainer } from "../persist/container.ts";
import { dot } from "./embedder.ts";
import type { ExactVectors, VectorFilter } from "./vector-index.ts";

/** Rows read per call when every row is read (an exact search, a save): 4 MiB at 512 floats. */
const SCAN_ROWS = 2_048;

/** Closes the file of a `DiskVectors` nobody holds any more (an engine replaced by a newer build). */
const closer = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
});

/**
 * Exact document vectors left in a file (the engine file's `vectors` array, or the scratch file a build
 * embeds into): each row asked for is read with one positioned read on a descriptor opened once, so a
 * million papers' 1.9 GiB of floats are not held in memory. The bytes read are the floats that were written,
 * and scores use the same `dot` as `FlatVectorIndex`, so every score is identical to the in-memory one.
 *
 * The file stays open for the object's life (closed by `close` or when it is collected): a build replaced
 * meanwhile keeps being readable, as Linux keeps a removed file's open descriptors valid.
 */
export class DiskVectors implements ExactVectors {
  readonly kind = "flat";
  readonly dimensions: number;
  readonly size: number;
  readonly path: string;
  /** Byte offset of row 0 in the file. */
  private readonly offset: number;
  private fd: number;
  private readonly rowBytes: number;
  /** One row, reused by `score` (reads are synchronous, so nothing else uses it meanwhile). */
  private readonly scratch: Float32Array;

  constructor(path: string, offset: number, dimensions: number, size: number) {
    if (!Number.isInteger(dimensions) || dimensions < 1)
      throw new Error(`bad vector dimensions ${dimensions}`);
    this.path = path;
    this.offset = offset;
    this.dimensions = dimensions;
    this.size = size;
    this.rowBytes = dimensions * 4;
    this.scratch = new Float32Array(dimensions);
    this.fd = openSync(path, "r");
    if (fstatSync(this.fd).size < offset + size * this.rowBytes) {
      closeSync(this.fd);
      throw new Error(`${path} is truncated: it cannot hold ${size} vectors of ${dimensions} floats`);
    }
    closer.register(this, this.fd, this);
  }

  /** Closes the file now; the object is unusable afterwards. */
  close(): void {
    if (this.fd < 0) return;
    closer.unregister(this);
    closeSync(this.fd);
    this.fd = -1;
  }

  /** Reads rows `start` .. `end` - 1 into `into` (as many floats as they hold). */
  private read(start: number, end: number, into: Float32Array): void {
    if (start < 0 || end > this.size || start > end)
      throw new RangeError(`rows ${start}..${end} outside 0..${this.size}`);
    const bytes = new Uint8Array(into.buffer, into.byteOffset, (end - start) * this.rowBytes);
    const position = this.offset + start * this.rowBytes;
    for (let done = 0; done < bytes.length; ) {
      const n = readSync(this.fd, bytes, done, bytes.length - done, position + done);
      if (n === 0) throw new Error(`${this.path} is truncated`);
      done += n;
    }
  }

  row(doc: number): Float32Array {
    const out = new Float32Array(this.dimensions);
    this.read(doc, doc + 1, out);
    return out;
  }

  rows(start: number, end: number): Float32Array {
    const out = new Float32Array((end - start) * this.dimensions);
    this.read(start, end, out);
    return out;
  }

  score(query: Float32Array, doc: number): number {
    this.read(doc, doc + 1, this.scratch);
    return dot(query, this.scratch, 0);
  }

  /** Exact search reading every row in blocks: what a small engine or one without a graph would do. */
  search(query: Float32Array, k: number, filter?: VectorFilter): Scored[] {
    const top = new TopK(k);
    const d = this.dimensions;
    const block = new Float32Array(SCAN_ROWS * d);
    for (let start = 0; start < this.size; start += SCAN_ROWS) {
      const end = Math.min(this.size, start + SCAN_ROWS);
      this.read(start, end, block);
      for (let doc = start; doc < end; doc++) {
        if (filter !== undefined && !filter(doc)) continue;
        top.offer(doc, dot(query, block, (doc - start) * d));
      }
    }
    return top.sorted();
  }

  add(): void {
    throw new Error("vectors read from a file are read-only");
  }

  save(path: string): void {
    writeContainer(path, { dimensions: this.dimensions }, { vectors: this.streamed() });
  }

  /** The rows as a container array written in blocks (saving an engine whose vectors are on disk). */
  streamed(): StreamedArray {
    return {
      kind: "Float32Array",
      length: this.size * this.dimensions,
      chunks: () => this.blocks(),
    };
  }

  private *blocks(): Iterable<Uint8Array> {
    const rows = SCAN_ROWS * 8;
    for (let start = 0; start < this.size; start += rows) {
      const part = this.rows(start, Math.min(this.size, start + rows));
      yield new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
    }
  }
}
