import type { ArxivId } from "../../core/index.ts";
import { describeError } from "../../core/index.ts";
import type { ParsedSearchQuery } from "../../core/search-query.ts";
import type { Logger } from "../../log.ts";
import {
  MAX_OFFSET,
  type SortKey,
  type StoreSearchResult,
  TOO_DEEP_NOTE,
  TOTAL_LIMIT,
} from "../../store/search/index.ts";
import type { Store } from "../../store/store.ts";

/** Rows read per round trip while loading. */
const PAGE = 50_000;
/** Papers changed since the load past which the keys are loaded again before `reloadMs` has passed. */
const RELOAD_AFTER_CHANGES = 5_000;

interface Item {
  id: string;
  pub: string | null;
}

/** The store's date order: `published_at desc nulls last, arxiv_id` (text compared bytewise, as the SQL does). */
function byDate(a: Item, b: Item): number {
  if (a.pub !== b.pub) {
    if (a.pub === null) return 1;
    if (b.pub === null) return -1;
    return a.pub > b.pub ? -1 : 1;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

interface Loaded {
  /** Store key (SQLite doc_id, PostgreSQL arxiv_id) → index into the arrays. */
  keys: Map<SortKey, number>;
  ids: string[];
  pubs: (string | null)[];
  /** Each paper's position in date order, and the paper at each position. */
  rank: Int32Array;
  byRank: Int32Array;
  /** `last_updated_at` read before the load: papers changed at or after it are read fresh on each search. */
  mark: string;
  at: number;
}

/**
 * Date and upvotes sorts without joining every match to its paper (what made them cost hundreds of ms at a
 * million papers): the store gives the match set alone (FTS5 rowids, or `paper_search` ids), and the order is
 * taken here from every paper's publication time and id, loaded once (and reloaded every `reloadMs`) and
 * ranked. Results are the store's own (`store.search.search` with `match: "all"`), exactly:
 *
 * - papers added or updated since the load (`last_updated_at` at or after the load's mark, and any match the
 *   load does not know) are read fresh on each search and merged in;
 * - withdrawals and upvotes (`PAPER_UPVOTES_SQL`'s value) are read fresh on each search: both are small sets
 *   (a partial index; daily entries and local vote counts), so a vote just cast counts at once;
 * - totals are capped at `TOTAL_LIMIT`, pages past `MAX_OFFSET` are empty with the same note, and the page's
 *   hits (scores, highlights, upvotes) come from `store.search.hitsFor`.
 *
 * Filters are not handled here (the caller keeps the store's path for them); nor is anything while the keys
 * are loading or failed to load (`search` returns null).
 */
export class SortedIndex {
  private loaded: Loaded | null = null;
  private loading: Promise<void> | null = null;
  private answered = 0;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly reloadMs: number,
  ) {}

  /** Papers loaded and searches answered (`SearchStatus.sortKeys`); null before the first load. */
  get status(): { papers: number; answered: number } | null {
    return this.loaded && { papers: this.loaded.ids.length, answered: this.answered };
  }

  /** Loads (or reloads) the keys now; resolves when done (a failure is logged, the old keys kept). */
  load(): Promise<void> {
    this.loading ??= this.read()
      .then((loaded) => {
        this.loaded = loaded;
      })
      .catch((error: unknown) => {
        this.logger.warn("could not load the sort keys", { error: describeError(error) });
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }

  /** The keys in use, starting a (re)load in the background when there are none or they are old. */
  private current(): Loaded | null {
    const loaded = this.loaded;
    if (loaded === null || Date.now() - loaded.at >= this.reloadMs) void this.load();
    return loaded;
  }

  private async read(): Promise<Loaded> {
    const reader = this.store.search.sortKeys;
    const mark = (await reader.mark()) ?? "";
    const keys = new Map<SortKey, number>();
    const ids: string[] = [];
    const pubs: (string | null)[] = [];
    let after: SortKey | null = null;
    for (;;) {
      const rows = await reader.page(after, PAGE);
      if (rows.length === 0) break;
      for (const r of rows) {
        keys.set(r.key, ids.length);
        ids.push(r.id);
        pubs.push(r.publishedAt);
      }
      after = (rows[rows.length - 1] as { key: SortKey }).key;
    }
    const byRank = new Int32Array(ids.length);
    for (let i = 0; i < byRank.length; i++) byRank[i] = i;
    byRank.sort((a, b) =>
      byDate({ id: ids[a] as string, pub: pubs[a] ?? null }, { id: ids[b] as string, pub: pubs[b] ?? null }),
    );
    const rank = new Int32Array(ids.length);
    byRank.forEach((doc, r) => {
      rank[doc] = r;
    });
    return { keys, ids, pubs, rank, byRank, mark, at: Date.now() };
  }

  /**
   * The page of papers with every word of `parsed` (and the papers `include`), sorted by date or upvotes, as
   * `store.search.search` gives it without filters; null when the keys are not loaded.
   */
  async search(
    parsed: ParsedSearchQuery,
    sort: "date" | "upvotes",
    offset: number,
    limit: number,
    include: readonly ArxivId[],
  ): Promise<StoreSearchResult | null> {
    const L = this.current();
    if (L === null) return null;
    const reader = this.store.search.sortKeys;
    const wanted = [...new Set(include)];
    const matched = await reader.matching(parsed, "all");
    const withdrawn = new Set(await reader.withdrawn());
    const changed = await reader.changedSince(L.mark);
    // Many papers changed since the load (a large ingest): load again rather than merge them on every search.
    if (changed.length > RELOAD_AFTER_CHANGES) void this.load();
    const includeRows = wanted.length > 0 ? await reader.ofIds(wanted) : [];
    const upvoteRows = sort === "upvotes" ? await reader.upvotes() : [];

    // Papers changed since the load: their fresh rows replace the loaded ones.
    const fresh = new Map<SortKey, Item>();
    for (const r of changed) fresh.set(r.key, { id: r.id, pub: r.publishedAt });
    for (const r of includeRows) {
      if (!L.keys.has(r.key)) fresh.set(r.key, { id: r.id, pub: r.publishedAt });
    }
    const bits = new Uint32Array((L.ids.length + 31) >>> 5);
    const chosen = new Map<SortKey, Item>();
    const unknown: SortKey[] = [];
    const take = (key: SortKey): void => {
      if (withdrawn.has(key)) return;
      const item = fresh.get(key);
      if (item !== undefined) {
        chosen.set(key, item);
        return;
      }
      const i = L.keys.get(key);
      if (i === undefined) {
        unknown.push(key);
        return;
      }
      const r = L.rank[i] as number;
      bits[r >>> 5] = (bits[r >>> 5] as number) | (1 << (r & 31));
    };
    for (const k of matched) take(k);
    for (const r of includeRows) take(r.key);
    if (unknown.length > 0) {
      // Added after the load with an older `last_updated_at` (a restore): read them now.
      for (const r of await reader.ofKeys(unknown)) {
        fresh.set(r.key, { id: r.id, pub: r.publishedAt });
        take(r.key);
      }
    }

    let count = chosen.size;
    for (const w of bits) count += popcount(w);
    const total = Math.min(count, TOTAL_LIMIT);
    const notes = [...parsed.notes];
    if (offset > MAX_OFFSET) {
      this.answered++;
      return { hits: [], total, notes: [...notes, TOO_DEEP_NOTE], problem: null };
    }

    const isMatched = (key: SortKey): Item | null => {
      const item = chosen.get(key);
      if (item !== undefined) return item;
      if (fresh.has(key) || withdrawn.has(key)) return null;
      const i = L.keys.get(key);
      if (i === undefined) return null;
      const r = L.rank[i] as number;
      return ((bits[r >>> 5] as number) & (1 << (r & 31))) !== 0
        ? { id: L.ids[i] as string, pub: L.pubs[i] ?? null }
        : null;
    };
    const extras = [...chosen.values()].sort(byDate);
    const dated = function* (): Generator<Item> {
      let e = 0;
      for (let w = 0; w < bits.length; w++) {
        let word = bits[w] as number;
        while (word !== 0) {
          const low = word & -word;
          const r = (w << 5) + (31 - Math.clz32(low));
          word = (word ^ low) >>> 0;
          const doc = L.byRank[r] as number;
          const item = { id: L.ids[doc] as string, pub: L.pubs[doc] ?? null };
          while (e < extras.length && byDate(extras[e] as Item, item) < 0) yield extras[e++] as Item;
          yield item;
        }
      }
      while (e < extras.length) yield extras[e++] as Item;
    };

    let order: Iterable<Item>;
    if (sort === "date") {
      order = dated();
    } else {
      const voted: { item: Item; upvotes: number }[] = [];
      for (const { key, upvotes } of upvoteRows) {
        if (upvotes === 0) continue;
        const item = isMatched(key);
        if (item !== null) voted.push({ item, upvotes });
      }
      voted.sort((a, b) => b.upvotes - a.upvotes || byDate(a.item, b.item));
      const votedIds = new Set(voted.map((v) => v.item.id));
      order = (function* () {
        for (const v of voted) if (v.upvotes > 0) yield v.item;
        for (const item of dated()) if (!votedIds.has(item.id)) yield item;
        for (const v of voted) if (v.upvotes < 0) yield v.item;
      })();
    }
    const pageIds: ArxivId[] = [];
    let skipped = 0;
    for (const item of order) {
      if (skipped < offset) {
        skipped++;
        continue;
      }
      pageIds.push(item.id as ArxivId);
      if (pageIds.length >= limit) break;
    }
    const hits = await this.store.search.hitsFor(parsed, "all", pageIds, wanted, matched.length);
    this.answered++;
    return { hits, total, notes, problem: null };
  }
}

function popcount(w: number): number {
  let v = w - ((w >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
