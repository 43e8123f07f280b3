import type { Child } from "hono/jsx";
import type { Paper, Submitter } from "../../core/index.ts";
import type { TextPiece } from "../../store/search/index.ts";
import { formatCount, formatDay, plural, safeHref, shortAuthors, truncate } from "./format.ts";
import { Tex } from "./tex.tsx";

/** Link to a paper's page on this site. */
export function paperPath(id: string): string {
  return `/papers/${id}`;
}

export interface PaperCardProps {
  paper: Paper;
  upvotes: number;
  comments: number;
  submitter?: Submitter | null;
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

/** One paper in a list: votes, title, authors, summary, then comments, code, submitter and day. */
export function PaperCard(props: PaperCardProps) {
  const { paper } = props;
  const code = safeHref(paper.links.code);
  const summary = paper.aiSummary ? truncate(paper.aiSummary, 220) : null;
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
        <div class="muted small">{shortAuthors(paper.authors)}</div>
        {props.highlight ? (
          <p class="small">
            <Marked pieces={props.highlight.snippet} />
          </p>
        ) : summary ? (
          <p class="small">{summary}</p>
        ) : null}
        <div class="meta">
          <a href={`${paperPath(paper.id)}#comments`}>{plural(props.comments, "comment")}</a>
          {code ? (
            <a href={code} rel="nofollow noopener">
              Code{paper.githubStars !== null ? ` · ★ ${formatCount(paper.githubStars)}` : ""}
            </a>
          ) : null}
          {props.submitter ? (
            <span>Submitted by {props.submitter.fullname || props.submitter.name}</span>
          ) : null}
          {props.day ? <span>{formatDay(props.day)}</span> : null}
          <span>{paper.id}</span>
        </div>
      </div>
    </li>
  );
}
