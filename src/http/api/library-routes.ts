/**
 * The reader's API beyond votes and comments: library tags, import and export of the library, the whole
 * account as JSON, and digest subscriptions with their saved searches and follows (categories, authors).
 * For-you and thumbs live with the recommendations' routes.
 */
import { z } from "zod";
import { isTimeZone, MAX_SECTION_ITEMS } from "../../core/digest.ts";
import { PaperboyError } from "../../core/index.ts";
import { exportAccount, exportLibrary } from "../../jobs/library-export.ts";
import { importLibrary, LibraryFileTooLarge } from "../../jobs/library-import.ts";
import {
  EXPORT_FILE,
  EXPORT_FORMATS,
  LIBRARY_FORMATS,
  MAX_LIBRARY_FILE_BYTES,
} from "../../sources/library/index.ts";
import type { Subscription } from "../../store/digests/index.ts";
import type { AppDeps } from "../env.ts";
import { userId, writerId } from "./community-routes.ts";
import { ApiError } from "./errors.ts";
import { type ApiRoute, defineRoute, listParam } from "./route.ts";

export const importSummarySchema = z.object({
  format: z.enum(LIBRARY_FORMATS),
  entries: z.number().int().describe("entries read (bad ones not counted)"),
  imported: z.number().int().describe("added by their arXiv id"),
  matchedByTitle: z.number().int().describe("added by a title match against this site's papers"),
  fetching: z.number().int().describe("arXiv papers not here yet: a fetch is queued, they join when fetched"),
  alreadyInLibrary: z.number().int(),
  notFound: z.array(z.object({ line: z.number().int(), label: z.string(), reason: z.string() })),
  invalid: z.array(z.object({ line: z.number().int(), reason: z.string() })),
});

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

const accountSchema = z.object({
  format: z.literal("paperboy-account"),
  version: z.number().int(),
  exportedAt: z.string(),
  profile: z.object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.string(),
    createdAt: z.string(),
    verifiedAt: z.string().nullable(),
  }),
  votes: z.array(z.object({ paperId: z.string(), votedAt: z.string() })),
  comments: z.array(
    z.object({
      id: z.string(),
      paperId: z.string(),
      parentId: z.string().nullable(),
      body: z.string(),
      state: z.string(),
      createdAt: z.string(),
      editedAt: z.string().nullable(),
    }),
  ),
  library: z.array(
    z.object({
      paperId: z.string(),
      title: z.string().nullable(),
      savedAt: z.string(),
      readAt: z.string().nullable(),
      tags: z.array(z.string()),
    }),
  ),
  subscriptions: z.array(z.record(z.string(), z.unknown())),
});

/** The request's body as bytes, refused (413) past the library file limit before anything is stored. */
async function fileBody(request: Request): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_LIBRARY_FILE_BYTES) throw new LibraryFileTooLarge(declared);
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > MAX_LIBRARY_FILE_BYTES) throw new LibraryFileTooLarge(bytes.byteLength);
  if (bytes.byteLength === 0)
    throw new ApiError("invalid_request", "the body is empty: send the file as the body");
  return bytes;
}

export function libraryApiRoutes(deps: AppDeps): ApiRoute[] {
  const own = async (user: string, id: string): Promise<Subscription> => {
    const sub = await deps.store.digests.get(id);
    if (!sub || sub.userId !== user) throw new ApiError("not_found", "no such subscription of yours");
    return sub;
  };
  return [
    defineRoute({
      method: "get",
      path: "/library/tags",
      operationId: "listLibraryTags",
      summary: "The member's library tags with how many papers carry each",
      tags: ["library"],
      auth: true,
      response: {
        description: "tags by name",
        schema: z.object({ tags: z.array(z.object({ tag: z.string(), count: z.number().int() })) }),
      },
      async handler(c) {
        return c.json({ tags: await deps.store.community.libraryTags(userId(c)) });
      },
    }),
    defineRoute({
      method: "post",
      path: "/library/import",
      operationId: "importLibrary",
      summary:
        "Import a BibTeX, RIS, CSL-JSON or CSV file, or a list of arXiv ids, URLs or DOIs (at most 5 MiB)",
      description:
        "Each entry resolves by its arXiv id (eprint, arxiv, url or note fields, or a 10.48550/arXiv.ID DOI), " +
        "else by its title against this site's papers, else (an arXiv paper not here yet) by a queued fetch from " +
        "arXiv. Keywords and collections become tags. Importing the same file again changes nothing. A bad " +
        "entry is reported with its line and the rest imports.",
      tags: ["library"],
      auth: true,
      query: z.object({
        format: z.enum(LIBRARY_FORMATS).optional().describe("default: told from the content"),
        tag: listParam.optional().describe("tags added to every imported paper"),
      }),
      rawBody: {
        description: "the file itself, as the body",
        mediaTypes: [
          "text/plain",
          "application/x-bibtex",
          "application/x-research-info-systems",
          "application/json",
        ],
      },
      response: {
        description: "what was imported, matched, queued and not found",
        schema: importSummarySchema,
      },
      async handler(c, { query }) {
        const user = writerId(c);
        const file = await fileBody(c.req.raw);
        const summary = await importLibrary({
          store: deps.store,
          userId: user,
          file,
          tags: query.tag ?? [],
          ...(query.format ? { format: query.format } : {}),
          now: deps.now(),
        });
        return c.json(summary);
      },
    }),
    defineRoute({
      method: "get",
      path: "/library/export",
      operationId: "exportLibrary",
      summary: "The member's library as a BibTeX, RIS, CSL-JSON or CSV file (tags included)",
      tags: ["library"],
      auth: true,
      query: z.object({ format: z.enum(EXPORT_FORMATS).default("bibtex") }),
      response: {
        description: "the file (BibTeX, RIS, CSL-JSON or CSV by `format`)",
        schema: z.string(),
        mediaType: "text/plain",
      },
      async handler(c, { query }) {
        const text = await exportLibrary(deps.store, userId(c), query.format);
        const file = EXPORT_FILE[query.format];
        return c.body(text, 200, {
          "Content-Type": file.mediaType,
          "Content-Disposition": `attachment; filename="library.${file.extension}"`,
          "Cache-Control": "private, no-store",
        });
      },
    }),
    defineRoute({
      method: "get",
      path: "/account/export",
      operationId: "exportAccount",
      summary: "The member's whole account as one JSON document",
      description:
        "Profile, votes, comments, library with tags, digest subscriptions with saved searches and follows.",
      tags: ["account"],
      auth: true,
      response: { description: "the account", schema: accountSchema },
      async handler(c) {
        const data = await exportAccount(deps.store, userId(c), deps.now());
        if (!data) throw new ApiError("not_found", "no such account");
        c.header("Content-Disposition", 'attachment; filename="paperboy-account.json"');
        c.header("Cache-Control", "private, no-store");
        return c.json(data);
      },
    }),
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
