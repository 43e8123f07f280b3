/**
 * Finished JSON bodies of one store version (`store.listings.version()`): a list read twice without a write in
 * between is the same list, so its presented JSON (hashed ids, nested objects, stringified) is built once.
 * Anything written moves the version and empties the cache. Only for answers that do not depend on the clock.
 */
export interface CachedBody {
  body: string;
  headers: Record<string, string>;
}

/** Distinct queries remembered per version; past it the cache starts over (bounded memory). */
const MAX_ENTRIES = 1_000;

export class ResponseCache {
  private version: string | null = null;
  private readonly entries = new Map<string, CachedBody>();

  get(version: string | null, key: string): CachedBody | undefined {
    if (version === null || version !== this.version) return undefined;
    return this.entries.get(key);
  }

  /** Remembers a body built from data read after `version` was observed (so it is at least that new). */
  set(version: string | null, key: string, value: CachedBody): void {
    if (version === null) return;
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
    }
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, value);
  }
}
