import { type ArxivId, type IsoDate, type IsoTimestamp, PaperboyError } from "../../core/index.ts";

/** Why a community action was refused; the web app maps each code to an HTTP status (`src/http/errors.ts`). */
export type CommunityErrorCode = "not_found" | "forbidden" | "invalid_input" | "conflict";

export class CommunityError extends PaperboyError {
  declare readonly code: CommunityErrorCode;

  constructor(code: CommunityErrorCode, message: string) {
    super(code, message);
    this.name = "CommunityError";
  }
}

export function isCommunityError(error: unknown): error is CommunityError {
  return error instanceof CommunityError;
}

/** Longest comment body, in characters (about ten pages of text). */
export const MAX_COMMENT_LENGTH = 10_000;
/** How deep replies nest; a reply to a comment at this depth is refused (reply higher up the thread). */
export const MAX_THREAD_DEPTH = 8;
export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 40;

export interface VoteState {
  voted: boolean;
  /** Local votes of the paper after the change. */
  votes: number;
}

/** Local activity of a paper, what listings add to Hugging Face's counts. */
export interface LocalActivity {
  votes: number;
  comments: number;
}

export type CommentState = "visible" | "deleted" | "removed";

export interface Comment {
  id: string;
  paperId: ArxivId;
  parentId: string | null;
  authorId: string;
  /** The author's display name at read time. */
  authorName: string;
  /** Empty unless `state` is `visible`: deleted and removed text is never handed out. */
  body: string;
  state: CommentState;
  createdAt: IsoTimestamp;
  editedAt: IsoTimestamp | null;
}

export interface NewComment {
  paperId: ArxivId;
  authorId: string;
  /** The comment answered; must be on the same paper. */
  parentId?: string | null;
  body: string;
}

export interface LibraryItem {
  paperId: ArxivId;
  savedAt: IsoTimestamp;
  readAt: IsoTimestamp | null;
  /** Sorted. */
  tags: string[];
}

export interface LibraryQuery {
  tag?: string | null;
  /** true: read only; false: unread only; absent: both. */
  read?: boolean | null;
  /** Default 50, at most 200. */
  limit?: number;
  offset?: number;
}

export interface HiddenPaper {
  paperId: ArxivId;
  hiddenBy: string;
  hiddenAt: IsoTimestamp;
  reason: string | null;
}

export interface Submission {
  paperId: ArxivId;
  userId: string;
  submittedAt: IsoTimestamp;
  day: IsoDate;
  state: "pending" | "done";
}

/** The outcome of claiming a paper for submission. */
export type SubmissionClaim =
  | { claimed: true }
  /** Someone submitted it already (`submission`), or it is already on a day's list (`featuredOn`). */
  | { claimed: false; submission: Submission | null; featuredOn: IsoDate | null };

/**
 * Tags as a member types them, cleaned: trimmed, lower case, inner spaces collapsed, duplicates dropped,
 * sorted. Letters, digits, space and `-_.+:/#` are allowed; anything else is refused with the reason.
 */
export function normalizeTags(input: readonly string[]): string[] {
  const tags = new Set<string>();
  for (const raw of input) {
    const tag = raw.normalize("NFC").trim().toLowerCase().replace(/\s+/g, " ");
    if (tag === "") continue;
    if ([...tag].length > MAX_TAG_LENGTH) {
      throw new CommunityError(
        "invalid_input",
        `tag "${tag.slice(0, 20)}..." is longer than ${MAX_TAG_LENGTH}`,
      );
    }
    if (!/^[\p{L}\p{N}][\p{L}\p{N}\p{M} _.+:/#-]*$/u.test(tag)) {
      throw new CommunityError(
        "invalid_input",
        `tag "${tag}" may use letters, digits, spaces and - _ . + : / # only, starting with a letter or digit`,
      );
    }
    tags.add(tag);
  }
  if (tags.size > MAX_TAGS) throw new CommunityError("invalid_input", `at most ${MAX_TAGS} tags per paper`);
  return [...tags].sort();
}

/** Splits a comma-separated tag field (`"rl, vision,  to read"`). */
export function parseTagList(text: string): string[] {
  return normalizeTags(text.split(","));
}

/** Checks a comment body: not blank, not too long. Returns it with trailing whitespace trimmed. */
export function checkCommentBody(body: string): string {
  const trimmed = body.replace(/\s+$/u, "");
  if (trimmed.trim() === "") throw new CommunityError("invalid_input", "the comment is empty");
  if (trimmed.length > MAX_COMMENT_LENGTH) {
    throw new CommunityError(
      "invalid_input",
      `the comment is ${trimmed.length} characters long; the limit is ${MAX_COMMENT_LENGTH}`,
    );
  }
  return trimmed;
}
