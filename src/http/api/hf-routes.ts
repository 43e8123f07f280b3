import { z } from "zod";
import { type ArxivId, parseArxivId, parseCategory, parseIsoDate } from "../../core/index.ts";
import { type Period, parsePeriodKey } from "../../store/listings/index.ts";
import type { AppDeps } from "../env.ts";
import { ApiError } from "./errors.ts";
import { presentDailyItem, presentListed, presentPaper } from "./presenters.ts";
import { ResponseCache } from "./response-cache.ts";
import { type ApiRoute, defineRoute, limitNumber, pageNumber } from "./route.ts";
import { hfDailyListSchema, hfPaperSchema } from "./schemas.ts";

/** Checks a value with a domain parser, turning its error into a zod issue on that field. */
function checked<T>(parser: (s: string) => T) {
  return (value: string, ctx: z.RefinementCtx): T => {
    try {
      return parser(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : String(error) });
      return z.NEVER;
    }
  };
}

export const arxivIdParam = z
  .string()
  .max(200)
  .transform(checked((s) => parseArxivId(s).id));
export const categoryParam = z.string().max(60).transform(checked(parseCategory));

const dailyQuery = z
  .object({
    date: z
      .string()
      .transform(checked(parseIsoDate))
      .optional()
      .describe("a day, YYYY-MM-DD; default the latest day with papers"),
    week: z.string().max(10).optional().describe("an ISO week, YYYY-Www (e.g. 2024-W22)"),
    month: z.string().max(7).optional().describe("a month, YYYY-MM"),
    p: pageNumber(0).describe("page, from 0"),
    limit: limitNumber(50).describe("entries per page, 1..100"),
    submitter: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe("only entries submitted by this user name"),
    sort: z
      .enum(["top", "trending", "newest", "publishedAt"])
      .default("top")
      .describe(
        "top (upvotes), trending (see /about/trending), newest; publishedAt is Hugging Face's name for newest",
      ),
    category: categoryParam.optional().describe("only papers in this arXiv category (Paperboy extension)"),
  })
  .refine((q) => [q.date, q.week, q.month].filter((v) => v !== undefined).length <= 1, {
    message: "give at most one of date, week and month",
    path: ["date"],
  });

function periodOf(query: { date?: string; week?: string; month?: string }): Period | null {
  if (query.week !== undefined) return parsePeriodKey("week", query.week);
  if (query.month !== undefined) return parsePeriodKey("month", query.month);
  if (query.date !== undefined) return parsePeriodKey("day", query.date);
  return null;
}

/** The stored paper, or a 404 in the API's error shape. */
export async function requirePaper(deps: AppDeps, id: ArxivId) {
  const paper = await deps.store.getPaper(id);
  if (!paper) throw new ApiError("not_found", `no paper ${id}`);
  return paper;
}

/** The Hugging Face papers API, same paths, parameters and shapes. */
export function hfRoutes(deps: AppDeps): ApiRoute[] {
  const dailyCache = new ResponseCache();
  return [
    defineRoute({
      method: "get",
      path: "/daily_papers",
      operationId: "listDailyPapers",
      summary: "Papers of a day, week or month",
      description:
        "Hugging Face compatible. Without date, week or month: the latest day with papers (or, with sort=trending, " +
        "the trending list). A paper featured on several days of a week or month appears once.",
      tags: ["papers"],
      query: dailyQuery,
      response: { description: "daily entries, best first", schema: hfDailyListSchema },
      async handler(c, { query }) {
        const period = periodOf(query);
        const page = query.p + 1;
        const perPage = query.limit;
        const sort = query.sort === "publishedAt" ? "newest" : query.sort;
        const now = deps.now();
        if (period === null && sort === "trending" && query.submitter === undefined) {
          const list = await deps.store.listings.trending({ page, perPage, now, category: query.category });
          c.header("X-Total-Count", String(list.total));
          return c.json(list.items.map(presentListed));
        }
        // Top and newest lists do not depend on the clock: the same store version gives the same answer.
        const cacheable = sort !== "trending";
        const version = cacheable ? await deps.store.listings.version() : null;
        const key = JSON.stringify([
          query.date,
          query.week,
          query.month,
          page,
          perPage,
          sort,
          query.submitter,
          query.category,
        ]);
        const cached = dailyCache.get(version, key);
        if (cached) return c.body(cached.body, 200, cached.headers);
        const list = await deps.store.listings.period(period, {
          page,
          perPage,
          sort,
          now,
          submitter: query.submitter,
          category: query.category,
        });
        const headers = { "Content-Type": "application/json", "X-Total-Count": String(list.total) };
        const body = JSON.stringify(list.items.map(presentListed));
        dailyCache.set(version, key, { body, headers });
        return c.body(body, 200, headers);
      },
    }),
    defineRoute({
      method: "get",
      path: "/papers/search",
      operationId: "searchPapers",
      summary: "Search papers",
      description: "Hugging Face compatible: the best matches for q, as daily entries.",
      tags: ["papers"],
      query: z.object({
        q: z
          .string()
          .trim()
          .min(1)
          .describe(
            "words, phrases, author:, cat:, since:, until:, year:; the first 2,000 characters and 64 words",
          ),
        limit: limitNumber(50),
      }),
      response: { description: "matching papers, best first", schema: hfDailyListSchema },
      async handler(c, { query }) {
        // As Hugging Face answers it: the query's own papers, no spelling correction in their place.
        const results = await deps.search.search({ q: query.q, perPage: query.limit, spelling: "off" });
        const activity = await deps.store.listings.activity(results.hits.map((h) => h.paper.id));
        return c.json(
          results.hits.map((hit) =>
            presentDailyItem(
              hit.paper,
              activity.get(hit.paper.id) ?? {
                upvotes: hit.upvotes,
                numComments: 0,
                entry: null,
                featuredOn: [],
              },
            ),
          ),
        );
      },
    }),
    defineRoute({
      method: "get",
      path: "/papers/:id{.+}",
      operationId: "getPaper",
      summary: "One paper",
      description:
        "Hugging Face compatible. The id may carry a version or an arXiv URL form; old-style ids (hep-th/9901001) " +
        "work as they are or with the slash encoded.",
      tags: ["papers"],
      params: z.object({ id: arxivIdParam }),
      response: { description: "the paper", schema: hfPaperSchema },
      async handler(c, { params }) {
        const paper = await requirePaper(deps, params.id);
        const activity = (await deps.store.listings.activity([paper.id])).get(paper.id);
        return c.json(presentPaper(paper, activity ?? { upvotes: 0, entry: null }));
      },
    }),
  ];
}
