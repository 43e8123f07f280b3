/**
 * What a member takes out: their library as a reference file (BibTeX, RIS, CSL-JSON, CSV), and their whole
 * account as one JSON document (profile, votes, comments, library with tags, digest subscriptions with the
 * searches, categories and authors they follow). Secrets (password hash, tokens, webhook secrets) stay in.
 */
import type { ArxivId } from "../core/index.ts";
import { type ExportFormat, type ExportItem, writeLibrary } from "../sources/library/index.ts";
import type { Store } from "../store/store.ts";

const PAGE = 200;

/** Every item of the member's library with its paper, newest saves first. */
export async function libraryExportItems(store: Store, userId: string): Promise<ExportItem[]> {
  const out: ExportItem[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const { items } = await store.community.library(userId, { limit: PAGE, offset });
    const papers = new Map((await store.getPapers(items.map((i) => i.paperId))).map((p) => [p.id, p]));
    for (const item of items) {
      const paper = papers.get(item.paperId);
      if (paper) out.push({ paper, tags: item.tags, savedAt: item.savedAt, readAt: item.readAt });
    }
    if (items.length < PAGE) return out;
  }
}

/** The member's library as a file of `format`. */
export async function exportLibrary(store: Store, userId: string, format: ExportFormat): Promise<string> {
  return writeLibrary(await libraryExportItems(store, userId), format);
}

/** The version of the account export's shape, for whoever reads it back. */
export const ACCOUNT_EXPORT_VERSION = 1;

export interface AccountExport {
  format: "paperboy-account";
  version: typeof ACCOUNT_EXPORT_VERSION;
  exportedAt: string;
  profile: {
    id: string;
    email: string;
    name: string;
    role: string;
    createdAt: string;
    verifiedAt: string | null;
  };
  votes: { paperId: ArxivId; votedAt: string }[];
  comments: {
    id: string;
    paperId: ArxivId;
    parentId: string | null;
    body: string;
    state: string;
    createdAt: string;
    editedAt: string | null;
  }[];
  library: {
    paperId: ArxivId;
    title: string | null;
    savedAt: string;
    readAt: string | null;
    tags: string[];
  }[];
  subscriptions: {
    id: string;
    email: string;
    state: string;
    schedule: { frequency: string; hour: number; weekday: number; timeZone: string };
    emailEnabled: boolean;
    channels: string[];
    trending: number;
    recommendations: boolean;
    savedSearches: string[];
    follows: { categories: string[]; authors: string[] };
    createdAt: string;
  }[];
}

/** The member's account as one JSON-ready object; null for an unknown user. */
export async function exportAccount(
  store: Store,
  userId: string,
  now = new Date(),
): Promise<AccountExport | null> {
  const user = await store.accounts.getUser(userId);
  if (!user) return null;
  const [votes, comments, subscriptions] = await Promise.all([
    store.community.votesOf(userId, 1_000_000),
    store.community.commentsBy(userId),
    store.digests.ofUser(userId),
  ]);
  const library: AccountExport["library"] = [];
  for (let offset = 0; ; offset += PAGE) {
    const { items } = await store.community.library(userId, { limit: PAGE, offset });
    const titles = new Map((await store.getPapers(items.map((i) => i.paperId))).map((p) => [p.id, p.title]));
    for (const i of items) {
      library.push({
        paperId: i.paperId,
        title: titles.get(i.paperId) ?? null,
        savedAt: i.savedAt,
        readAt: i.readAt,
        tags: i.tags,
      });
    }
    if (items.length < PAGE) break;
  }
  return {
    format: "paperboy-account",
    version: ACCOUNT_EXPORT_VERSION,
    exportedAt: now.toISOString(),
    profile: {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      createdAt: user.createdAt,
      verifiedAt: user.verifiedAt,
    },
    votes,
    comments: comments.map((c) => ({
      id: c.id,
      paperId: c.paperId,
      parentId: c.parentId,
      body: c.body,
      state: c.state,
      createdAt: c.createdAt,
      editedAt: c.editedAt,
    })),
    library,
    subscriptions: subscriptions.map((s) => ({
      id: s.id,
      email: s.email,
      state: s.state,
      schedule: s.schedule,
      emailEnabled: s.emailEnabled,
      channels: s.targets.map((t) => t.kind),
      trending: s.contents.trending,
      recommendations: s.contents.recommendations,
      savedSearches: s.contents.searches.map((q) => q.q),
      follows: { categories: s.contents.categories, authors: s.contents.authors },
      createdAt: s.createdAt,
    })),
  };
}
