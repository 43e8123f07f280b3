/**
 * The search libraries `compare.ts` measures, behind one small interface: build an index over papers, then
 * answer a query with the ids of the best `limit` papers. Each library gets the configuration a user would
 * write for papers: title and abstract indexed, title boosted x2, any-word (OR) matching so that long queries
 * still find something, and its own default text analysis (none of them stems English unless asked; Orama
 * is also run with its built-in stemmer, MiniSearch with our analyzer, to separate analysis from ranking).
 */

import { create, insertMultiple, search } from "@orama/orama";
import { Charset, Index } from "flexsearch";
import MiniSearch from "minisearch";
import { createAnalyzer } from "../../src/core/text/analyzer.ts";
import { buildIndex } from "../../src/search/index/build.ts";
import type { InvertedIndex } from "../../src/search/index/inverted-index.ts";
import { keywordTopK } from "../../src/search/keyword.ts";
import { parseQuery } from "../../src/search/query/parse.ts";
import type { SearchDocument } from "../../src/search/types.ts";

export interface Contender {
  readonly name: string;
  build(docs: readonly SearchDocument[]): Promise<void>;
  search(query: string, limit: number): Promise<string[]>;
}

/** Our BM25F index queried exactly as `SearchEngine.search` does in keyword mode (parse, then top-k). */
class PaperboyKeyword implements Contender {
  readonly name = "paperboy";
  private readonly analyzer = createAnalyzer();
  private index: InvertedIndex | null = null;

  async build(docs: readonly SearchDocument[]): Promise<void> {
    this.index = buildIndex(docs, this.analyzer);
  }

  async search(query: string, limit: number): Promise<string[]> {
    const index = this.index;
    if (index === null) throw new Error("search before build");
    const hits = keywordTopK(index, parseQuery(query, this.analyzer), limit);
    return hits.map((h) => index.data.ids[h.doc] as string);
  }
}

interface PaperFields {
  id: string;
  title: string;
  abstract: string;
}

const fields = (d: SearchDocument): PaperFields => ({ id: d.id, title: d.title, abstract: d.abstract });

class MiniSearchContender implements Contender {
  private engine: MiniSearch<PaperFields> | null = null;

  /** `analyzed`: terms go through our analyzer (stop words, Porter2) instead of MiniSearch's lower-casing. */
  constructor(private readonly analyzed: boolean) {}

  get name(): string {
    return this.analyzed ? "minisearch+porter2" : "minisearch";
  }

  async build(docs: readonly SearchDocument[]): Promise<void> {
    const analyzer = createAnalyzer();
    this.engine = new MiniSearch<PaperFields>({
      fields: ["title", "abstract"],
      searchOptions: { boost: { title: 2 }, combineWith: "OR" },
      ...(this.analyzed ? { processTerm: (term: string) => analyzer.analyze(term).map((t) => t.term) } : {}),
    });
    this.engine.addAll(docs.map(fields));
  }

  async search(query: string, limit: number): Promise<string[]> {
    if (this.engine === null) throw new Error("search before build");
    return this.engine
      .search(query)
      .slice(0, limit)
      .map((r) => String(r.id));
  }
}

const ORAMA_SCHEMA = { id: "string", title: "string", abstract: "string" } as const;

class OramaContender implements Contender {
  private db: ReturnType<typeof create<typeof ORAMA_SCHEMA>> | null = null;

  constructor(private readonly stemming: boolean) {}

  get name(): string {
    return this.stemming ? "orama+stemmer" : "orama";
  }

  async build(docs: readonly SearchDocument[]): Promise<void> {
    const db = create({ schema: ORAMA_SCHEMA, components: { tokenizer: { stemming: this.stemming } } });
    // Orama indexes `id` as a searchable string too; search below names the fields it reads.
    await insertMultiple(db, docs.map(fields), 1000);
    this.db = db;
  }

  async search(query: string, limit: number): Promise<string[]> {
    if (this.db === null) throw new Error("search before build");
    const result = await search(this.db, {
      term: query,
      properties: ["title", "abstract"],
      boost: { title: 2 },
      limit,
    });
    return result.hits.map((h) => String(h.id));
  }
}

class FlexSearchContender implements Contender {
  readonly name = "flexsearch";
  private index: Index | null = null;
  private ids: string[] = [];

  async build(docs: readonly SearchDocument[]): Promise<void> {
    // One index over title and abstract, the title written twice for its x2 weight: FlexSearch's Document
    // index scores fields separately with no boost to merge them by. `suggest` at search time turns its AND
    // matching into best-effort OR.
    const index = new Index({ tokenize: "strict", encoder: Charset.LatinBalance, resolution: 9 });
    this.ids = docs.map((d) => d.id);
    docs.forEach((d, i) => {
      index.add(i, `${d.title}. ${d.title}. ${d.abstract}`);
    });
    this.index = index;
  }

  async search(query: string, limit: number): Promise<string[]> {
    if (this.index === null) throw new Error("search before build");
    const found = this.index.search(query, { limit, suggest: true });
    return found.map((i) => this.ids[Number(i)] as string);
  }
}

/** Every contender by name; ours first. */
export function contenders(): Contender[] {
  return [
    new PaperboyKeyword(),
    new MiniSearchContender(false),
    new MiniSearchContender(true),
    new OramaContender(false),
    new OramaContender(true),
    new FlexSearchContender(),
  ];
}
