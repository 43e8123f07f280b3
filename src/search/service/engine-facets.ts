import type { ArxivId } from "../../core/index.ts";
import type { SearchFilters } from "../../store/search/index.ts";
import type { Store } from "../../store/store.ts";
import { type DocBits, FacetIndex, hasBit } from "../facets.ts";
import type { SegmentedEngine } from "../segmented-engine.ts";

/** Papers read per round trip while loading the base's facets. */
const PAGE = 5_000;

/**
 * The facets of a loaded engine's documents, for filtering inside the service without asking the store: the
 * base segment's (read from the store once per build, then reused with each new delta: a paper changed since
 * the build is masked in the base and found again in the delta) and the delta's (read with each delta).
 * Loaded from the store, not saved with the build, so engine files stay as they are and the facets are as
 * current as the engine's documents.
 */
export class EngineFacets {
  constructor(
    readonly build: string,
    readonly base: FacetIndex,
    private readonly delta: FacetIndex | null,
  ) {}

  /** Whether global document `doc` passes `filters`: the filters evaluated once per segment to bitsets. */
  passes(filters: SearchFilters): (doc: number) => boolean {
    const base = this.base.matching(filters);
    const offset = this.base.size;
    const delta: DocBits | null = this.delta?.matching(filters) ?? null;
    return (doc) => (doc < offset ? hasBit(base, doc) : delta !== null && hasBit(delta, doc - offset));
  }
}

/** Reads the facets of `searcher`'s documents from the store (the base's only when `previous` is of another build). */
export async function loadEngineFacets(
  store: Store,
  searcher: SegmentedEngine,
  build: string,
  previous: EngineFacets | null,
): Promise<EngineFacets> {
  const baseSize = searcher.base.size;
  const base =
    previous !== null && previous.build === build && previous.base.size === baseSize
      ? previous.base
      : await FacetIndex.build(baseSize, async (add) => {
          const baseIds = searcher.base.index.data.ids;
          const numbers = new Map<string, number>();
          baseIds.forEach((id, doc) => {
            numbers.set(id, doc);
          });
          let after: string | null = null;
          for (;;) {
            const page = await store.search.facetPage(after, PAGE);
            if (page.length === 0) break;
            after = (page[page.length - 1] as { id: string }).id;
            for (const row of page) {
              const doc = numbers.get(row.id);
              if (doc !== undefined) add(doc, row);
            }
          }
        });
  const deltaIds = searcher.deltaIds;
  const delta =
    deltaIds.length === 0
      ? null
      : await FacetIndex.build(deltaIds.length, async (add) => {
          const local = new Map(deltaIds.map((id, i) => [id, i]));
          const rows = await store.search.facetsOf(deltaIds as ArxivId[]);
          for (const row of rows) {
            const doc = local.get(row.id);
            if (doc !== undefined) add(doc, row);
          }
        });
  return new EngineFacets(build, base, delta);
}
