/**
 * Digest subscriptions through the API: list, start, change, end; saved searches and follows (categories,
 * authors) are part of each subscription's contents, and read across them at `/saved-searches` and `/follows`.
 * Channels besides mail (Slack, webhooks) are set in settings, where their addresses are checked.
 */
import { z } from "zod";
import { isTimeZone, MAX_SECTION_ITEMS } from "../../core/digest.ts";
import { PaperboyError } from "../../core/index.ts";
import type { Subscription } from "../../store/digests/index.ts";
import type { AppDeps } from "../env.ts";
import { userId, writerId } from "./community-routes.ts";
import { ApiError } from "./errors.ts";
import { type ApiRoute, defineRoute } from "./route.ts";

const scheduleSchema = z.object({
  frequency: z.enum(["daily", "weekly"]),
  hour: z.number().int().min(0).max(23),
  weekday: z.number().int().min(1).max(7).default(1),
  timeZone: z.string().max(64).refine(isTimeZone, "unknown time zone (use a name such as Europe/Paris)"),
});

const item = (max: number) => z.string().trim().min(1).max(max);
const contentsSchema = z.object({
  trending: z.number().int().min(0).max(MAX_SECTION_ITEMS).default(10),
  searches: z.array(item(200)).max(20).default([]).describe("saved searches, as typed in the search box"),
  categories: z
    .array(item(40).regex(/^[a-z-]+(\.[A-Za-z-]+)?$/, "categories look like cs.CL or math"))
    .max(20)
    .default([])
    .describe("followed categories"),
  authors: z.array(item(100)).max(20).default([]).describe("followed authors"),
  recommendations: z.boolean().default(true),
});

const subscriptionSchema = z.object({
  id: z.string(),
  email: z.string(),
  state: z.enum(["pending", "active", "unsubscribed", "disabled"]),
  schedule: z.object({
    frequency: z.enum(["daily", "weekly"]),
    hour: z.number().int(),
    weekday: z.number().int(),
    timeZone: z.string(),
  }),
  contents: z.object({
    trending: z.number().int(),
    searches: z.array(z.string()),
    categories: z.array(z.string()),
    authors: z.array(z.string()),
    recommendations: z.boolean(),
  }),
  emailEnabled: z.boolean(),
  channels: z.array(z.string()).describe("where digests go besides mail (set in settings)"),
  createdAt: z.string(),
});

function presentSubscription(s: Subscription): z.infer<typeof subscriptionSchema> {
  return {
    id: s.id,
    email: s.email,
    state: s.state,
    schedule: s.schedule,
    contents: { ...s.contents, searches: s.contents.searches.map((q) => q.q) },
    emailEnabled: s.emailEnabled,
    channels: s.targets.map((t) => t.kind),
    createdAt: s.createdAt,
  };
}

const contentsOf = (c: z.infer<typeof contentsSchema>) => ({
  ...c,
  searches: c.searches.map((q) => ({ q })),
});

export function subscriptionApiRoutes(deps: AppDeps): ApiRoute[] {
  const own = async (user: string, id: string): Promise<Subscription> => {
    const sub = await deps.store.digests.get(id);
    if (!sub || sub.userId !== user) throw new ApiError("not_found", "no such subscription of yours");
    return sub;
  };
  return [
    defineRoute({
      method: "get",
      path: "/subscriptions",
      operationId: "listSubscriptions",
      summary: "The member's digest subscriptions, with their saved searches and follows",
      tags: ["subscriptions"],
      auth: true,
      response: {
        description: "subscriptions",
        schema: z.object({ subscriptions: z.array(subscriptionSchema) }),
      },
      async handler(c) {
        const subs = await deps.store.digests.ofUser(userId(c));
        return c.json({ subscriptions: subs.map(presentSubscription) });
      },
    }),
    defineRoute({
      method: "post",
      path: "/subscriptions",
      operationId: "createSubscription",
      summary: "Start a digest to the member's own (verified) address",
      tags: ["subscriptions"],
      auth: true,
      body: z.object({
        schedule: scheduleSchema,
        contents: contentsSchema.default(contentsSchema.parse({})),
      }),
      response: { description: "the new subscription", schema: subscriptionSchema },
      async handler(c, { body }) {
        const user = writerId(c);
        const email = c.get("user")?.email ?? "";
        const sub = await deps.store.digests.subscribe(
          {
            email,
            userId: user,
            schedule: body.schedule,
            contents: contentsOf(body.contents),
            confirmed: true,
            maxPerUser: deps.config.security.maxSubscriptionsPerUser,
          },
          deps.now(),
        );
        return c.json(presentSubscription(sub), 201);
      },
    }),
    defineRoute({
      method: "get",
      path: "/subscriptions/:id",
      operationId: "getSubscription",
      summary: "One of the member's subscriptions",
      tags: ["subscriptions"],
      auth: true,
      params: z.object({ id: z.string().max(100) }),
      response: { description: "the subscription", schema: subscriptionSchema },
      async handler(c, { params }) {
        return c.json(presentSubscription(await own(userId(c), params.id)));
      },
    }),
    defineRoute({
      method: "put",
      path: "/subscriptions/:id",
      operationId: "updateSubscription",
      summary: "Change a subscription's schedule, or its saved searches, follows and sections",
      description: "Fields left out keep their value; `contents` given whole replaces the contents.",
      tags: ["subscriptions"],
      auth: true,
      params: z.object({ id: z.string().max(100) }),
      body: z.object({
        schedule: scheduleSchema.optional(),
        contents: contentsSchema.optional(),
        emailEnabled: z.boolean().optional(),
      }),
      response: { description: "the subscription", schema: subscriptionSchema },
      async handler(c, { params, body }) {
        const sub = await own(writerId(c), params.id);
        const changed = await deps.store.digests.update(
          sub.id,
          {
            ...(body.schedule ? { schedule: body.schedule } : {}),
            ...(body.contents ? { contents: contentsOf(body.contents) } : {}),
            ...(body.emailEnabled !== undefined ? { emailEnabled: body.emailEnabled } : {}),
          },
          deps.now(),
        );
        return c.json(presentSubscription(changed));
      },
    }),
    defineRoute({
      method: "delete",
      path: "/subscriptions/:id",
      operationId: "unsubscribe",
      summary: "End a subscription (its unsent digests are skipped)",
      tags: ["subscriptions"],
      auth: true,
      params: z.object({ id: z.string().max(100) }),
      response: { description: "the subscription, unsubscribed", schema: subscriptionSchema },
      async handler(c, { params }) {
        const sub = await own(userId(c), params.id);
        const ended = await deps.store.digests.unsubscribe(sub.id, deps.now());
        if (!ended) throw new PaperboyError("not_found", "no such subscription of yours");
        return c.json(presentSubscription(ended));
      },
    }),
    defineRoute({
      method: "get",
      path: "/saved-searches",
      operationId: "listSavedSearches",
      summary: "The member's saved searches across their live subscriptions",
      tags: ["subscriptions"],
      auth: true,
      response: {
        description: "saved searches, each with the subscription it belongs to",
        schema: z.object({ searches: z.array(z.object({ q: z.string(), subscriptionId: z.string() })) }),
      },
      async handler(c) {
        const subs = await deps.store.digests.ofUser(userId(c));
        const live = subs.filter((s) => s.state === "active" || s.state === "pending");
        return c.json({
          searches: live.flatMap((s) => s.contents.searches.map((q) => ({ q: q.q, subscriptionId: s.id }))),
        });
      },
    }),
    defineRoute({
      method: "get",
      path: "/follows",
      operationId: "listFollows",
      summary: "The categories and authors the member follows across their live subscriptions",
      tags: ["subscriptions"],
      auth: true,
      response: {
        description: "followed categories and authors, each once",
        schema: z.object({ categories: z.array(z.string()), authors: z.array(z.string()) }),
      },
      async handler(c) {
        const subs = await deps.store.digests.ofUser(userId(c));
        const live = subs.filter((s) => s.state === "active" || s.state === "pending");
        return c.json({
          categories: [...new Set(live.flatMap((s) => s.contents.categories))].sort(),
          authors: [...new Set(live.flatMap((s) => s.contents.authors))].sort(),
        });
      },
    }),
  ];
}
