import { createHash } from "node:crypto";
import type { DailyEntry, Organization, Paper, Submitter } from "../../core/index.ts";
import type { ListedPaper, PaperActivity } from "../../store/listings/index.ts";
import type { HfDailyItem, HfPaper, RankedList } from "./schemas.ts";

/**
 * Hugging Face answers with 24-hex-digit database ids; we derive ids of the same form from stable facts (the
 * paper and an author's position, a user name) so they never change between requests or replicas.
 */
function objectId(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 24);
}

/** Hugging Face serves thumbnails for the papers it featured; other papers have none. */
function thumbnailOf(paper: Paper): string {
  return paper.sources.includes("hf-daily")
    ? `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${encodeURIComponent(paper.id)}.png`
    : "";
}

function organizationOf(org: Organization | null): HfPaper["organization"] {
  return org
    ? { _id: objectId("org", org.name), name: org.name, fullname: org.fullname ?? org.name }
    : undefined;
}

function dailySubmitterOf(s: Submitter): NonNullable<HfPaper["submittedOnDailyBy"]> {
  // Paperboy keeps no avatars; an empty URL tells clients to draw their placeholder.
  return {
    _id: objectId("user", s.name),
    avatarUrl: "",
    isPro: false,
    fullname: s.fullname ?? s.name,
    user: s.name,
    type: "user",
    name: s.name,
  };
}

function submitterOf(s: Submitter): NonNullable<HfDailyItem["submittedBy"]> {
  return {
    _id: objectId("user", s.name),
    avatarUrl: "",
    fullname: s.fullname ?? s.name,
    name: s.name,
    type: "user",
    isPro: false,
    isHf: false,
    isHfAdmin: false,
    isMod: false,
    followerCount: 0,
    isUserFollowing: false,
  };
}

/** The day the paper was featured, as the instant Hugging Face would give (start of that day, UTC). */
function featuredAt(entry: DailyEntry | null): string | undefined {
  return entry ? `${entry.date}T00:00:00.000Z` : undefined;
}

/** `paper` as Hugging Face nests it (also the body of `GET /api/papers/{id}`). */
export function presentPaper(paper: Paper, activity: Pick<PaperActivity, "upvotes" | "entry">): HfPaper {
  const entry = activity.entry;
  const out: HfPaper = {
    id: paper.id,
    authors: paper.authors.map((name, i) => ({ _id: objectId(paper.id, String(i)), name, hidden: false })),
    publishedAt: paper.publishedAt ?? paper.firstSeenAt,
    submittedOnDailyAt: featuredAt(entry),
    title: paper.title,
    submittedOnDailyBy: entry?.submitter ? dailySubmitterOf(entry.submitter) : undefined,
    summary: paper.abstract,
    upvotes: activity.upvotes,
    discussionId: objectId("discussion", paper.id),
    projectPage: paper.links.project ?? undefined,
    githubRepo: paper.links.code ?? undefined,
    ai_summary: paper.aiSummary ?? undefined,
    ai_keywords: paper.aiKeywords.length > 0 ? paper.aiKeywords : undefined,
    githubStars: paper.githubStars ?? undefined,
    organization: organizationOf(entry?.organization ?? null),
  };
  return dropUndefined(out);
}

/** One entry of a daily list: the paper, its counts and who submitted it that day. */
export function presentDailyItem(paper: Paper, activity: PaperActivity): HfDailyItem {
  const entry = activity.entry;
  return dropUndefined({
    paper: presentPaper(paper, activity),
    publishedAt: paper.publishedAt ?? paper.firstSeenAt,
    title: paper.title,
    summary: paper.abstract,
    thumbnail: thumbnailOf(paper),
    numComments: activity.numComments,
    submittedBy: entry?.submitter ? submitterOf(entry.submitter) : undefined,
    organization: organizationOf(entry?.organization ?? null),
    isAuthorParticipating: false,
  });
}

export function presentListed(item: ListedPaper): HfDailyItem {
  return presentDailyItem(item.paper, item);
}

export function presentRanked(list: {
  items: ListedPaper[];
  total: number;
  page: number;
  perPage: number;
  sort: string;
}): RankedList {
  return {
    papers: list.items.map((item) => ({
      ...presentListed(item),
      score: item.score,
      starsGained: item.starsGained,
    })),
    total: list.total,
    page: list.page,
    perPage: list.perPage,
    sort: list.sort,
  };
}

/** JSON drops undefined anyway; dropping it here keeps `Object.keys` equal to what the client receives. */
function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
