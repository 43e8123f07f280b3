import type { Analyzer } from "../../core/text/analyzer.ts";
import {
  type Bm25Params,
  DEFAULT_BM25,
  FIELDS,
  type Field,
  pseudoFrequency,
  quantizeImpact,
  saturate,
} from "../rank/bm25.ts";
import { exactFormAnalyzer } from "../rank/exact-forms.ts";
import type { SearchDocument } from "../types.ts";
import { Growable, pushVarint } from "./growable.ts";
import { BLOCK_SIZE, InvertedIndex } from "./inverted-index.ts";

/**
 * The keyword index of an engine: the stem index with its companion of exact word forms (`InvertedIndex.exact`,
 * no positions), both built with the same BM25F parameters.
 */
export function buildKeywordIndex(
  docs: Iterable<SearchDocument>,
  analyzer: Analyzer,
  params: Bm25Params = DEFAULT_BM25,
  averageLength?: { stems: Record<Field, number>; exact: Record<Field, number> },
): InvertedIndex {
  const stems = buildIndex(docs, analyzer, params, { averageLength: averageLength?.stems });
  const exact = buildIndex(docs, exactFormAnalyzer(analyzer), params, {
    positions: false,
    averageLength: averageLength?.exact,
  });
  return new InvertedIndex(stems.data, exact);
}

/** Positions of successive fields are this far apart, so no phrase runs across a field boundary. */
export const FIELD_GAP = 100;
/** Positions are kept up to this value (the first ~65k tokens of a document). */
const MAX_POSITION = 0xffff;

/** The text of each field of a document, as the index reads it. */
export function documentFields(doc: SearchDocument): Record<Field, string> {
  return { title: doc.title, authors: doc.authors.join(" ; "), abstract: doc.abstract };
}

interface TermInDoc {
  tf: [number, number, number];
  positions: number[];
}

/**
 * Builds the index in two passes: documents are analyzed into document-major postings (term, field
 * frequencies, positions) in growable typed arrays; then, with document frequencies and average field lengths
 * known, postings are sorted into term-major order by counting and encoded into blocks with impacts.
 */
export function buildIndex(
  docs: Iterable<SearchDocument>,
  analyzer: Analyzer,
  params: Bm25Params = DEFAULT_BM25,
  /** averageLength: field lengths to score with instead of this set's own (a delta segment uses its base's). */
  options: { positions?: boolean; averageLength?: Record<Field, number> } = {},
): InvertedIndex {
  const keepPositions = options.positions ?? true;
  const ids: string[] = [];
  const termIds = new Map<string, number>();
  const terms: string[] = [];
  const pTerm = new Growable(Uint32Array);
  const pTf = new Growable(Uint16Array);
  const pPosCount = new Growable(Uint16Array);
  const positions = new Growable(Uint16Array);
  const docPostingEnd = new Growable(Uint32Array);
  const fieldLength = FIELDS.map(() => new Growable(Uint32Array));

  for (const doc of docs) {
    ids.push(doc.id);
    const fields = documentFields(doc);
    const inDoc = new Map<number, TermInDoc>();
    let offset = 0;
    FIELDS.forEach((field, f) => {
      const analyzed = analyzer.analyze(fields[field]);
      let last = -1;
      for (const { term, position } of analyzed) {
        let id = termIds.get(term);
        if (id === undefined) {
          id = terms.length;
          termIds.set(term, id);
          terms.push(term);
        }
        let entry = inDoc.get(id);
        if (!entry) {
          entry = { tf: [0, 0, 0], positions: [] };
          inDoc.set(id, entry);
        }
        entry.tf[f] = (entry.tf[f] as number) + 1;
        const at = offset + position;
        if (keepPositions && at <= MAX_POSITION) entry.positions.push(at);
        last = position;
      }
      (fieldLength[f] as Growable<Uint32Array>).push(analyzed.length);
      offset += last + 1 + FIELD_GAP;
    });
    for (const [id, entry] of inDoc) {
      pTerm.push(id);
      for (const tf of entry.tf) pTf.push(Math.min(tf, 0xffff));
      if (keepPositions) pPosCount.push(Math.min(entry.positions.length, 0xffff));
      positions.reserve(entry.positions.length);
      for (const p of entry.positions) positions.push(p);
    }
    docPostingEnd.push(pTerm.length);
  }

  const n = ids.length;
  const lengths = fieldLength.map((g) => g.view());
  const averageLength =
    options.averageLength ??
    (Object.fromEntries(
      FIELDS.map((field, f) => {
        let sum = 0;
        for (const len of lengths[f] as Uint32Array) sum += len;
        return [field, n === 0 ? 0 : sum / n];
      }),
    ) as Record<Field, number>);

  // The field frequencies are needed only for the impacts, so they go before the sort's arrays are allocated,
  // and the document-major postings go once sorted (at a million papers these are the build's largest arrays).
  const termCount = terms.length;
  const ends = docPostingEnd.view();
  const sourceImpacts = documentOrderImpacts(
    pTf.view(),
    ends,
    lengths as [Uint32Array, Uint32Array, Uint32Array],
    averageLength,
    params,
  );
  pTf.release();
  const { df, postingStart, sortedDoc, sortedPosStart, sortedPosCount, impacts } = sortByTerm(
    pTerm,
    keepPositions ? pPosCount : null,
    ends,
    sourceImpacts,
    termCount,
  );
  pTerm.release();
  pPosCount.release();

  // Encode blocks.
  const blockStart = new Uint32Array(termCount + 1);
  const blockLast = new Growable(Uint32Array);
  const blockMax = new Growable(Uint8Array);
  const blockDocByte = new Growable(Uint32Array);
  const blockPosByte = new Growable(Uint32Array);
  const docBytes = new Growable(Uint8Array, 1 << 16);
  const posBytes = new Growable(Uint8Array, 1 << 16);
  const termMax = new Uint8Array(termCount);
  const allPositions = positions.view();
  for (let t = 0; t < termCount; t++) {
    blockStart[t] = blockLast.length;
    const start = postingStart[t] as number;
    const end = postingStart[t + 1] as number;
    let previous = 0;
    for (let b = start; b < end; b += BLOCK_SIZE) {
      blockDocByte.push(docBytes.length);
      blockPosByte.push(posBytes.length);
      let max = 0;
      const stop = Math.min(end, b + BLOCK_SIZE);
      for (let j = b; j < stop; j++) {
        const doc = sortedDoc[j] as number;
        pushVarint(docBytes, doc - previous);
        previous = doc;
        const impact = impacts[j] as number;
        if (impact > max) max = impact;
        const count = sortedPosCount === null ? 0 : (sortedPosCount[j] as number);
        pushVarint(posBytes, count);
        let last = 0;
        const from = sortedPosStart === null ? 0 : (sortedPosStart[j] as number);
        for (let k = from; k < from + count; k++) {
          const p = allPositions[k] as number;
          pushVarint(posBytes, p - last);
          last = p;
        }
      }
      blockLast.push(previous);
      blockMax.push(max);
      if (max > (termMax[t] as number)) termMax[t] = max;
    }
  }
  blockStart[termCount] = blockLast.length;
  blockDocByte.push(docBytes.length);
  blockPosByte.push(posBytes.length);

  return new InvertedIndex({
    ids,
    terms,
    params,
    averageLength,
    df,
    termMax,
    postingStart,
    blockStart,
    blockLast: blockLast.toArray(),
    blockMax: blockMax.toArray(),
    blockDocByte: blockDocByte.toArray(),
    blockPosByte: blockPosByte.toArray(),
    docBytes: docBytes.toArray(),
    posBytes: posBytes.toArray(),
    impacts,
  });
}

/** The quantized BM25F impact of each posting, in the document-major order the postings were analyzed in. */
function documentOrderImpacts(
  tfs: Uint16Array,
  ends: Uint32Array,
  lengths: readonly [Uint32Array, Uint32Array, Uint32Array],
  averageLength: Record<Field, number>,
  params: Bm25Params,
): Uint8Array {
  const impacts = new Uint8Array(tfs.length / 3);
  const tf = { title: 0, authors: 0, abstract: 0 };
  const len = { title: 0, authors: 0, abstract: 0 };
  let i = 0;
  for (let d = 0; d < ends.length; d++) {
    len.title = lengths[0][d] as number;
    len.authors = lengths[1][d] as number;
    len.abstract = lengths[2][d] as number;
    for (const end = ends[d] as number; i < end; i++) {
      tf.title = tfs[3 * i] as number;
      tf.authors = tfs[3 * i + 1] as number;
      tf.abstract = tfs[3 * i + 2] as number;
      impacts[i] = quantizeImpact(saturate(pseudoFrequency(tf, len, averageLength, params), params.k1));
    }
  }
  return impacts;
}

/**
 * Counting sort of the document-major postings into term-major order: each posting's document, impact and
 * where its positions are among the document-major positions.
 */
function sortByTerm(
  pTerm: Growable<Uint32Array>,
  /** Null for an index without positions (then nothing is kept of them: every count is 0). */
  pPosCount: Growable<Uint16Array> | null,
  ends: Uint32Array,
  sourceImpacts: Uint8Array,
  termCount: number,
) {
  const postingCount = pTerm.length;
  const termOf = pTerm.view();
  const df = new Uint32Array(termCount);
  for (let i = 0; i < postingCount; i++) {
    const t = termOf[i] as number;
    df[t] = (df[t] as number) + 1;
  }
  const postingStart = new Uint32Array(termCount + 1);
  for (let t = 0; t < termCount; t++) postingStart[t + 1] = (postingStart[t] as number) + (df[t] as number);
  const fill = postingStart.slice(0, termCount);
  const sortedDoc = new Uint32Array(postingCount);
  const sortedPosStart = pPosCount === null ? null : new Uint32Array(postingCount);
  const sortedPosCount = pPosCount === null ? null : new Uint16Array(postingCount);
  const impacts = new Uint8Array(postingCount);
  const posCount = pPosCount?.view() ?? null;
  let running = 0;
  let i = 0;
  for (let d = 0; d < ends.length; d++) {
    for (const end = ends[d] as number; i < end; i++) {
      const t = termOf[i] as number;
      const j = fill[t] as number;
      fill[t] = j + 1;
      impacts[j] = sourceImpacts[i] as number;
      sortedDoc[j] = d;
      if (posCount === null || sortedPosStart === null || sortedPosCount === null) continue;
      const count = posCount[i] as number;
      sortedPosStart[j] = running;
      sortedPosCount[j] = count;
      running += count;
    }
  }
  return { df, postingStart, sortedDoc, sortedPosStart, sortedPosCount, impacts };
}
