import { END, type InvertedIndex, type PostingCursor } from "./inverted-index.ts";

/** A phrase as term numbers with their offsets from the phrase's first word (stop words leave gaps). */
export interface PhraseTerms {
  termIds: number[];
  offsets: number[];
}

/** Does some start position p have every term i at p + offsets[i]? */
function positionsMatch(lists: number[][], offsets: readonly number[]): boolean {
  const first = lists[0] as number[];
  const sets = lists.slice(1).map((l) => new Set(l));
  for (const p of first) {
    const start = p - (offsets[0] as number);
    let all = true;
    for (let i = 1; i < lists.length && all; i++) {
      all = (sets[i - 1] as Set<number>).has(start + (offsets[i] as number));
    }
    if (all) return true;
  }
  return false;
}

/**
 * The documents (ascending) that contain every phrase, each with its words in order at their offsets. Lists
 * are intersected by leapfrogging from the rarest term; positions are read only for documents with all terms.
 */
export function matchPhrases(index: InvertedIndex, phrases: readonly PhraseTerms[]): Uint32Array {
  const all = phrases.flatMap((p) => p.termIds);
  if (all.length === 0 || all.some((t) => t < 0)) return new Uint32Array(0);
  const unique = [...new Set(all)].sort((a, b) => index.documentFrequency(a) - index.documentFrequency(b));
  const cursors = new Map<number, PostingCursor>(unique.map((t) => [t, index.cursor(t)]));
  const lead = cursors.get(unique[0] as number) as PostingCursor;
  const out: number[] = [];
  let doc = lead.doc;
  while (doc !== END) {
    let agreed = true;
    for (const t of unique) {
      const d = (cursors.get(t) as PostingCursor).advance(doc);
      if (d !== doc) {
        doc = d === END ? END : lead.advance(d);
        agreed = false;
        break;
      }
    }
    if (!agreed) continue;
    const ok = phrases.every((p) =>
      positionsMatch(
        p.termIds.map((t) => (cursors.get(t) as PostingCursor).positions()),
        p.offsets,
      ),
    );
    if (ok) out.push(doc);
    doc = lead.next();
  }
  return Uint32Array.from(out);
}
