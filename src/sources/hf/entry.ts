import { z } from "zod";
import { ValidationError } from "../../core/errors.ts";
import {
  type DailyEntryRecord,
  type DailyMedia,
  dateOf,
  type IsoDate,
  type IsoTimestamp,
  normalizeAuthorName,
  normalizeText,
  type Organization,
  type PaperRecord,
  parseArxivId,
  parseIsoDate,
  parseTimestamp,
  type Submitter,
} from "../../core/index.ts";
import { parseWith } from "../validation.ts";

/**
 * One entry of the Hugging Face daily papers API (`GET /api/daily_papers?date=YYYY-MM-DD`), in the shape of
 * the recorded responses: `{paper: {...}, title, summary, publishedAt, submittedBy, numComments, organization}`.
 * Fields we do not use are allowed and ignored.
 */
const userSchema = z.looseObject({
  user: z.string().nullish(),
  name: z.string().nullish(),
  fullname: z.string().nullish(),
  avatarUrl: z.string().nullish(),
});
const orgSchema = z.looseObject({
  name: z.string(),
  fullname: z.string().nullish(),
  avatar: z.string().nullish(),
});

const entrySchema = z.looseObject({
  paper: z.looseObject({
    id: z.string(),
    title: z.string().nullish(),
    summary: z.string().nullish(),
    authors: z.array(z.looseObject({ name: z.string() })).default([]),
    publishedAt: z.string().nullish(),
    submittedOnDailyAt: z.string().nullish(),
    submittedOnDailyBy: userSchema.nullish(),
    upvotes: z.number().int().min(0).default(0),
    githubRepo: z.string().nullish(),
    githubStars: z.number().int().min(0).nullish(),
    projectPage: z.string().nullish(),
    ai_summary: z.string().nullish(),
    ai_keywords: z.array(z.string()).nullish(),
    organization: orgSchema.nullish(),
  }),
  title: z.string().nullish(),
  summary: z.string().nullish(),
  publishedAt: z.string().nullish(),
  submittedBy: userSchema.nullish(),
  numComments: z.number().int().min(0).default(0),
  organization: orgSchema.nullish(),
  thumbnail: z.string().nullish(),
});

export interface HfDailyItem {
  paper: PaperRecord;
  daily: DailyEntryRecord;
}

function submitterOf(user: z.infer<typeof userSchema> | null | undefined): Submitter | null {
  const name = user?.user ?? user?.name;
  if (!name) return null;
  return { name, fullname: user?.fullname ?? null };
}

function organizationOf(org: z.infer<typeof orgSchema> | null | undefined): Organization | null {
  return org ? { name: org.name, fullname: org.fullname ?? null } : null;
}

function httpUrlOrNull(value: string | null | undefined): string | null {
  if (!value) return null;
  const t = value.trim();
  return /^https?:\/\/\S+$/i.test(t) ? t : null;
}

/**
 * The entry's pictures, when it names any. Relative URLs (Hugging Face's generated `/avatars/*.svg`) are left
 * out: the card draws its own placeholder for those.
 */
function mediaOf(
  thumbnail: string | null | undefined,
  submitter: z.infer<typeof userSchema> | null | undefined,
  org: z.infer<typeof orgSchema> | null | undefined,
): DailyMedia | null {
  const media: DailyMedia = {
    thumbnail: httpUrlOrNull(thumbnail),
    submitterAvatar: httpUrlOrNull(submitter?.avatarUrl),
    organizationAvatar: httpUrlOrNull(org?.avatar),
  };
  return media.thumbnail || media.submitterAvatar || media.organizationAvatar ? media : null;
}

/**
 * Turns one daily-papers entry into the paper it features and its daily entry. `day` is the date the list was
 * requested for; without it the entry's own submission date is used.
 */
export function parseHfDailyEntry(value: unknown, day?: IsoDate): HfDailyItem {
  if (typeof value === "string") {
    throw new ValidationError(
      "invalid_record",
      "entry is a string, not an object (a Python repr saved as text?); expected the API's JSON object",
    );
  }
  const raw = parseWith(entrySchema, value);
  const p = raw.paper;
  const { id } = parseArxivId(p.id);
  const title = normalizeText(p.title ?? raw.title ?? "");
  if (title === "") throw new ValidationError("invalid_record", "paper.title: missing");
  const publishedAt = p.publishedAt ? parseTimestamp(p.publishedAt) : null;
  const featuredOn =
    day ??
    (p.submittedOnDailyAt ? dateOf(parseTimestamp(p.submittedOnDailyAt)) : null) ??
    (raw.publishedAt ? dateOf(parseTimestamp(raw.publishedAt)) : null);
  if (!featuredOn) {
    throw new ValidationError("invalid_record", "no date: neither the file nor the entry gives one");
  }
  const date = parseIsoDate(featuredOn);

  const paper: PaperRecord = {
    id,
    sources: ["hf-daily"],
    versions: [],
    title,
    abstract: normalizeText(p.summary ?? raw.summary ?? ""),
    authors: p.authors.map((a) => normalizeAuthorName(a.name)).filter((a) => a.length > 0),
    publishedAt,
    codeUrl: httpUrlOrNull(p.githubRepo),
    projectUrl: httpUrlOrNull(p.projectPage),
    githubStars: p.githubStars ?? null,
    aiSummary: p.ai_summary ? normalizeText(p.ai_summary) : null,
    aiKeywords: p.ai_keywords ?? [],
    observedAt: `${date}T00:00:00.000Z` as IsoTimestamp,
  };
  const submittedBy = raw.submittedBy ?? p.submittedOnDailyBy;
  const org = raw.organization ?? p.organization;
  const media = mediaOf(raw.thumbnail, submittedBy, org);
  const daily: DailyEntryRecord = {
    date,
    paperId: id,
    source: "hf-daily",
    submitter: submitterOf(submittedBy),
    organization: organizationOf(org),
    ...(media ? { media } : {}),
    upvotes: p.upvotes,
    numComments: raw.numComments,
  };
  return { paper, daily };
}
