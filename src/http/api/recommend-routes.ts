import { z } from "zod";
import type { AppDeps, AppEnv } from "../env.ts";
import { forYouSource, presentRecommendation, recommendationSchema, setThumb } from "../recommend/for-you.ts";
import { ApiError } from "./errors.ts";
import { arxivIdParam } from "./hf-routes.ts";
import { type ApiRoute, defineRoute, limitNumber, pageNumber } from "./route.ts";

/**
 * A reader's recommendations through the API, as the For-you page shows them: the list with its reasons,
 * thumbs up and down (which feed the reader's profile), and the thumbs given. Signed-in members only.
 */

const thumbSchema = z.object({
  id: z.string(),
  thumb: z.enum(["up", "down"]),
  at: z.string().describe("when it was last set"),
});

function userId(c: { get(key: "user"): AppEnv["Variables"]["user"] }): string {
  const user = c.get("user");
  if (!user) throw new ApiError("unauthorized", "sign in or send Authorization: Bearer <API token>");
  return user.id;
}

export function recommendApiRoutes(deps: AppDeps): ApiRoute[] {
  const forYou = forYouSource(deps);
  return [
    defineRoute({
      method: "get",
      path: "/for-you",
      operationId: "forYou",
      summary: "Papers recommended to the signed-in member, each with its reason",
      description:
        "Drawn from the newest papers, scored against a profile of the member's library (one per tag, " +
        "clusters of the rest), upvotes and thumbs. Never a paper in their library, thumbed down, or shown " +
        "before today (here, on the For-you page or in a digest); the same day's list comes back on a repeat call.",
      tags: ["recommendations"],
      auth: true,
      query: z.object({ limit: limitNumber(20) }),
      response: {
        description: "the recommendations, best first",
        schema: z.object({ papers: z.array(recommendationSchema) }),
      },
      async handler(c, { query }) {
        const recs = await forYou(userId(c), query.limit);
        return c.json({ papers: recs.map(presentRecommendation) });
      },
    }),
    defineRoute({
      method: "put",
      path: "/for-you/:id{.+}/thumb",
      operationId: "setThumb",
      summary: "Thumb a paper up (more like it) or down (never again, less like it); null takes it back",
      tags: ["recommendations"],
      auth: true,
      params: z.object({ id: arxivIdParam }),
      body: z.object({ thumb: z.enum(["up", "down"]).nullable() }),
      response: {
        description: "the thumb now set",
        schema: z.object({ id: z.string(), thumb: z.enum(["up", "down"]).nullable() }),
      },
      async handler(c, { params, body }) {
        if (!(await setThumb(deps, userId(c), params.id, body.thumb))) {
          throw new ApiError("not_found", `no paper ${params.id}`);
        }
        return c.json({ id: params.id, thumb: body.thumb });
      },
    }),
    defineRoute({
      method: "get",
      path: "/for-you/thumbs",
      operationId: "listThumbs",
      summary: "The signed-in member's thumbs, most recent first",
      tags: ["recommendations"],
      auth: true,
      query: z.object({ p: pageNumber(0), limit: limitNumber(50, 200) }),
      response: { description: "thumbs", schema: z.object({ thumbs: z.array(thumbSchema) }) },
      async handler(c, { query }) {
        const thumbs = await deps.store.recommend.thumbs(userId(c), {
          limit: query.limit,
          offset: query.p * query.limit,
        });
        return c.json({ thumbs: thumbs.map((t) => ({ id: t.paperId, thumb: t.thumb, at: t.at })) });
      },
    }),
  ];
}
