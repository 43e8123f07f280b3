import type { Comment } from "./types.ts";

export interface CommentNode {
  comment: Comment;
  replies: CommentNode[];
}

/**
 * Arranges a paper's comments (oldest first) into threads. A deleted or removed comment stays as a marker only
 * while it has replies still shown; one whose parent is missing is treated as a thread of its own.
 */
export function buildThreads(comments: readonly Comment[]): CommentNode[] {
  const nodes = new Map<string, CommentNode>();
  for (const comment of comments) nodes.set(comment.id, { comment, replies: [] });
  const roots: CommentNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.comment.parentId === null ? undefined : nodes.get(node.comment.parentId);
    if (parent && parent !== node) parent.replies.push(node);
    else roots.push(node);
  }
  const prune = (list: CommentNode[]): CommentNode[] =>
    list.filter((node) => {
      node.replies = prune(node.replies);
      return node.comment.state === "visible" || node.replies.length > 0;
    });
  return prune(roots);
}

/** Comments shown (not deleted or removed) in a set of threads. */
export function countVisible(threads: readonly CommentNode[]): number {
  let n = 0;
  for (const node of threads) n += (node.comment.state === "visible" ? 1 : 0) + countVisible(node.replies);
  return n;
}
