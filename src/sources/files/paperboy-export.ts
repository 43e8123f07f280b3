import { z } from "zod";
import {
  type DailyEntry,
  type DailyEntryRecord,
  type Paper,
  type PaperRecord,
  parseArxivId,
  parseCategoryList,
  parseIsoDate,
  parseTimestamp,
  SOURCE_NAMES,
  toArxivId,
} from "../../core/index.ts";
import { parseWith } from "../validation.ts";

/**
 * Paperboy's own export: JSON lines, a header line first, then one line per paper and per daily entry.
 * Every line says what it is, so the file can be split, filtered or concatenated and still import.
 */
export const EXPORT_FORMAT = "paperboy-export";
export const EXPORT_VERSION = 1;

export function exportHeader(now: Date): string {
  return JSON.stringify({ type: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: now.toISOString() });
}

export function exportPaperLine(paper: Paper): string {
  return JSON.stringify({ type: "paper", ...paper });
}

export function exportDailyLine(entry: DailyEntry): string {
  return JSON.stringify({ type: "daily", ...entry });
}

const timestamp = z.string().transform((s, ctx) => {
  try {
    return parseTimestamp(s);
  } catch {
    ctx.addIssue({ code: "custom", message: `not a date-time: ${s}` });
    return z.NEVER;
  }
});
const source = z.enum(SOURCE_NAMES);
/** Links as the store keeps them: http(s) only, the rule every source's links follow (feeds write them out). */
const link = z
  .string()
  .regex(/^https?:\/\/\S+$/i, "expected an http(s) URL")
  .nullable();

const paperLine = z.object({
  type: z.literal("paper"),
  id: z.string(),
  title: z.string(),
  abstract: z.string(),
  authors: z.array(z.string().min(1, "empty author name")),
  categories: z.array(z.string()),
  versions: z.array(z.object({ version: z.number().int().positive(), date: timestamp })),
  comments: z.string().nullable(),
  journalRef: z.string().nullable(),
  doi: z.string().nullable(),
  reportNo: z.string().nullable(),
  license: z.string().nullable(),
  publishedAt: timestamp.nullable(),
  links: z.object({ code: link, project: link }),
  githubStars: z.number().int().min(0).nullable(),
  aiSummary: z.string().nullable(),
  aiKeywords: z.array(z.string()),
  enrichedAt: timestamp.nullable(),
  starsObservedAt: timestamp.nullable(),
  sources: z.array(source).min(1),
  firstSeenAt: timestamp,
  lastUpdatedAt: timestamp,
});

const dailyLine = z.object({
  type: z.literal("daily"),
  date: z.string(),
  paperId: z.string(),
  source,
  submitter: z.object({ name: z.string(), fullname: z.string().nullable() }).nullable(),
  organization: z.object({ name: z.string(), fullname: z.string().nullable() }).nullable(),
  media: z
    .object({
      thumbnail: z.string().nullable(),
      submitterAvatar: z.string().nullable(),
      organizationAvatar: z.string().nullable(),
    })
    .optional(),
  upvotes: z.number().int().min(0),
  numComments: z.number().int().min(0),
  firstSeenAt: timestamp,
  lastUpdatedAt: timestamp,
});

export type ExportItem =
  | { kind: "header" }
  | { kind: "paper"; paper: PaperRecord }
  | { kind: "daily"; daily: DailyEntryRecord };

export function parseExportLine(value: unknown): ExportItem {
  const type = (value as { type?: unknown } | null)?.type;
  if (type === EXPORT_FORMAT) return { kind: "header" };
  if (type === "daily") {
    const d = parseWith(dailyLine, value);
    return {
      kind: "daily",
      daily: {
        date: parseIsoDate(d.date),
        paperId: toArxivId(d.paperId),
        source: d.source,
        submitter: d.submitter,
        organization: d.organization,
        ...(d.media ? { media: d.media } : {}),
        upvotes: d.upvotes,
        numComments: d.numComments,
        firstSeenAt: d.firstSeenAt,
        lastUpdatedAt: d.lastUpdatedAt,
      },
    };
  }
  const p = parseWith(paperLine, value);
  return {
    kind: "paper",
    paper: {
      id: parseArxivId(p.id).id,
      sources: p.sources,
      versions: p.versions,
      title: p.title,
      abstract: p.abstract,
      authors: p.authors,
      categories: parseCategoryList(p.categories),
      comments: p.comments,
      journalRef: p.journalRef,
      doi: p.doi,
      reportNo: p.reportNo,
      license: p.license,
      publishedAt: p.publishedAt,
      codeUrl: p.links.code,
      projectUrl: p.links.project,
      githubStars: p.githubStars,
      aiSummary: p.aiSummary,
      aiKeywords: p.aiKeywords,
      restore: {
        firstSeenAt: p.firstSeenAt,
        lastUpdatedAt: p.lastUpdatedAt,
        enrichedAt: p.enrichedAt,
        starsObservedAt: p.starsObservedAt,
      },
    },
  };
}
