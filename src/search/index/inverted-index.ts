import type { Bm25Params, Field } from "../rank/bm25.ts";

/** Postings are cut into blocks of this many; each block keeps its last document and its highest impact. */
export const BLOCK_SIZE = 64;
/** The document number a cursor reports once its list is exhausted. */
export const END = 0xffffffff;

/**
 * The in-memory inverted index: every array is typed and flat, so it saves and loads as a few buffers.
 *
 * For term t, its postings are numbers `postingStart[t] .. postingStart[t+1]` (one 8-bit impact each in
 * `impacts`) and its blocks `blockStart[t] .. blockStart[t+1]`. Block b holds document numbers as varint gaps in
 * `docBytes[blockDocByte[b] ..]` (the first gap counted from the previous block's last document) and the
 * positions of each posting (count, then gaps) in `posBytes[blockPosByte[b] ..]`.
 */
export interface InvertedIndexData {
  ids: string[];
  terms: string[];
  params: Bm25Params;
  averageLength: Record<Field, number>;
  df: Uint32Array;
  termMax: Uint8Array;
  postingStart: Uint32Array;
  blockStart: Uint32Array;
  blockLast: Uint32Array;
  blockMax: Uint8Array;
  blockDocByte: Uint32Array;
  blockPosByte: Uint32Array;
  docBytes: Uint8Array;
  /** Empty when the positions are left in a file (`positionsOnDisk`). */
  posBytes: Uint8Array;
  impacts: Uint8Array;
  /**
   * The `posBytes` of an index loaded with its positions left in the engine file: each block's positions are
   * read when a phrase or proximity check asks for them.
   */
  positionsOnDisk?: ByteSource;
}

/** Bytes kept outside memory (a file), read in ranges. */
export interface ByteSource {
  readonly length: number;
  /** Bytes `from` .. `to` - 1. */
  read(from: number, to: number): Uint8Array;
}

export class InvertedIndex {
  readonly data: InvertedIndexData;
  /**
   * The companion index of exact word forms (folded, unstemmed; no positions) over the same documents, numbered
   * alike: a query word's exact form scores on top of its stem (`rank/exact-forms.ts`). Null in the exact index
   * itself and in indexes built without one.
   */
  readonly exact: InvertedIndex | null;
  private readonly lookup: Map<string, number>;

  constructor(data: InvertedIndexData, exact: InvertedIndex | null = null) {
    if (exact !== null && exact.documentCount !== data.ids.length) {
      throw new Error(
        `the exact-form index has ${exact.documentCount} documents, the index ${data.ids.length}`,
      );
    }
    this.data = data;
    this.exact = exact;
    this.lookup = new Map();
    data.terms.forEach((term, i) => {
      this.lookup.set(term, i);
    });
  }

  get documentCount(): number {
    return this.data.ids.length;
  }

  get termCount(): number {
    return this.data.terms.length;
  }

  /** The term's number, or -1 when no document has it. */
  termId(term: string): number {
    return this.lookup.get(term) ?? -1;
  }

  documentFrequency(termId: number): number {
    return this.data.df[termId] ?? 0;
  }

  cursor(termId: number): PostingCursor {
    return new PostingCursor(this.data, termId);
  }
}

/** Walks one term's postings in document order; skips whole blocks by their last document. */
export class PostingCursor {
  /** Current document, or END. */
  doc = END;
  private block: number;
  private readonly blockEnd: number;
  private readonly firstBlock: number;
  private readonly firstPosting: number;
  private readonly docs = new Uint32Array(BLOCK_SIZE);
  private count = 0;
  private at = 0;
  private shallow: number;

  constructor(
    private readonly d: InvertedIndexData,
    readonly termId: number,
  ) {
    this.firstBlock = d.blockStart[termId] ?? 0;
    this.blockEnd = d.blockStart[termId + 1] ?? 0;
    this.firstPosting = d.postingStart[termId] ?? 0;
    this.block = this.firstBlock;
    this.shallow = this.firstBlock;
    if (this.block < this.blockEnd) this.decode();
  }

  /** The 8-bit impact of the current posting. */
  impact(): number {
    return this.d.impacts[this.postingIndex()] ?? 0;
  }

  next(): number {
    if (this.doc === END) return END;
    if (++this.at < this.count) {
      this.doc = this.docs[this.at] as number;
      return this.doc;
    }
    this.block++;
    if (this.block < this.blockEnd) this.decode();
    else this.doc = END;
    return this.doc;
  }

  /** Moves to the first document >= target. */
  advance(target: number): number {
    if (this.doc >= target) return this.doc;
    const { blockLast } = this.d;
    if ((blockLast[this.block] as number) < target) {
      let b = this.block + 1;
      while (b < this.blockEnd && (blockLast[b] as number) < target) b++;
      this.block = b;
      if (b >= this.blockEnd) {
        this.doc = END;
        return END;
      }
      this.decode();
    }
    while ((this.docs[this.at] as number) < target) this.at++;
    this.doc = this.docs[this.at] as number;
    return this.doc;
  }

  /**
   * The highest impact this term can have on `target` without decoding anything: the maximum of the block that
   * would hold it, or 0 when the list ends before it. Targets must not decrease between calls.
   */
  blockMaxFor(target: number): number {
    const { blockLast, blockMax } = this.d;
    if (this.shallow < this.block) this.shallow = this.block;
    while (this.shallow < this.blockEnd && (blockLast[this.shallow] as number) < target) this.shallow++;
    return this.shallow < this.blockEnd ? (blockMax[this.shallow] as number) : 0;
  }

  /** Positions of the term in the current document (title first, then authors, then abstract). */
  positions(): number[] {
    const onDisk = this.d.positionsOnDisk;
    const blockPos = this.d.blockPosByte;
    const b = this.block;
    const bytes =
      onDisk === undefined ? this.d.posBytes : onDisk.read(blockPos[b] as number, blockPos[b + 1] as number);
    let p = onDisk === undefined ? (blockPos[b] as number) : 0;
    const read = (): number => {
      let value = 0;
      let scale = 1;
      for (;;) {
        const byte = bytes[p++] as number;
        value += (byte & 0x7f) * scale;
        if (byte < 0x80) return value;
        scale *= 128;
      }
    };
    for (let i = 0; i < this.at; i++) {
      const n = read();
      for (let j = 0; j < n; j++) read();
    }
    const n = read();
    const out = new Array<number>(n);
    let position = 0;
    for (let j = 0; j < n; j++) {
      position += read();
      out[j] = position;
    }
    return out;
  }

  private postingIndex(): number {
    return this.firstPosting + (this.block - this.firstBlock) * BLOCK_SIZE + this.at;
  }

  private decode(): void {
    const { blockDocByte, docBytes, postingStart, blockStart } = this.d;
    const b = this.block;
    let p = blockDocByte[b] as number;
    const isLast = b === this.blockEnd - 1;
    const total = (postingStart[this.termId + 1] as number) - this.firstPosting;
    this.count = isLast ? total - (b - this.firstBlock) * BLOCK_SIZE : BLOCK_SIZE;
    let doc = b === (blockStart[this.termId] as number) ? 0 : (this.d.blockLast[b - 1] as number);
    for (let i = 0; i < this.count; i++) {
      let gap = 0;
      let scale = 1;
      for (;;) {
        const byte = docBytes[p++] as number;
        gap += (byte & 0x7f) * scale;
        if (byte < 0x80) break;
        scale *= 128;
      }
      doc += gap;
      this.docs[i] = doc;
    }
    this.at = 0;
    this.doc = this.docs[0] as number;
  }
}
