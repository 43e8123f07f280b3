import { z } from "zod";
import { parseIsoDate } from "../../core/index.ts";
import { TRENDING_FORMULA } from "../../core/trending.ts";
import type { AppDeps } from "../env.ts";
import { arxivIdParam, categoryParam, requirePaper } from "./hf-routes.ts";
import { presentPaper, presentRanked } from "./presenters.ts";
import { type ApiRoute, defineRoute, limitNumber, listParam, pageNumber } from "./route.ts";
import { rankedListSchema, searchResultSchema, similarSchema, trendingSchema } from "./schemas.ts";

const isoDate = z.string().transform((v, ctx) => {
  try {
    return parseIsoDate(v);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: (error as Error).message });
    return z.NEVER;
  }
});

const listQuery = z.object({
  p: pageNumber(0).describe("page, from 0"),
  limit: limitNumber(50),
  sort: z.enum(["top", "trending", "newest"]).default("newest"),
});

/** Paperboy's own operations: hybrid search with filters, similar papers, trending, author and category lists. */
export function ownRoutes(deps: AppDeps): ApiRoute[] {
  return [
    defineRoute({
      method: "get",
      path: "/search",
      operationId: "searchHybrid",
      summary: "Search by keyword and meaning, with filters",
      tags: ["search"],
      query: z.object({
        q: z
          .string()
          .trim()
          .default("")
          .describe(
            "words, phrases, author:, cat:, since:, until:, year:; any length, but only the first 2,000 " +
              "characters and 64 words are searched (a note says so)",
          ),
        mode: z.enum(["hybrid", "keyword", "vector"]).optional(),
        sort: z.enum(["relevance", "date", "upvotes"]).optional(),
        author: listParam.optional().describe("every author must be on the paper (repeat or comma-separate)"),
        category: listParam.optional().describe("any of these categories"),
        since: isoDate.optional(),
        until: isoDate.optional(),
        page: z.coerce.number().int().min(1).max(10_000).default(1),
        per_page: limitNumber(20),
        as_typed: z
          .enum(["true", "false", "1", "0", ""])
          .optional()
          .describe("true (or 1): search the words as sent, never the spelling suggestion instead"),
      }),
      response: { description: "a page of results", schema: searchResultSchema },
      async handler(c, { query }) {
        const results = await deps.search.search({
          q: query.q,
          mode: query.mode,
          sort: query.sort,
          page: query.page,
          perPage: query.per_page,
          spelling: query.as_typed === "true" || query.as_typed === "1" ? "suggest" : "correct",
          filters: {
            ...(query.author?.length ? { authors: query.author } : {}),
            ...(query.category?.length ? { categories: query.category } : {}),
            ...(query.since ? { since: query.since } : {}),
            ...(query.until ? { until: query.until } : {}),
          },
        });
        const activity = await deps.store.listings.activity(results.hits.map((h) => h.paper.id));
        return c.json({
          results: results.hits.map((hit) => ({
            paper: presentPaper(
              hit.paper,
              activity.get(hit.paper.id) ?? { upvotes: hit.upvotes, entry: null },
            ),
            score: hit.score,
            title: hit.title,
            snippet: hit.snippet,
          })),
          total: results.total,
          page: results.page,
          perPage: results.perPage,
          mode: results.mode,
          filters: results.filters,
          notes: results.notes,
          problem: results.problem,
          suggestion: results.suggestion,
          correctedFrom: results.correctedFrom,
          typedHasResults: results.typedHasResults,
          author: results.author && {
            ...results.author,
            url: `/authors/${encodeURIComponent(results.author.name)}`,
            api: `/api/authors/${encodeURIComponent(results.author.name)}/papers`,
          },
        });
      },
    }),
    defineRoute({
      method: "get",
      path: "/papers/:id{.+}/similar",
      operationId: "similarPapers",
      summary: "Papers similar to one paper",
      tags: ["papers"],
      params: z.object({ id: arxivIdParam }),
      query: z.object({ limit: limitNumber(10, 50) }),
      response: { description: "similar papers, most similar first", schema: similarSchema },
      async handler(c, { params, query }) {
        const paper = await requirePaper(deps, params.id);
        const similar = await deps.search.similar(paper.id, query.limit);
        const activity = await deps.store.listings.activity(similar.map((s) => s.paper.id));
        return c.json({
          id: paper.id,
          similar: similar.map((s) => ({
            paper: presentPaper(s.paper, activity.get(s.paper.id) ?? { upvotes: 0, entry: null }),
            score: s.score,
          })),
        });
      },
    }),
    defineRoute({
      method: "get",
      path: "/trending",
      operationId: "trendingPapers",
      summary: "Trending papers, with the formula and its parameters",
      tags: ["lists"],
      query: z.object({ p: pageNumber(0), limit: limitNumber(50), category: categoryParam.optional() }),
      response: { description: "papers by trending score", schema: trendingSchema },
      async handler(c, { query }) {
        const list = await deps.store.listings.trending({
          page: query.p + 1,
          perPage: query.limit,
          category: query.category,
          now: deps.now(),
        });
        return c.json({
          ...presentRanked(list),
          at: list.at.toISOString(),
          window: list.window,
          params: list.params,
          formula: TRENDING_FORMULA,
        });
      },
    }),
    defineRoute({
      method: "get",
      path: "/authors/:name/papers",
      operationId: "authorPapers",
      summary: "Papers by an author (name matched without case or accents)",
      tags: ["lists"],
      params: z.object({ name: z.string().trim().min(1).max(200) }),
      query: listQuery,
      response: { description: "the author's papers", schema: rankedListSchema },
      async handler(c, { params, query }) {
        const list = await deps.store.listings.byAuthor(params.name, {
          page: query.p + 1,
          perPage: query.limit,
          sort: query.sort,
          now: deps.now(),
        });
        return c.json(presentRanked(list));
      },
    }),
    defineRoute({
      method: "get",
      path: "/categories/:category/papers",
      operationId: "categoryPapers",
      summary: "Papers in an arXiv category (primary or cross-listed)",
      tags: ["lists"],
      params: z.object({ category: categoryParam }),
      query: listQuery,
      response: { description: "the category's papers", schema: rankedListSchema },
      async handler(c, { params, query }) {
        const list = await deps.store.listings.byCategory(params.category, {
          page: query.p + 1,
          perPage: query.limit,
          sort: query.sort,
          now: deps.now(),
        });
        return c.json(presentRanked(list));
      },
    }),
  ];
}
