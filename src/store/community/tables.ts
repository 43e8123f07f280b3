/** Tables of the community module, merged into `Database` (schema.ts). Timestamps are ISO 8601 text. */

/** One member's upvote of one paper; a member votes a paper at most once. */
export interface VotesTable {
  arxiv_id: string;
  user_id: string;
  created_at: string;
}

/**
 * Local votes and visible comments per paper, kept in the same write transaction as the rows they count, so
 * lists can sort by total upvotes with one join instead of counting per paper.
 */
export interface CommunityCountsTable {
  arxiv_id: string;
  votes: number;
  comments: number;
}

/** A comment on a paper. Nothing is erased: deletion and removal are marks, so replies keep their place. */
export interface CommentsTable {
  id: string;
  arxiv_id: string;
  /** The comment this one answers; null at the top of a thread. */
  parent_id: string | null;
  author_id: string;
  /** Markdown as typed (rendered by src/core/markdown.ts when shown). */
  body: string;
  created_at: string;
  edited_at: string | null;
  /** Set when the author deleted it. */
  deleted_at: string | null;
  /** Set when an admin removed it, with who did. */
  removed_at: string | null;
  removed_by: string | null;
}

/** A paper in a member's library. */
export interface LibraryItemsTable {
  user_id: string;
  arxiv_id: string;
  saved_at: string;
  read_at: string | null;
}

/** The tags of a library item, one row each, so the library filters by tag with an index on both dialects. */
export interface LibraryTagsTable {
  user_id: string;
  arxiv_id: string;
  tag: string;
}

/** Papers an admin took off the lists and pages. */
export interface HiddenPapersTable {
  arxiv_id: string;
  hidden_by: string;
  hidden_at: string;
  reason: string | null;
}

/**
 * Papers members submitted. `pending` while the paper is being fetched from arXiv (a claim, so two members
 * submitting the same paper at once get one submission), `done` once it joined the day's list.
 */
export interface SubmissionsTable {
  arxiv_id: string;
  user_id: string;
  submitted_at: string;
  day: string;
  state: string;
}

export interface CommunityTables {
  votes: VotesTable;
  community_counts: CommunityCountsTable;
  comments: CommentsTable;
  library_items: LibraryItemsTable;
  library_tags: LibraryTagsTable;
  hidden_papers: HiddenPapersTable;
  submissions: SubmissionsTable;
}
