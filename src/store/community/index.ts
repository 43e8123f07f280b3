import type { Migration } from "kysely";
import { type ArxivId, type IsoDate, type IsoTimestamp, toTimestamp } from "../../core/index.ts";
import type { RepoContext } from "../repo.ts";
import { addComment, commentsBy, commentsOn, editComment, getComment, retractComment } from "./comments.ts";
import { localActivity, upvoteTotals } from "./counts.ts";
import {
  libraryTags,
  listLibrary,
  removeFromLibrary,
  savedItems,
  saveManyToLibrary,
  saveToLibrary,
  updateLibraryItem,
} from "./library.ts";
import { communityMigration } from "./migration.ts";
import {
  claimSubmission,
  completeSubmission,
  getSubmission,
  hiddenAmong,
  hidePaper,
  listHidden,
  releaseSubmission,
  submissionsBy,
  unhidePaper,
} from "./moderation.ts";
import type {
  Comment,
  HiddenPaper,
  LibraryItem,
  LibraryQuery,
  LocalActivity,
  NewComment,
  Submission,
  SubmissionClaim,
  VoteState,
} from "./types.ts";
import { setVote, votedBy, votesOf } from "./votes.ts";

export { STALE_CLAIM_MS } from "./moderation.ts";
export { buildThreads, type CommentNode, countVisible } from "./thread.ts";
export * from "./types.ts";

/** Migrations of the community module, merged into the store's list. */
export const communityMigrations: Record<string, Migration> = { "0006_community": communityMigration };

/**
 * Votes, comments, libraries, hidden papers and submissions (`store.community`). Every write runs in the
 * store's serialised write transaction; refusals throw `CommunityError` with a stable code. Authorisation
 * (who may remove a comment, hide a paper) is the caller's: these methods trust the ids they are given,
 * except that edits and deletions check the comment's author.
 */
export interface Community {
  /** Sets the member's vote (`voted: null` toggles). Throws `not_found` for an unknown paper. */
  setVote(userId: string, paperId: ArxivId, voted: boolean | null, now?: IsoTimestamp): Promise<VoteState>;
  /** Which of `ids` the member upvoted. */
  votedBy(userId: string, ids: readonly ArxivId[]): Promise<Set<ArxivId>>;
  /** The member's upvotes, newest first. */
  votesOf(userId: string, limit?: number): Promise<{ paperId: ArxivId; votedAt: IsoTimestamp }[]>;
  /**
   * Local votes and visible comments of many papers at once (listings add them to Hugging Face's counts;
   * its shape is listings' `LocalActivitySource`). Papers without local activity are absent.
   */
  localActivity(ids: readonly ArxivId[]): Promise<Map<ArxivId, LocalActivity>>;
  /** Upvotes as shown: Hugging Face's (largest daily entry) plus local votes; every id present. */
  upvoteTotals(ids: readonly ArxivId[]): Promise<Map<ArxivId, number>>;

  addComment(input: NewComment, now?: IsoTimestamp): Promise<Comment>;
  /** The author's own comment only (`forbidden` otherwise). */
  editComment(id: string, authorId: string, body: string, now?: IsoTimestamp): Promise<Comment>;
  /** The author's own comment only; the text is gone, a marker stays while it has replies. */
  deleteComment(id: string, authorId: string, now?: IsoTimestamp): Promise<Comment>;
  /** An admin's removal (the caller checks the role). */
  removeComment(id: string, adminId: string, now?: IsoTimestamp): Promise<Comment>;
  getComment(id: string): Promise<Comment | null>;
  /** A paper's comments oldest first, deleted ones without text; `buildThreads` arranges them. */
  comments(paperId: ArxivId): Promise<Comment[]>;
  /** A member's own comments, oldest first. */
  commentsBy(authorId: string): Promise<Comment[]>;

  saveToLibrary(
    userId: string,
    paperId: ArxivId,
    options?: { tags?: readonly string[] },
    now?: IsoTimestamp,
  ): Promise<LibraryItem>;
  updateLibraryItem(
    userId: string,
    paperId: ArxivId,
    change: { tags?: readonly string[]; read?: boolean },
    now?: IsoTimestamp,
  ): Promise<LibraryItem>;
  /**
   * Saves many papers in a few transactions (an import): each added unless present, and given exactly its
   * `tags`. Returns the ids new to the library.
   */
  saveManyToLibrary(
    userId: string,
    items: readonly { paperId: ArxivId; tags: readonly string[] }[],
    now?: IsoTimestamp,
  ): Promise<Set<ArxivId>>;
  removeFromLibrary(userId: string, paperId: ArxivId): Promise<boolean>;
  library(userId: string, query?: LibraryQuery): Promise<{ items: LibraryItem[]; total: number }>;
  libraryTags(userId: string): Promise<{ tag: string; count: number }[]>;
  /** The member's library items among `ids`. */
  savedItems(userId: string, ids: readonly ArxivId[]): Promise<Map<ArxivId, LibraryItem>>;

  hidePaper(paperId: ArxivId, adminId: string, reason?: string | null, now?: IsoTimestamp): Promise<void>;
  unhidePaper(paperId: ArxivId): Promise<boolean>;
  /** Which of `ids` an admin hid (lists and pages leave them out). */
  hiddenAmong(ids: readonly ArxivId[]): Promise<Set<ArxivId>>;
  listHidden(): Promise<HiddenPaper[]>;

  /** Claims a paper before fetching it for a submission; see moderation.ts. */
  claimSubmission(
    paperId: ArxivId,
    userId: string,
    day: IsoDate,
    now?: IsoTimestamp,
  ): Promise<SubmissionClaim>;
  completeSubmission(paperId: ArxivId, userId: string): Promise<void>;
  releaseSubmission(paperId: ArxivId, userId: string): Promise<void>;
  getSubmission(paperId: ArxivId): Promise<Submission | null>;
  submissionsBy(userId: string, limit?: number): Promise<Submission[]>;
}

export function createCommunity(ctx: RepoContext): Community {
  const stamp = (now?: IsoTimestamp) => now ?? toTimestamp(new Date());
  return {
    setVote: (userId, paperId, voted, now) => setVote(ctx, userId, paperId, voted, stamp(now)),
    votedBy: (userId, ids) => votedBy(ctx, userId, ids),
    votesOf: (userId, limit) => votesOf(ctx, userId, limit),
    localActivity: (ids) => localActivity(ctx, ids),
    upvoteTotals: (ids) => upvoteTotals(ctx, ids),

    addComment: (input, now) => addComment(ctx, input, stamp(now)),
    editComment: (id, authorId, body, now) => editComment(ctx, id, authorId, body, stamp(now)),
    deleteComment: (id, authorId, now) =>
      retractComment(ctx, id, { userId: authorId, as: "author" }, stamp(now)),
    removeComment: (id, adminId, now) =>
      retractComment(ctx, id, { userId: adminId, as: "admin" }, stamp(now)),
    getComment: (id) => getComment(ctx, id),
    comments: (paperId) => commentsOn(ctx, paperId),
    commentsBy: (authorId) => commentsBy(ctx, authorId),

    saveToLibrary: (userId, paperId, options, now) =>
      saveToLibrary(ctx, userId, paperId, options ?? {}, stamp(now)),
    updateLibraryItem: (userId, paperId, change, now) =>
      updateLibraryItem(ctx, userId, paperId, change, stamp(now)),
    saveManyToLibrary: (userId, items, now) => saveManyToLibrary(ctx, userId, items, stamp(now)),
    removeFromLibrary: (userId, paperId) => removeFromLibrary(ctx, userId, paperId),
    library: (userId, query) => listLibrary(ctx, userId, query),
    libraryTags: (userId) => libraryTags(ctx, userId),
    savedItems: (userId, ids) => savedItems(ctx, userId, ids),

    hidePaper: (paperId, adminId, reason, now) =>
      hidePaper(ctx, paperId, adminId, reason ?? null, stamp(now)),
    unhidePaper: (paperId) => unhidePaper(ctx, paperId),
    hiddenAmong: (ids) => hiddenAmong(ctx, ids),
    listHidden: () => listHidden(ctx),

    claimSubmission: (paperId, userId, day, now) => claimSubmission(ctx, paperId, userId, day, stamp(now)),
    completeSubmission: (paperId, userId) => completeSubmission(ctx, paperId, userId),
    releaseSubmission: (paperId, userId) => releaseSubmission(ctx, paperId, userId),
    getSubmission: (paperId) => getSubmission(ctx, paperId),
    submissionsBy: (userId, limit) => submissionsBy(ctx, userId, limit),
  };
}
