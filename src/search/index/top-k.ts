/** A scored document number. */
export interface Scored {
  doc: number;
  score: number;
}

/** Is (scoreA, docA) ranked before (scoreB, docB)? Higher score first, then lower document number. */
export function ranksBefore(scoreA: number, docA: number, scoreB: number, docB: number): boolean {
  return scoreA > scoreB || (scoreA === scoreB && docA < docB);
}

/** Keeps the best k scored documents in a binary min-heap whose root is the worst kept. */
export class TopK {
  private readonly docs: Uint32Array;
  private readonly scores: Float64Array;
  size = 0;

  constructor(readonly k: number) {
    this.docs = new Uint32Array(Math.max(1, k));
    this.scores = new Float64Array(Math.max(1, k));
  }

  get full(): boolean {
    return this.size >= this.k;
  }

  /** The score a document must beat to enter, -Infinity while not full. */
  get threshold(): number {
    return this.full ? (this.scores[0] as number) : Number.NEGATIVE_INFINITY;
  }

  /** Offers a document; returns whether it was kept. */
  offer(doc: number, score: number): boolean {
    if (this.k <= 0) return false;
    if (this.size < this.k) {
      this.docs[this.size] = doc;
      this.scores[this.size] = score;
      this.up(this.size++);
      return true;
    }
    if (!ranksBefore(score, doc, this.scores[0] as number, this.docs[0] as number)) return false;
    this.docs[0] = doc;
    this.scores[0] = score;
    this.down(0);
    return true;
  }

  /** The kept documents, best first. */
  sorted(): Scored[] {
    const out: Scored[] = [];
    for (let i = 0; i < this.size; i++)
      out.push({ doc: this.docs[i] as number, score: this.scores[i] as number });
    return out.sort((a, b) => (ranksBefore(a.score, a.doc, b.score, b.doc) ? -1 : 1));
  }

  /** Is i worse than j (closer to the root)? */
  private worse(i: number, j: number): boolean {
    return ranksBefore(
      this.scores[j] as number,
      this.docs[j] as number,
      this.scores[i] as number,
      this.docs[i] as number,
    );
  }

  private swap(i: number, j: number): void {
    const d = this.docs[i] as number;
    this.docs[i] = this.docs[j] as number;
    this.docs[j] = d;
    const s = this.scores[i] as number;
    this.scores[i] = this.scores[j] as number;
    this.scores[j] = s;
  }

  private up(start: number): void {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.worse(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(start: number): void {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.size && this.worse(l, m)) m = l;
      if (r < this.size && this.worse(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
