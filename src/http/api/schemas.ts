import { z } from "zod";

/**
 * Response shapes, written once: the presenters are typed by them and the OpenAPI document is generated from
 * them. The Hugging Face shapes keep the field names, nesting and types of the recorded responses of
 * `GET https://huggingface.co/api/daily_papers` (../shared/data/hf-daily/raw), so existing clients work by
 * changing only the base URL. Optional fields are left out when unknown, as Hugging Face does.
 */

export const hfAuthorSchema = z.object({
  /** Stable per paper and position (Hugging Face uses a database id here). */
  _id: z.string(),
  name: z.string(),
  hidden: z.boolean(),
});

/** The paper's submitter as Hugging Face nests it inside `paper`. */
export const hfDailySubmitterSchema = z.object({
  _id: z.string(),
  avatarUrl: z.string(),
  isPro: z.boolean(),
  fullname: z.string(),
  user: z.string(),
  type: z.literal("user"),
  name: z.string(),
});

export const hfOrganizationSchema = z.object({
  _id: z.string(),
  name: z.string(),
  fullname: z.string(),
});

export const hfPaperSchema = z.object({
  id: z.string().describe("arXiv id"),
  authors: z.array(hfAuthorSchema),
  publishedAt: z.string().describe("first arXiv version, ISO 8601"),
  submittedOnDailyAt: z.string().optional().describe("the day the paper was featured, 00:00 UTC"),
  title: z.string(),
  submittedOnDailyBy: hfDailySubmitterSchema.optional(),
  summary: z.string().describe("the abstract"),
  upvotes: z.number().int().describe("Hugging Face upvotes (largest daily entry) plus local votes"),
  discussionId: z.string().describe("stable id of the paper's comment thread on this site"),
  projectPage: z.string().optional(),
  githubRepo: z.string().optional(),
  ai_summary: z.string().optional(),
  ai_keywords: z.array(z.string()).optional(),
  githubStars: z.number().int().optional(),
  organization: hfOrganizationSchema.optional(),
});

export const hfSubmitterSchema = z.object({
  _id: z.string(),
  avatarUrl: z.string(),
  fullname: z.string(),
  name: z.string(),
  type: z.literal("user"),
  isPro: z.boolean(),
  isHf: z.boolean(),
  isHfAdmin: z.boolean(),
  isMod: z.boolean(),
  followerCount: z.number().int(),
  isUserFollowing: z.boolean(),
});

/** One entry of a daily list (and of a search), as `GET /api/daily_papers` returns it. */
export const hfDailyItemSchema = z.object({
  paper: hfPaperSchema,
  publishedAt: z.string(),
  title: z.string(),
  summary: z.string(),
  thumbnail: z.string(),
  numComments: z.number().int(),
  submittedBy: hfSubmitterSchema.optional(),
  organization: hfOrganizationSchema.optional(),
  isAuthorParticipating: z.boolean(),
});

export const hfDailyListSchema = z.array(hfDailyItemSchema);

export const errorSchema = z.object({
  error: z.object({
    code: z.string().describe("stable, machine-readable (e.g. invalid_request, not_found, unauthorized)"),
    message: z.string(),
    field: z.string().optional().describe("the query or path field at fault"),
  }),
});

const pieceSchema = z.object({ text: z.string(), match: z.boolean() });

/** Paperboy's own search: hybrid (keyword + meaning) with filters, snippets and paging. */
export const searchResultSchema = z.object({
  results: z.array(
    z.object({
      paper: hfPaperSchema,
      score: z.number(),
      title: z.array(pieceSchema).describe("the title with matched words marked"),
      snippet: z.array(pieceSchema).describe("a window of the abstract with matched words marked"),
    }),
  ),
  total: z.number().int(),
  page: z.number().int(),
  perPage: z.number().int(),
  mode: z.string(),
  filters: z.object({
    authors: z.array(z.string()).optional(),
    categories: z.array(z.string()).optional(),
    since: z.string().optional(),
    until: z.string().optional(),
  }),
  notes: z.array(z.string()),
  problem: z.string().nullable(),
  suggestion: z
    .string()
    .nullable()
    .describe(
      '"did you mean": the query with unknown words replaced by the closest words papers use; when correctedFrom is set, the query the results are for',
    ),
  correctedFrom: z
    .string()
    .nullable()
    .describe(
      "the query as sent, when the results are the suggestion's instead (whenever the suggestion finds papers, unless as_typed=true); the query may have found no papers",
    ),
  typedHasResults: z
    .boolean()
    .describe(
      "with correctedFrom: whether the query as sent finds papers of its own (as_typed=true shows them)",
    ),
  author: z
    .object({
      name: z.string(),
      papers: z.number().int(),
      url: z.string().describe("the author's page"),
      api: z.string().describe("the author's papers in this API"),
    })
    .nullable()
    .describe(
      "when the query is just an author's name (first page, no filters): that author, for their page",
    ),
});

export const similarSchema = z.object({
  id: z.string(),
  similar: z.array(z.object({ paper: hfPaperSchema, score: z.number() })),
});

/** A ranked list of Paperboy's own (trending, author, category), with paging and the trending score. */
export const rankedListSchema = z.object({
  papers: z.array(
    hfDailyItemSchema.extend({
      score: z.number().describe("trending score at the list's reference time"),
      starsGained: z.number().int(),
    }),
  ),
  total: z.number().int(),
  page: z.number().int(),
  perPage: z.number().int(),
  sort: z.string(),
});

export const trendingSchema = rankedListSchema.extend({
  at: z.string(),
  window: z.object({ start: z.string(), end: z.string() }),
  params: z.object({
    commentWeight: z.number(),
    starWeight: z.number(),
    ageOffsetHours: z.number(),
    gravity: z.number(),
    windowDays: z.number(),
  }),
  formula: z.string(),
});

export type HfPaper = z.infer<typeof hfPaperSchema>;
export type HfDailyItem = z.infer<typeof hfDailyItemSchema>;
export type RankedList = z.infer<typeof rankedListSchema>;
