/**
 * The community's pieces that other pages embed: the upvote button, the comments section and the save-to-library
 * form. Each is a plain form that works without JavaScript; forms marked `data-async` are posted in the
 * background by static/app.js when it runs (it reads back `{ active, count }` as JSON).
 *
 * Loading their data (for a paper page):
 *
 *     const [totals, voted, comments, saved] = await Promise.all([
 *       store.community.upvoteTotals([id]), user ? store.community.votedBy(user.id, [id]) : new Set(),
 *       store.community.comments(id), user ? store.community.savedItems(user.id, [id]) : new Map(),
 *     ]);
 */
import { raw } from "hono/html";
import { renderMarkdown } from "../../core/markdown.ts";
import {
  buildThreads,
  type Comment,
  type CommentNode,
  type LibraryItem,
} from "../../store/community/index.ts";
import { MAX_COMMENT_LENGTH, MAX_THREAD_DEPTH } from "../../store/community/types.ts";
import type { SessionUser } from "../env.ts";
import { formatCount, formatDay } from "./format.ts";
import { commentMath } from "./math.ts";

/** Where a paper's community actions post (ids may contain a slash: `hep-th/9901001`). */
export function paperActionPath(paperId: string, action: "vote" | "comments" | "hide" | "unhide"): string {
  return `/papers/${paperId}/${action}`;
}

export function commentAnchor(commentId: string): string {
  return `comment-${commentId}`;
}

function Csrf(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

export interface VoteButtonProps {
  paperId: string;
  /** Upvotes as shown everywhere: Hugging Face's plus local (`store.community.upvoteTotals`). */
  count: number;
  /** Whether the signed-in reader upvoted it (`store.community.votedBy`). */
  voted: boolean;
  user: SessionUser | null;
  csrf: string;
}

/** ▲ and the count. Members toggle their vote; visitors get a link to sign in. */
export function VoteButton(props: VoteButtonProps) {
  // The visible count is part of the accessible name; the hidden word finishes it ("22 upvotes").
  const word = props.count === 1 ? "upvote" : "upvotes";
  if (!props.user) {
    return (
      <a
        class="vote"
        href={`/signin?next=${encodeURIComponent(`/papers/${props.paperId}`)}`}
        title="Sign in to upvote"
      >
        <span aria-hidden="true">▲</span> <span data-count>{formatCount(props.count)}</span>
        <span class="visually-hidden"> upvotes; sign in to upvote</span>
      </a>
    );
  }
  return (
    <form class="vote" method="post" action={paperActionPath(props.paperId, "vote")} data-async>
      <Csrf token={props.csrf} />
      <button
        type="submit"
        aria-pressed={props.voted ? "true" : "false"}
        title={props.voted ? "Remove your upvote" : "Upvote"}
      >
        <span aria-hidden="true">▲</span> <span data-count>{formatCount(props.count)}</span>
        <span class="visually-hidden"> {word}</span>
      </button>
    </form>
  );
}

export interface SaveToLibraryProps {
  paperId: string;
  /** The reader's library item for the paper, or null when not saved (`store.community.savedItems`). */
  item: LibraryItem | null;
  user: SessionUser | null;
  csrf: string;
}

/** Save (or un-save) the paper; once saved, links to the library with its tags. */
export function SaveToLibrary(props: SaveToLibraryProps) {
  if (!props.user) return null;
  const saved = props.item !== null;
  return (
    <form class="save" method="post" action="/library/toggle" data-async>
      <Csrf token={props.csrf} />
      <input type="hidden" name="paper" value={props.paperId} />
      <button type="submit" aria-pressed={saved ? "true" : "false"}>
        {saved ? "Saved" : "Save"}
      </button>
      {saved && props.item && props.item.tags.length > 0 ? (
        <span class="tags small">
          {props.item.tags.map((tag) => (
            <a class="tag" href={`/library?tag=${encodeURIComponent(tag)}`}>
              {tag}
            </a>
          ))}
        </span>
      ) : null}
    </form>
  );
}

export interface CommentsSectionProps {
  paperId: string;
  /** The paper's comments, oldest first (`store.community.comments(id)`); threads are built here. */
  comments: readonly Comment[];
  user: SessionUser | null;
  csrf: string;
  /** A refused comment's message and text, to show again beside the form. */
  problem?: { message: string; body: string; parentId: string | null } | null;
  /** Comments the paper has on Hugging Face, linked rather than copied here. */
  elsewhere?: { count: number; href: string } | null;
}

/** The thread of comments with the forms to write, reply, edit, delete and (admins) remove. */
export function CommentsSection(props: CommentsSectionProps) {
  const threads = buildThreads(props.comments);
  const visible = props.comments.filter((c) => c.state === "visible").length;
  const topProblem = props.problem && props.problem.parentId === null ? props.problem : null;
  return (
    <section class="comments" id="comments" aria-labelledby="comments-title">
      <h2 id="comments-title">
        {visible === 0 ? "Comments" : `${formatCount(visible)} comment${visible === 1 ? "" : "s"}`}
      </h2>
      <WriteComment {...props} parentId={null} problem={topProblem} />
      {threads.length === 0 ? (
        <p class="muted">
          No comments here yet.
          {props.elsewhere && props.elsewhere.count > 0 ? (
            <>
              {" "}
              {props.elsewhere.count === 1
                ? "One comment is"
                : `${formatCount(props.elsewhere.count)} comments are`}{" "}
              on <a href={props.elsewhere.href}>Hugging Face</a>.
            </>
          ) : null}
        </p>
      ) : (
        <CommentList nodes={threads} depth={1} {...props} />
      )}
    </section>
  );
}

function WriteComment(
  props: CommentsSectionProps & { parentId: string | null; problem: CommentsSectionProps["problem"] },
) {
  const { user } = props;
  if (!user) {
    return (
      <p class="muted">
        <a href={`/signin?next=${encodeURIComponent(`/papers/${props.paperId}#comments`)}`}>Sign in</a> to
        comment.
      </p>
    );
  }
  if (!user.verified) {
    return (
      <p class="muted">
        Verify your email address to comment: follow the link we mailed you, or send a new one from{" "}
        <a href="/settings">your settings</a>.
      </p>
    );
  }
  const reply = props.parentId !== null;
  return (
    <form class="comment-form" method="post" action={paperActionPath(props.paperId, "comments")}>
      <Csrf token={props.csrf} />
      {reply ? <input type="hidden" name="parent" value={props.parentId ?? ""} /> : null}
      {props.problem ? (
        <p class="problem" role="alert">
          {props.problem.message}
        </p>
      ) : null}
      <label>
        <span class="visually-hidden">{reply ? "Your reply" : "Your comment"}</span>
        <textarea name="body" rows={reply ? 3 : 4} maxlength={MAX_COMMENT_LENGTH} required>
          {props.problem?.body ?? ""}
        </textarea>
      </label>
      {reply ? null : (
        <p class="small muted">
          Markdown: **bold**, *italic*, `code`, ``` fenced code ```, &gt; quotes, - lists, [links](https://…).
        </p>
      )}
      <button type="submit">{reply ? "Reply" : "Comment"}</button>
    </form>
  );
}

function CommentList(props: CommentsSectionProps & { nodes: readonly CommentNode[]; depth: number }) {
  return (
    <ol class="comment-list">
      {props.nodes.map((node) => (
        <CommentItem {...props} node={node} />
      ))}
    </ol>
  );
}

function CommentItem(props: CommentsSectionProps & { node: CommentNode; depth: number }) {
  const { comment, replies } = props.node;
  const { user } = props;
  const own = user !== null && user.id === comment.authorId;
  const problem = props.problem && props.problem.parentId === comment.id ? props.problem : null;
  return (
    <li class="comment" id={commentAnchor(comment.id)}>
      {comment.state === "visible" ? (
        <>
          <p class="comment-meta small muted">
            <strong>{comment.authorName}</strong> ·{" "}
            <a href={`#${commentAnchor(comment.id)}`}>
              <time datetime={comment.createdAt}>{formatDay(comment.createdAt)}</time>
            </a>
            {comment.editedAt ? " · edited" : ""}
          </p>
          <div class="comment-body">{raw(renderMarkdown(comment.body, { math: commentMath() }))}</div>
          <div class="comment-actions small">
            {user?.verified && props.depth < MAX_THREAD_DEPTH ? (
              <details open={problem !== null}>
                <summary>Reply</summary>
                <WriteComment {...props} parentId={comment.id} problem={problem} />
              </details>
            ) : null}
            {own ? <EditComment comment={comment} csrf={props.csrf} /> : null}
            {own ? (
              <form method="post" action={`/comments/${comment.id}/delete`}>
                <Csrf token={props.csrf} />
                <button type="submit">Delete</button>
              </form>
            ) : null}
            {user?.role === "admin" && !own ? (
              <form method="post" action={`/comments/${comment.id}/remove`}>
                <Csrf token={props.csrf} />
                <button type="submit">Remove (admin)</button>
              </form>
            ) : null}
          </div>
        </>
      ) : (
        <p class="comment-meta small muted">
          {comment.state === "removed" ? "[removed by a moderator]" : "[deleted by its author]"}
        </p>
      )}
      {replies.length > 0 ? <CommentList {...props} nodes={replies} depth={props.depth + 1} /> : null}
    </li>
  );
}

function EditComment(props: { comment: Comment; csrf: string }) {
  return (
    <details>
      <summary>Edit</summary>
      <form method="post" action={`/comments/${props.comment.id}/edit`}>
        <Csrf token={props.csrf} />
        <label>
          <span class="visually-hidden">Edit your comment</span>
          <textarea name="body" rows={4} maxlength={MAX_COMMENT_LENGTH} required>
            {props.comment.body}
          </textarea>
        </label>
        <button type="submit">Save</button>
      </form>
    </details>
  );
}

export interface ModerationProps {
  paperId: string;
  hidden: boolean;
  user: SessionUser | null;
  csrf: string;
}

/** Admins only: hide the paper from every list and page, or show it again. */
export function PaperModeration(props: ModerationProps) {
  if (props.user?.role !== "admin") return null;
  return (
    <form
      class="moderation small"
      method="post"
      action={paperActionPath(props.paperId, props.hidden ? "unhide" : "hide")}
    >
      <Csrf token={props.csrf} />
      {props.hidden ? (
        <>
          <strong>Hidden from readers.</strong> <button type="submit">Show again</button>
        </>
      ) : (
        <>
          <label>
            Reason <input name="reason" maxlength={500} />
          </label>{" "}
          <button type="submit">Hide paper (admin)</button>
        </>
      )}
    </form>
  );
}
