import { Growable } from "./index/growable.ts";
import type { SearchDocument } from "./types.ts";

/**
 * Documents a build reads by number and in order: an array, or `PackedDocuments`. (An array is one: `at`,
 * `slice`, `length` and iteration are all a build uses.)
 */
export interface DocumentList<T = SearchDocument> extends Iterable<T> {
  readonly length: number;
  /** Document `i`, for 0 <= i < length. */
  at(i: number): T | undefined;
  slice(start: number, end: number): T[];
}

/** Bytes a chunk of packed text holds (a document longer than this gets a chunk of its own). */
const CHUNK_BYTES = 64 << 20;
/** Separates a packed document's fields; stored text never holds it (the store refuses NUL bytes). */
const SEP = "\u0000";

/**
 * The documents of a full build, held as UTF-8 in large buffers instead of a JS object and strings per paper:
 * at a million papers the text is ~1.1 GB either way, but outside the JS heap it costs no object headers and,
 * more, the garbage collector no longer sizes the heap on it (a heap holding the text grew to twice that with
 * garbage between collections). A document is decoded each time it is read; a build reads each a few times.
 */
export class PackedDocuments implements DocumentList<SearchDocument> {
  private readonly ids: string[] = [];
  private readonly chunks: Buffer[] = [];
  private current: Buffer = Buffer.alloc(0);
  private used = 0;
  private readonly chunkOf = new Growable(Uint32Array);
  private readonly start = new Growable(Uint32Array);
  private readonly end = new Growable(Uint32Array);

  get length(): number {
    return this.ids.length;
  }

  push(doc: SearchDocument): void {
    const fields = [doc.title, doc.abstract, ...doc.authors];
    if (fields.some((f) => f.includes(SEP)))
      throw new Error(`paper ${doc.id} has a NUL character in its text`);
    const text = fields.join(SEP);
    const bytes = Buffer.byteLength(text);
    if (this.used + bytes > this.current.length) {
      this.current = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes));
      this.chunks.push(this.current);
      this.used = 0;
    }
    this.chunkOf.push(this.chunks.length - 1);
    this.start.push(this.used);
    this.used += this.current.write(text, this.used);
    this.end.push(this.used);
    this.ids.push(doc.id);
  }

  at(i: number): SearchDocument | undefined {
    const id = this.ids[i];
    if (id === undefined) return undefined;
    const chunk = this.chunks[this.chunkOf.storage()[i] as number] as Buffer;
    const [title, abstract, ...authors] = chunk
      .toString("utf8", this.start.storage()[i], this.end.storage()[i])
      .split(SEP);
    return { id, title: title as string, abstract: abstract ?? "", authors };
  }

  slice(start: number, end: number): SearchDocument[] {
    const out: SearchDocument[] = [];
    for (let i = Math.max(0, start); i < Math.min(end, this.length); i++)
      out.push(this.at(i) as SearchDocument);
    return out;
  }

  *[Symbol.iterator](): Iterator<SearchDocument> {
    for (let i = 0; i < this.length; i++) yield this.at(i) as SearchDocument;
  }
}
