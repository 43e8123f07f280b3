import type { Context, Hono } from "hono";
import { z } from "zod";
import { type ArxivId, describeError, type Paper, parseArxivId, toTimestamp } from "../../core/index.ts";
import {
  CommunityError,
  type LibraryItem,
  MAX_TAG_LENGTH,
  parseTagList,
} from "../../store/community/index.ts";
import { wantsJson } from "../accounts/message.tsx";
import { requireUser, requireVerified } from "../accounts/session.ts";
import type { AppDeps, AppEnv } from "../env.ts";
import { formatDay, shortAuthors } from "../views/format.ts";
import { renderPage } from "../views/page.tsx";
import { paperPath } from "../views/paper-card.tsx";
import { Tex } from "../views/tex.tsx";
import { ExportLinks } from "./library-io.tsx";
import { answer, formField, member, refuse, refuseError } from "./shared.ts";

const PER_PAGE = 30;
const READ_FILTERS = ["all", "unread", "read"] as const;
type ReadFilter = (typeof READ_FILTERS)[number];

const libraryQuery = z.object({
  tag: z
    .string()
    .max(MAX_TAG_LENGTH * 4)
    .optional(),
  read: z.enum(READ_FILTERS).catch("all").default("all"),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

function libraryPath(filter: { tag?: string | null; read?: ReadFilter; page?: number }): string {
  const params = new URLSearchParams();
  if (filter.tag) params.set("tag", filter.tag);
  if (filter.read && filter.read !== "all") params.set("read", filter.read);
  if (filter.page && filter.page > 1) params.set("page", String(filter.page));
  const query = params.toString();
  return query ? `/library?${query}` : "/library";
}

/** The paper a library form names in its `paper` field. */
async function paperField(c: Context<AppEnv>): Promise<ArxivId> {
  const raw = await formField(c, "paper");
  try {
    return parseArxivId(raw).id;
  } catch (error) {
    throw new CommunityError("invalid_input", describeError(error));
  }
}

function Csrf(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

function ItemRow(props: { item: LibraryItem; paper: Paper | undefined; csrf: string }) {
  const { item, paper, csrf } = props;
  return (
    <li class={`library-item${item.readAt ? " read" : ""}`}>
      <h2>
        <a href={paperPath(item.paperId)}>{paper ? <Tex text={paper.title} /> : `arXiv:${item.paperId}`}</a>
      </h2>
      <p class="small muted">
        {paper ? `${shortAuthors(paper.authors)} · ` : ""}saved {formatDay(item.savedAt)}
        {item.readAt ? ` · read ${formatDay(item.readAt)}` : " · unread"}
      </p>
      {item.tags.length > 0 ? (
        <p class="tags small">
          {item.tags.map((tag) => (
            <a class="tag" href={libraryPath({ tag })}>
              {tag}
            </a>
          ))}
        </p>
      ) : null}
      <div class="library-actions small">
        <form method="post" action="/library/read">
          <Csrf token={csrf} />
          <input type="hidden" name="paper" value={item.paperId} />
          <input type="hidden" name="read" value={item.readAt ? "0" : "1"} />
          <button type="submit">{item.readAt ? "Mark unread" : "Mark read"}</button>
        </form>
        <form method="post" action="/library/tags">
          <Csrf token={csrf} />
          <input type="hidden" name="paper" value={item.paperId} />
          <label>
            Tags{" "}
            <input name="tags" value={item.tags.join(", ")} placeholder="comma, separated" maxlength={1000} />
          </label>{" "}
          <button type="submit">Save tags</button>
        </form>
        <form method="post" action="/library/remove">
          <Csrf token={csrf} />
          <input type="hidden" name="paper" value={item.paperId} />
          <button type="submit">Remove</button>
        </form>
      </div>
    </li>
  );
}

async function libraryPage(c: Context<AppEnv>, deps: AppDeps): Promise<Response> {
  const user = member(c);
  const parsed = libraryQuery.safeParse(c.req.query());
  const query = parsed.success ? parsed.data : { tag: undefined, read: "all" as const, page: 1 };
  let tag: string | null = null;
  try {
    tag = query.tag ? (parseTagList(query.tag)[0] ?? null) : null;
  } catch (error) {
    return refuseError(c, deps, error);
  }
  const community = deps.store.community;
  const [{ items, total }, tags] = await Promise.all([
    community.library(user.id, {
      tag,
      read: query.read === "all" ? null : query.read === "read",
      limit: PER_PAGE,
      offset: (query.page - 1) * PER_PAGE,
    }),
    community.libraryTags(user.id),
  ]);
  const papers = new Map((await deps.store.getPapers(items.map((i) => i.paperId))).map((p) => [p.id, p]));
  const pages = Math.max(1, Math.ceil(total / PER_PAGE));
  const csrf = c.get("csrf");
  return renderPage(c, deps.config.web.baseUrl, {
    title: tag ? `Library: ${tag}` : "Your library",
    current: "library",
    noindex: true,
    children: (
      <section class="library">
        <h1>{tag ? `Your library: ${tag}` : "Your library"}</h1>
        <ExportLinks />
        <nav class="filters small" aria-label="Filter">
          {READ_FILTERS.map((read) => (
            <a href={libraryPath({ tag, read })} aria-current={read === query.read ? "page" : undefined}>
              {read === "all" ? "All" : read === "unread" ? "Unread" : "Read"}
            </a>
          ))}
        </nav>
        {tags.length > 0 ? (
          <nav class="tags small" aria-label="Tags">
            <a href={libraryPath({ read: query.read })} aria-current={tag === null ? "page" : undefined}>
              every tag
            </a>
            {tags.map((t) => (
              <a
                class="tag"
                href={libraryPath({ tag: t.tag, read: query.read })}
                aria-current={t.tag === tag ? "page" : undefined}
              >
                {t.tag} ({t.count})
              </a>
            ))}
          </nav>
        ) : null}
        {items.length === 0 ? (
          <p class="muted">
            {total === 0 && tag === null && query.read === "all"
              ? "Nothing saved yet: use Save on any paper to keep it here."
              : "No saved paper matches this filter."}
          </p>
        ) : (
          <ol class="library-items">
            {items.map((item) => (
              <ItemRow item={item} paper={papers.get(item.paperId)} csrf={csrf} />
            ))}
          </ol>
        )}
        {pages > 1 ? (
          <nav class="pager small" aria-label="Pages">
            {query.page > 1 ? (
              <a href={libraryPath({ tag, read: query.read, page: query.page - 1 })}>Newer</a>
            ) : null}{" "}
            page {query.page} of {pages}{" "}
            {query.page < pages ? (
              <a href={libraryPath({ tag, read: query.read, page: query.page + 1 })}>Older</a>
            ) : null}
          </nav>
        ) : null}
      </section>
    ),
  });
}

/** The library page and its forms: save (toggle), tags, read mark, remove. */
export function mountLibrary(app: Hono<AppEnv>, deps: AppDeps): void {
  const community = deps.store.community;
  app.get("/library", requireUser, (c) => libraryPage(c, deps));

  /** Save or un-save; scripts get `{ active }`. */
  app.post("/library/toggle", requireVerified, async (c) => {
    try {
      const id = await paperField(c);
      const user = member(c);
      const saved = (await community.savedItems(user.id, [id])).has(id);
      if (saved) await community.removeFromLibrary(user.id, id);
      else {
        if ((await community.hiddenAmong([id])).has(id))
          throw new CommunityError("not_found", `no paper ${id} here`);
        await community.saveToLibrary(user.id, id, {}, toTimestamp(deps.now()));
      }
      return answer(c, deps, { active: !saved }, paperPath(id));
    } catch (error) {
      return refuseError(c, deps, error);
    }
  });

  app.post("/library/tags", requireVerified, async (c) => {
    try {
      const id = await paperField(c);
      const tags = parseTagList(await formField(c, "tags"));
      const item = await community.updateLibraryItem(member(c).id, id, { tags }, toTimestamp(deps.now()));
      return answer(c, deps, { item }, "/library");
    } catch (error) {
      return refuseError(c, deps, error);
    }
  });

  app.post("/library/read", requireUser, async (c) => {
    try {
      const id = await paperField(c);
      const read = (await formField(c, "read")) !== "0";
      const item = await community.updateLibraryItem(member(c).id, id, { read }, toTimestamp(deps.now()));
      return answer(c, deps, { active: item.readAt !== null, item }, "/library");
    } catch (error) {
      return refuseError(c, deps, error);
    }
  });

  app.post("/library/remove", requireUser, async (c) => {
    try {
      const id = await paperField(c);
      const removed = await community.removeFromLibrary(member(c).id, id);
      if (!removed && !wantsJson(c)) {
        return refuse(c, deps, {
          status: 404,
          code: "not_found",
          title: "Not in your library",
          text: `${id} is not in your library.`,
        });
      }
      return answer(c, deps, { active: false, removed }, "/library");
    } catch (error) {
      return refuseError(c, deps, error);
    }
  });
}
