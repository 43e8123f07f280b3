import type { Child } from "hono/jsx";
import type { Organization, Paper, Submitter } from "../../core/index.ts";
import type { TextPiece } from "../../store/search/index.ts";
import { formatCount, formatDay, plural, safeHref, truncate } from "./format.ts";
import { Tex } from "./tex.tsx";

/** Link to a paper's page on this site. */
export function paperPath(id: string): string {
  return `/papers/${id}`;
}

/** Where a card's pictures are (this site's copies, or the source's); null draws a placeholder. */
export interface CardPictures {
  thumbnail: string | null;
  avatar: string | null;
  organizationAvatar: string | null;
}

export interface PaperCardProps {
  paper: Paper;
  upvotes: number;
  /** Every comment the paper has: this site's plus those on Hugging Face (the paper page splits them). */
  comments: number;
  submitter?: Submitter | null;
  organization?: Organization | null;
  pictures?: CardPictures;
  /** The day shown on the card (the listed day, or the publication day). */
  day?: string | null;
  /** Replaces the plain upvote count (e.g. a vote button for signed-in readers). */
  vote?: Child;
  /** Search results: the title and abstract window with the query's words marked. */
  highlight?: { title: TextPiece[]; snippet: TextPiece[] };
}

/** Text with the query's words in <mark>; every piece is escaped by JSX. */
export function Marked(props: { pieces: readonly TextPiece[] }) {
  return <>{props.pieces.map((p) => (p.match ? <mark>{p.text}</mark> : p.text))}</>;
}

/** The first `max` authors, each a link to their page, then how many more. */
export function AuthorLinks(props: { authors: readonly string[]; max?: number }) {
  const { authors } = props;
  const max = props.max ?? 3;
  if (authors.length === 0) return <>Unknown authors</>;
  const shown = authors.length <= max + 1 ? authors : authors.slice(0, max);
  return (
    <>
      {shown.map((name, i) => (
        <>
          {i > 0 ? ", " : ""}
          <a href={`/authors/${encodeURIComponent(name)}`}>{name}</a>
        </>
      ))}
      {shown.length < authors.length ? ` +${authors.length - shown.length} more` : ""}
    </>
  );
}

/** A small round picture, or the name's first letter in a circle when there is none. */
function Avatar(props: { src: string | null; name: string }) {
  return props.src ? (
    <img class="av" src={props.src} width={18} height={18} alt="" loading="lazy" />
  ) : (
    <span class="av" aria-hidden="true">
      {(props.name.trim()[0] ?? "?").toUpperCase()}
    </span>
  );
}

/** The thumbnail, sized before it loads (no layout shift), or a quiet box naming the paper's field. */
function Thumb(props: { paper: Paper; src: string | null }) {
  return (
    <div class="thumb" aria-hidden="true">
      {props.src ? (
        <img src={props.src} width={160} height={90} alt="" loading="lazy" decoding="async" />
      ) : (
        <span>{props.paper.categories[0] ?? ""}</span>
      )}
    </div>
  );
}

/** One paper in a list: votes, title, authors, summary, who submitted it, then comments, code and day; a thumbnail. */
export function PaperCard(props: PaperCardProps) {
  const { paper, submitter, organization } = props;
  const pictures = props.pictures ?? { thumbnail: null, avatar: null, organizationAvatar: null };
  const code = safeHref(paper.links.code);
  const summary = paper.aiSummary ? truncate(paper.aiSummary, 180) : null;
  return (
    <li class="card">
      <div class="votes">
        {props.vote ?? (
          <>
            <b>{formatCount(props.upvotes)}</b>
            {props.upvotes === 1 ? "upvote" : "upvotes"}
          </>
        )}
      </div>
      <div class="body">
        <h2>
          <a class="title-link" href={paperPath(paper.id)}>
            {props.highlight ? <Marked pieces={props.highlight.title} /> : <Tex text={paper.title} />}
          </a>
        </h2>
        <p class="au">
          <AuthorLinks authors={paper.authors} />
        </p>
        {props.highlight ? (
          <p class="small">
            <Marked pieces={props.highlight.snippet} />
          </p>
        ) : summary ? (
          <p class="small">{summary}</p>
        ) : null}
        <div class="meta">
          {submitter ? (
            <span class="by">
              <Avatar src={pictures.avatar} name={submitter.fullname || submitter.name} />
              Submitted by {submitter.fullname || submitter.name}
            </span>
          ) : null}
          {organization ? (
            <span class="by">
              <Avatar src={pictures.organizationAvatar} name={organization.fullname || organization.name} />
              {organization.fullname || organization.name}
            </span>
          ) : null}
          <a href={`${paperPath(paper.id)}#comments`}>{plural(props.comments, "comment")}</a>
          {code ? (
            <a href={code} rel="nofollow noopener">
              Code{paper.githubStars !== null ? ` · ★ ${formatCount(paper.githubStars)}` : ""}
            </a>
          ) : null}
          {props.day ? <span>{formatDay(props.day)}</span> : null}
        </div>
      </div>
      <Thumb paper={paper} src={pictures.thumbnail} />
    </li>
  );
}
