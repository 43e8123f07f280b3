/**
 * Imports a reference file into a member's library. Each entry is resolved in order: its arXiv id (eprint,
 * arxiv, url or note fields, or an arXiv DOI); else its title against the store's papers (normalised, accepted
 * at `TITLE_MATCH_THRESHOLD`); else, for an arXiv paper the store does not have yet, a queued `library-fetch`
 * job (up to 100 papers, one arXiv API request, through the worker's shared arXiv limiter; a durable job, so a
 * crash only means it runs again) that fetches them and then adds them. Importing the same file again changes
 * nothing: saves keep their first time, tags are merged, fetch jobs are deduplicated.
 */
import { createHash } from "node:crypto";
import {
  type ArxivId,
  type IsoTimestamp,
  PaperboyError,
  texAccentsToUnicode,
  toTimestamp,
} from "../core/index.ts";
import { ID_BATCH_SIZE } from "../sources/arxiv/api.ts";
import {
  type EntryProblem,
  type LibraryEntry,
  type LibraryFormat,
  MAX_LIBRARY_FILE_BYTES,
  parseLibraryFile,
} from "../sources/library/index.ts";
import { MAX_TAG_LENGTH, MAX_TAGS, normalizeTags } from "../store/community/index.ts";
import type { Store } from "../store/store.ts";
import { syncArxivIds } from "./sync-arxiv.ts";
import type { SyncContext } from "./sync-context.ts";

export const LIBRARY_FETCH = "library-fetch";

/**
 * How alike two titles must be to count as the same paper: the Dice coefficient of their normalised words
 * (2 × shared words ÷ words in both). 0.9 accepts case, punctuation, accents, LaTeX and one changed word in
 * ten; it refuses two changed words in ten.
 */
export const TITLE_MATCH_THRESHOLD = 0.9;
/** Store search results compared with each title. */
const TITLE_CANDIDATES = 10;

/** A reference file bigger than `MAX_LIBRARY_FILE_BYTES`; nothing of it is stored. */
export class LibraryFileTooLarge extends PaperboyError {
  /** `bytes`: the file's size when known (a body cut off at the limit is not). */
  constructor(readonly bytes: number | null) {
    const limit = `${MAX_LIBRARY_FILE_BYTES / 1_048_576} MiB`;
    super(
      "too_large",
      bytes === null
        ? `the file is larger than the limit of ${limit}; nothing was imported`
        : `the file is ${(bytes / 1_048_576).toFixed(1)} MiB; the limit is ${limit}; nothing was imported`,
    );
    this.name = "LibraryFileTooLarge";
  }
}

export interface NotFound {
  line: number;
  label: string;
  reason: string;
}

/** What an import did; the page, the CLI and the API all show this. */
export interface LibraryImportSummary {
  format: LibraryFormat;
  /** Entries read from the file (bad ones not included). */
  entries: number;
  /** Added to the library by their arXiv id. */
  imported: number;
  /** Added by a title match against the store. */
  matchedByTitle: number;
  /** arXiv papers the store lacks: a fetch is queued, and they join the library when it has run. */
  fetching: number;
  /** Already in the library (their tags merged). */
  alreadyInLibrary: number;
  notFound: NotFound[];
  /** Entries that could not be read, with their line. */
  invalid: EntryProblem[];
}

/** The words of a title as compared: accents and LaTeX gone, lower case, letters and digits only. */
export function titleWords(title: string): string[] {
  return texAccentsToUnicode(title)
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/\\[A-Za-z]+/g, " ")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== "");
}

/** Dice coefficient of two titles' words (as multisets): 1 for the same words, 0 for none shared. */
export function titleSimilarity(a: string, b: string): number {
  const wa = titleWords(a);
  const wb = titleWords(b);
  if (wa.length === 0 || wb.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const w of wa) counts.set(w, (counts.get(w) ?? 0) + 1);
  let shared = 0;
  for (const w of wb) {
    const n = counts.get(w) ?? 0;
    if (n > 0) {
      shared++;
      counts.set(w, n - 1);
    }
  }
  return (2 * shared) / (wa.length + wb.length);
}

/** The stored paper whose title matches `title` best, if it passes the threshold. */
export async function matchTitle(store: Store, title: string): Promise<ArxivId | null> {
  const words = titleWords(title).slice(0, 40);
  if (words.length === 0) return null;
  // The title as a phrase finds the same title cheaply (positional index); any of its words finds titles
  // with a word changed, at more cost, so only when the phrase found nothing close enough.
  for (const text of [`"${words.join(" ")}"`, words.join(" ")]) {
    const result = await store.search.search({ text, sort: "relevance", limit: TITLE_CANDIDATES, offset: 0 });
    let best: { id: ArxivId; score: number } | null = null;
    for (const hit of result.hits) {
      const score = titleSimilarity(title, hit.paper.title);
      if (score >= TITLE_MATCH_THRESHOLD && (best === null || score > best.score)) {
        best = { id: hit.paper.id, score };
      }
    }
    if (best) return best.id;
  }
  return null;
}

/**
 * Keywords and collections as tags: characters tags may not hold become spaces, long ones are cut, and at
 * most `MAX_TAGS` are kept per paper (the first ones).
 */
export function tagsFrom(raw: readonly string[]): string[] {
  const tags: string[] = [];
  for (const text of raw) {
    const cleaned = text
      .normalize("NFC")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M} _.+:/#-]/gu, " ")
      .replace(/^[^\p{L}\p{N}]+/u, "")
      .replace(/\s+/g, " ")
      .trim();
    const cut = [...cleaned].slice(0, MAX_TAG_LENGTH).join("").trim();
    if (cut === "") continue;
    try {
      tags.push(...normalizeTags([cut]));
    } catch {
      // A tag that still breaks a rule (a rare case change that lengthens it) is left out.
    }
  }
  return [...new Set(tags)].slice(0, MAX_TAGS).sort();
}

/** Tags of an item after merging `extra` (capped at `MAX_TAGS`). */
function merged(existing: readonly string[], extra: readonly string[]): string[] {
  return normalizeTags([...new Set([...existing, ...extra])].slice(0, MAX_TAGS));
}

export interface ImportLibraryOptions {
  store: Store;
  userId: string;
  /** The file's bytes or text. */
  file: Uint8Array | string;
  format?: LibraryFormat;
  /** Added to every imported paper (`--tag`, the page's tag field). */
  tags?: readonly string[];
  now?: Date;
}

/** Imports a reference file into the member's library; see the module comment for the rules. */
export async function importLibrary(options: ImportLibraryOptions): Promise<LibraryImportSummary> {
  const { store, userId } = options;
  const bytes = typeof options.file === "string" ? Buffer.byteLength(options.file) : options.file.byteLength;
  if (bytes > MAX_LIBRARY_FILE_BYTES) throw new LibraryFileTooLarge(bytes);
  const text = typeof options.file === "string" ? options.file : new TextDecoder().decode(options.file);
  const parsed = parseLibraryFile(text, options.format);
  const extraTags = tagsFrom(options.tags ?? []);
  const now = toTimestamp(options.now ?? new Date()) as IsoTimestamp;
  const summary: LibraryImportSummary = {
    format: parsed.format,
    entries: parsed.entries.length,
    imported: 0,
    matchedByTitle: 0,
    fetching: 0,
    alreadyInLibrary: 0,
    notFound: [],
    invalid: [...parsed.problems],
  };

  // Ids first, in batches: which are stored, and which of those an admin took off the site.
  const named = [...new Set(parsed.entries.flatMap((e) => (e.arxivId ? [e.arxivId] : [])))];
  const stored = new Set<ArxivId>();
  for (let i = 0; i < named.length; i += BATCH) {
    for (const p of await store.getPapers(named.slice(i, i + BATCH))) stored.add(p.id);
  }
  const hidden = await store.community.hiddenAmong([...stored]);

  // Then each entry in order; what it adds is gathered per paper (a paper twice in the file is added once).
  const adds = new Map<ArxivId, { how: "id" | "title"; tags: string[] }>();
  const fetches = new Map<ArxivId, string[]>();
  for (const entry of parsed.entries) {
    const tags = merged(tagsFrom(entry.tags), extraTags);
    const resolved = await resolve(store, entry, stored, hidden);
    if ("reason" in resolved) {
      summary.notFound.push({ line: entry.line, label: entry.label, reason: resolved.reason });
    } else if (resolved.how === "fetch") {
      const queued = fetches.get(resolved.id);
      fetches.set(resolved.id, queued ? merged(queued, tags) : tags);
      summary.fetching++;
    } else {
      const seen = adds.get(resolved.id);
      if (seen) {
        seen.tags = merged(seen.tags, tags);
        summary.alreadyInLibrary++;
      } else adds.set(resolved.id, { how: resolved.how, tags });
    }
  }

  // Tags merge into what the library has; only items that gain something are written.
  const ids = [...adds.keys()];
  const existing = new Map<ArxivId, readonly string[]>();
  for (let i = 0; i < ids.length; i += BATCH) {
    for (const [id, item] of await store.community.savedItems(userId, ids.slice(i, i + BATCH))) {
      existing.set(id, item.tags);
    }
  }
  const writes: { paperId: ArxivId; tags: string[] }[] = [];
  for (const [paperId, add] of adds) {
    const before = existing.get(paperId);
    if (before === undefined) {
      writes.push({ paperId, tags: add.tags });
      if (add.how === "id") summary.imported++;
      else summary.matchedByTitle++;
    } else {
      summary.alreadyInLibrary++;
      const all = merged(before, add.tags);
      if (all.length !== before.length) writes.push({ paperId, tags: all });
    }
  }
  if (writes.length > 0) await store.community.saveManyToLibrary(userId, writes, now);
  await queueFetches(
    store,
    userId,
    [...fetches].map(([paperId, tags]) => ({ paperId, tags })),
    now,
  );
  return summary;
}

/**
 * Queues the papers to fetch, `ID_BATCH_SIZE` a job (one arXiv API request each). A job's dedupe key names
 * its member and papers, so the same file imported again queues nothing new.
 */
async function queueFetches(
  store: Store,
  userId: string,
  papers: readonly LibraryFetch["papers"][number][],
  now: IsoTimestamp,
): Promise<void> {
  for (let i = 0; i < papers.length; i += ID_BATCH_SIZE) {
    const part = papers.slice(i, i + ID_BATCH_SIZE);
    const digest = createHash("sha256")
      .update(part.map((p) => p.paperId).join("\n"))
      .digest("hex")
      .slice(0, 24);
    await store.enqueueJob(
      {
        kind: LIBRARY_FETCH,
        payload: { userId, papers: part },
        dedupeKey: `${LIBRARY_FETCH}:${userId}:${digest}`,
        maxAttempts: 5,
      },
      now,
    );
  }
}

/** Ids per store read during an import. */
const BATCH = 500;

type Resolution = { id: ArxivId; how: "id" | "title" | "fetch" } | { reason: string };

async function resolve(
  store: Store,
  entry: LibraryEntry,
  stored: ReadonlySet<ArxivId>,
  hidden: ReadonlySet<ArxivId>,
): Promise<Resolution> {
  if (entry.arxivId && stored.has(entry.arxivId)) {
    return hidden.has(entry.arxivId)
      ? { reason: `arXiv:${entry.arxivId} was taken off this site` }
      : { id: entry.arxivId, how: "id" };
  }
  if (entry.title) {
    const id = await matchTitle(store, entry.title);
    if (id && (await store.community.hiddenAmong([id])).size === 0) return { id, how: "title" };
  }
  if (entry.arxivId) return { id: entry.arxivId, how: "fetch" };
  if (entry.title) {
    return {
      reason: entry.doi
        ? `no arXiv id, and no paper here has this title (DOI ${entry.doi} is not an arXiv DOI)`
        : "no arXiv id, and no paper here has this title",
    };
  }
  return { reason: `DOI ${entry.doi ?? ""} is not an arXiv DOI, and the entry has no title to match` };
}

/** A `library-fetch` job's payload: the member, and the papers to fetch with the tags each gets. */
export interface LibraryFetch {
  userId: string;
  papers: { paperId: string; tags: string[] }[];
}

/**
 * Runs a `library-fetch` job: fetches the papers the store still lacks through the arXiv API (one request for
 * up to `ID_BATCH_SIZE`, through the process's shared arXiv limiter), then adds every paper now stored to the
 * member's library, tags merged. Rerunning it after a crash adds nothing twice. Papers arXiv does not have are
 * logged and left out; a member deleted meanwhile ends the job.
 */
export async function fetchForLibrary(
  ctx: SyncContext,
  job: LibraryFetch,
): Promise<{ added: number; missing: string[] }> {
  if (!(await ctx.store.accounts.getUser(job.userId))) return { added: 0, missing: [] };
  const ids = job.papers.map((p) => p.paperId as ArxivId);
  const have = async () => new Set((await ctx.store.getPapers(ids)).map((p) => p.id));
  let stored = await have();
  const lacking = ids.filter((id) => !stored.has(id));
  if (lacking.length > 0) {
    await syncArxivIds(ctx, lacking);
    stored = await have();
  }
  const missing = ids.filter((id) => !stored.has(id));
  if (missing.length > 0) {
    ctx.logger.warn("library import: arXiv has no such papers", {
      userId: job.userId,
      missing: missing.join(" "),
    });
  }
  const present = job.papers.filter((p) => stored.has(p.paperId as ArxivId));
  const existing = await ctx.store.community.savedItems(
    job.userId,
    present.map((p) => p.paperId as ArxivId),
  );
  const writes = present.map((p) => ({
    paperId: p.paperId as ArxivId,
    tags: merged(existing.get(p.paperId as ArxivId)?.tags ?? [], p.tags),
  }));
  const now = toTimestamp(new Date(ctx.clock.now()));
  const added =
    writes.length > 0 ? await ctx.store.community.saveManyToLibrary(job.userId, writes, now) : new Set();
  return { added: added.size, missing };
}

/** The summary as lines of text (the CLI prints it; the page and the API show the same counts). */
export function describeImport(s: LibraryImportSummary): string {
  const lines = [
    `Read ${s.entries} ${s.entries === 1 ? "entry" : "entries"} (${s.format}).`,
    `Imported: ${s.imported}`,
    `Matched by title: ${s.matchedByTitle}`,
    `Fetching from arXiv (queued): ${s.fetching}${s.fetching > 0 ? " (the worker adds them once fetched)" : ""}`,
    `Already in the library: ${s.alreadyInLibrary}`,
    `Not found: ${s.notFound.length}`,
    ...s.notFound.map((n) => `  line ${n.line} (${n.label}): ${n.reason}`),
    `Not readable: ${s.invalid.length}`,
    ...s.invalid.map((p) => `  line ${p.line}: ${p.reason}`),
  ];
  return `${lines.join("\n")}\n`;
}
