import type { Context } from "hono";
import type { Child } from "hono/jsx";
import {
  type ArxivId,
  absUrl,
  describeError,
  type Paper,
  type ParsedArxivId,
  parseArxivId,
} from "../../core/index.ts";
import type { SimilarPaper } from "../../search/service/index.ts";
import type { PaperActivity } from "../../store/listings/index.ts";
import type { AppEnv } from "../env.ts";
import { bibtexFor } from "../views/bibtex.ts";
import { CommentsSection, PaperModeration, SaveToLibrary, VoteButton } from "../views/community.tsx";
import {
  formatCount,
  formatDay,
  plural,
  safeHref,
  shortAuthors,
  shortUrl,
  truncate,
} from "../views/format.ts";
import { texToPlain } from "../views/math.ts";
import { paperPath } from "../views/paper-card.tsx";
import { Tex } from "../views/tex.tsx";
import { authorPath, categoryPath } from "./browse.tsx";
import { periodPath } from "./listing.tsx";
import type { Site } from "./site.tsx";

const SIMILAR_COUNT = 6;
/** Longest the paper page waits for similar papers. */
const SIMILAR_BUDGET_MS = 300;

/** The paper's page on Hugging Face, where the comments counted there are. */
function hfPaperUrl(id: string): string {
  return `https://huggingface.co/papers/${id}`;
}

/** The id part of `/papers/<id>`: percent-decoded, or null when it is not valid UTF-8. */
function idFromPath(path: string): string | null {
  const raw = path.replace(/^\/papers\//, "").replace(/\/+$/, "");
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

function parseId(raw: string | null): ParsedArxivId | string {
  if (raw === null || raw === "") return "The address names no paper.";
  try {
    return parseArxivId(raw);
  } catch (error) {
    return describeError(error);
  }
}

/**
 * Similar papers, but never at the cost of the page: when the search service fails or takes longer than
 * `SIMILAR_BUDGET_MS` (no engine built yet on a large library), the page renders without them.
 */
async function similarWithin(site: Site, id: ArxivId): Promise<SimilarPaper[]> {
  const { search, logger } = site.deps;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<SimilarPaper[]>((resolve) => {
    timer = setTimeout(() => {
      logger.warn("similar papers too slow; page shown without them", {
        paper: id,
        budgetMs: SIMILAR_BUDGET_MS,
      });
      resolve([]);
    }, SIMILAR_BUDGET_MS);
  });
  const found = search.similar(id, SIMILAR_COUNT + 4).catch((error: unknown) => {
    logger.warn("similar papers failed", { paper: id, error: describeError(error) });
    return [] as SimilarPaper[];
  });
  try {
    return await Promise.race([found, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** GET /papers/<id>: versions, `arXiv:` prefixes and old forms redirect to the canonical `/papers/<id>`. */
export async function paperPage(site: Site, c: Context<AppEnv>): Promise<Response> {
  const raw = idFromPath(c.req.path);
  const parsed = parseId(raw);
  if (typeof parsed === "string") {
    return site.problem(c, {
      status: 404,
      title: "Not a paper id",
      message: `${parsed} Paper addresses look like /papers/2405.15738 or /papers/hep-th/9901001.`,
    });
  }
  if (c.req.path !== paperPath(parsed.id)) return c.redirect(paperPath(parsed.id), 301);
  const { store } = site.deps;
  const paper = await store.getPaper(parsed.id);
  if (!paper) {
    return site.problem(c, {
      status: 404,
      title: "Paper not found",
      message: `arXiv:${parsed.id} is not in this library yet.`,
      hint: (
        <p>
          It may be on <a href={absUrl(parsed.id)}>arXiv</a>. Signed-in members can{" "}
          <a href="/submit">submit it</a>; operators can run{" "}
          <code>npm run paperboy -- sync arxiv --ids {parsed.id}</code>.
        </p>
      ),
    });
  }
  const user = c.get("user");
  const { community } = store;
  // Activity (upvotes and comment counts, Hugging Face's plus local) is read once, from the listings'
  // snapshot of this database version, and feeds both the header and the vote button.
  const [activity, similar, hidden, comments, voted, saved] = await Promise.all([
    store.listings.activity([paper.id]).then((m) => m.get(paper.id) ?? null),
    similarWithin(site, paper.id),
    community.hiddenAmong([paper.id]).then((set) => set.has(paper.id)),
    community.comments(paper.id),
    user ? community.votedBy(user.id, [paper.id]).then((set) => set.has(paper.id)) : false,
    user ? community.savedItems(user.id, [paper.id]).then((m) => m.get(paper.id) ?? null) : null,
  ]);
  if (hidden && user?.role !== "admin") {
    return site.problem(c, {
      status: 404,
      title: "Paper hidden",
      message: `A moderator has hidden arXiv:${paper.id} from this site.`,
      hint: (
        <p>
          It is still on <a href={absUrl(paper.id)}>arXiv</a>.
        </p>
      ),
    });
  }
  const hiddenSimilar = await community.hiddenAmong(similar.map((s) => s.paper.id));
  const csrf = c.get("csrf");
  return site.render(c, {
    title: texToPlain(paper.title),
    description: truncate(texToPlain(paper.aiSummary ?? paper.abstract), 200),
    canonicalPath: paperPath(paper.id),
    noindex: hidden || paper.withdrawnAt !== null,
    children: (
      <PaperView
        paper={paper}
        activity={activity}
        similar={similar.filter((s) => !hiddenSimilar.has(s.paper.id)).slice(0, SIMILAR_COUNT)}
        community={
          <>
            <PaperModeration paperId={paper.id} hidden={hidden} user={user} csrf={csrf} />
            <div class="actions">
              <VoteButton
                paperId={paper.id}
                count={activity?.upvotes ?? 0}
                voted={voted}
                user={user}
                csrf={csrf}
              />
              <SaveToLibrary paperId={paper.id} item={saved} user={user} csrf={csrf} />
            </div>
          </>
        }
        comments={
          <CommentsSection
            paperId={paper.id}
            comments={comments}
            user={user}
            csrf={csrf}
            elsewhere={{ count: activity?.entry?.numComments ?? 0, href: hfPaperUrl(paper.id) }}
          />
        }
      />
    ),
  });
}

function Links(props: { paper: Paper }) {
  const { paper } = props;
  const code = safeHref(paper.links.code);
  const project = safeHref(paper.links.project);
  return (
    <nav class="links" aria-label="Links">
      <a href={absUrl(paper.id)}>arXiv</a>
      <a href={`https://arxiv.org/pdf/${paper.id}`}>PDF</a>
      {code ? (
        <a href={code} rel="nofollow noopener">
          Code · {shortUrl(code)}
          {paper.githubStars !== null ? ` · ★ ${formatCount(paper.githubStars)}` : ""}
        </a>
      ) : null}
      {project ? (
        <a href={project} rel="nofollow noopener">
          Project page
        </a>
      ) : null}
      {paper.doi ? <a href={`https://doi.org/${encodeURI(paper.doi)}`}>DOI</a> : null}
    </nav>
  );
}

function Facts(props: { paper: Paper; activity: PaperActivity | null }) {
  const { paper, activity } = props;
  const entry = activity?.entry ?? null;
  return (
    <dl class="facts">
      <dt>Published</dt>
      <dd>{paper.publishedAt ? formatDay(paper.publishedAt) : "unknown"}</dd>
      {paper.versions.length > 0 ? (
        <>
          <dt>Versions</dt>
          <dd>
            {paper.versions.map((v, i) => (
              <>
                {i > 0 ? ", " : ""}
                <a href={absUrl(paper.id, v.version)}>v{v.version}</a> ({formatDay(v.date)})
              </>
            ))}
          </dd>
        </>
      ) : null}
      {activity && activity.featuredOn.length > 0 ? (
        <>
          <dt>Featured</dt>
          <dd>
            {activity.featuredOn.map((d, i) => (
              <>
                {i > 0 ? ", " : ""}
                <a href={periodPath("day", d)}>{formatDay(d)}</a>
              </>
            ))}
            {entry?.submitter ? ` · submitted by ${entry.submitter.fullname || entry.submitter.name}` : ""}
          </dd>
        </>
      ) : null}
      {paper.comments ? (
        <>
          <dt>Comments</dt>
          <dd>{paper.comments}</dd>
        </>
      ) : null}
      {paper.journalRef ? (
        <>
          <dt>Journal</dt>
          <dd>{paper.journalRef}</dd>
        </>
      ) : null}
    </dl>
  );
}

function Similar(props: { items: readonly SimilarPaper[] }) {
  if (props.items.length === 0) return null;
  return (
    <section aria-labelledby="similar">
      <h2 id="similar">Similar papers</h2>
      <ul>
        {props.items.map(({ paper }) => (
          <li>
            <a href={paperPath(paper.id)}>
              <Tex text={paper.title} />
            </a>{" "}
            <span class="muted small">{shortAuthors(paper.authors, 2)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Authors shown before a long list folds the rest behind "+N more" (works without script). */
const AUTHORS_SHOWN = 12;

function AuthorList(props: { names: readonly string[]; start: number }) {
  return (
    <>
      {props.names.map((name, i) => (
        <>
          {props.start + i > 0 ? ", " : ""}
          <a href={authorPath(name)}>{name}</a>
        </>
      ))}
    </>
  );
}

/** Every author linked to their page; a list of dozens shows the first few and folds the rest. */
function Authors(props: { names: readonly string[] }) {
  const { names } = props;
  if (names.length <= AUTHORS_SHOWN + 2) {
    return (
      <p class="authors">
        <AuthorList names={names} start={0} />
      </p>
    );
  }
  return (
    <details class="authors">
      <summary>
        <AuthorList names={names.slice(0, AUTHORS_SHOWN)} start={0} />
        <span class="more-authors"> +{names.length - AUTHORS_SHOWN} more</span>
      </summary>
      <AuthorList names={names.slice(AUTHORS_SHOWN)} start={AUTHORS_SHOWN} />
    </details>
  );
}

export function PaperView(props: {
  paper: Paper;
  activity: PaperActivity | null;
  similar: readonly SimilarPaper[];
  /** Vote, save and moderation controls (src/http/views/community.tsx). */
  community: Child;
  /** The comments section (src/http/views/community.tsx). */
  comments: Child;
}) {
  const { paper, activity } = props;
  const bibId = `bibtex-${paper.id.replace(/[^A-Za-z0-9]/g, "-")}`;
  // The thread below holds this site's comments; Hugging Face's live there and are linked, not mixed in.
  const hfComments = activity?.entry?.numComments ?? 0;
  const localComments = Math.max(0, (activity?.numComments ?? 0) - hfComments);
  return (
    <article>
      <h1>
        {paper.withdrawnAt !== null ? <span class="withdrawn-label">Withdrawn · </span> : null}
        <Tex text={paper.title} />
      </h1>
      {paper.withdrawnAt !== null ? (
        <p class="notice withdrawn" role="note">
          <strong>Withdrawn</strong> on {formatDay(paper.withdrawnAt)}
          {paper.versions.length > 0 ? ` (v${paper.versions[paper.versions.length - 1]?.version})` : ""}: its
          authors or arXiv withdrew this paper. It no longer appears in search results; earlier versions
          remain on <a href={absUrl(paper.id)}>arXiv</a>.
        </p>
      ) : null}
      <Authors names={paper.authors} />
      <p class="muted small">
        arXiv:{paper.id} · <a href="#comments">{plural(localComments + hfComments, "comment")}</a>
        {hfComments > 0 ? (
          <>
            : {formatCount(localComments)} here ·{" "}
            <a href={hfPaperUrl(paper.id)}>{formatCount(hfComments)} on Hugging Face</a>
          </>
        ) : null}
      </p>
      {props.community}
      <Links paper={paper} />
      <section aria-labelledby="abstract">
        <h2 id="abstract">Abstract</h2>
        <p class="abstract">
          <Tex text={paper.abstract} links />
        </p>
      </section>
      {paper.aiSummary ? (
        <p class="small">
          <strong>In one line:</strong> {paper.aiSummary}
          {paper.aiKeywords.length > 0 ? <span class="muted"> · {paper.aiKeywords.join(", ")}</span> : null}
        </p>
      ) : null}
      <ul class="chips" aria-label="Categories">
        {paper.categories.map((cat) => (
          <li>
            <a href={categoryPath(cat)}>{cat}</a>
          </li>
        ))}
      </ul>
      <Facts paper={paper} activity={activity} />
      <section aria-labelledby="cite">
        <div class="cite-head">
          <h2 id="cite">Cite</h2>
          <button type="button" class="small" data-copy={bibId} hidden>
            Copy BibTeX
          </button>
        </div>
        <pre class="bib" id={bibId}>
          {bibtexFor(paper)}
        </pre>
      </section>
      {props.comments}
      <Similar items={props.similar} />
    </article>
  );
}
