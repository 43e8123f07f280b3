/**
 * The library's files through the API: tags, import and export of the library, and the member's whole account
 * as JSON. For-you and thumbs live with the recommendations' routes; subscriptions in subscription-routes.ts.
 */
import { z } from "zod";
import { exportAccount, exportLibrary } from "../../jobs/library-export.ts";
import { importLibrary, LibraryFileTooLarge } from "../../jobs/library-import.ts";
import {
  EXPORT_FILE,
  EXPORT_FORMATS,
  LIBRARY_FORMATS,
  MAX_LIBRARY_FILE_BYTES,
} from "../../sources/library/index.ts";
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
  ];
}
