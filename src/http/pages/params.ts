import { z } from "zod";
import { LISTING_SORTS } from "../../store/listings/index.ts";

/** Query parameters of the pages, parsed once at the edge. A bad value is a 400 naming the parameter. */

/** Pages past this are refused: nobody reads them, and deep offsets are what scrapers use to load a server. */
export const MAX_PAGE = 500;

const page = z.coerce
  .number({ message: "must be a number" })
  .int("must be a whole number")
  .min(1, "must be 1 or more")
  .max(MAX_PAGE, `must be at most ${MAX_PAGE}`)
  .default(1);

export const listingQuery = z.object({
  sort: z.enum(LISTING_SORTS, { message: `must be one of ${LISTING_SORTS.join(", ")}` }).default("top"),
  page,
});

export const browseQuery = z.object({
  sort: z.enum(LISTING_SORTS, { message: `must be one of ${LISTING_SORTS.join(", ")}` }).default("newest"),
  page,
});

export const trendingQuery = z.object({ page });

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .optional()
    .transform((v) => (v ? v : undefined));

const optionalDate = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))
  .refine((v) => v === undefined || /^\d{4}-\d{2}-\d{2}$/.test(v), "must be a date YYYY-MM-DD");

export const SEARCH_MODES = ["hybrid", "keyword", "vector"] as const;
export const SEARCH_SORTS = ["relevance", "date", "upvotes"] as const;

export const searchQuery = z.object({
  // Any length: the query parser reads its first 2,000 characters and 64 words and says so in a note.
  q: z
    .string()
    .default("")
    .transform((v) => v.trim()),
  mode: z.enum(SEARCH_MODES, { message: `must be one of ${SEARCH_MODES.join(", ")}` }).optional(),
  sort: z.enum(SEARCH_SORTS, { message: `must be one of ${SEARCH_SORTS.join(", ")}` }).default("relevance"),
  cat: optionalText(40),
  author: optionalText(200),
  since: optionalDate,
  until: optionalDate,
  page,
  /** "1": the words as typed, never the spelling suggestion instead (the "search instead for" link). */
  as_typed: z
    .enum(["1", "true", "0", "false", ""], { message: "must be 1 (search the words as typed) or left out" })
    .optional()
    .transform((v) => (v === "1" || v === "true" ? "1" : undefined)),
});

export type SearchQuery = z.infer<typeof searchQuery>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Parses a page's query string; the first problem becomes a sentence a reader understands. */
export function parseQuery<T extends z.ZodType>(
  schema: T,
  query: Record<string, string>,
): Parsed<z.infer<T>> {
  const result = schema.safeParse(query);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const field = issue?.path.join(".") || "query";
  return { ok: false, message: `The parameter "${field}" ${issue?.message ?? "is not valid"}.` };
}
