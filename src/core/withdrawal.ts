/**
 * Whether a paper's current metadata says it was withdrawn. arXiv has no withdrawal field: a withdrawal is a
 * new version whose comments (and often abstract) say so, in the authors' or the administrators' words
 * ("This paper has been withdrawn by the authors", "paper withdrawn by author", "withdrawn by arXiv
 * administrators due to plagiarism"). A later version without such a notice reinstates the paper.
 *
 * Only a statement about the paper itself counts: "this paper / article / ... has been withdrawn", a comment
 * that opens with "(paper) withdrawn", or "withdrawn by the author(s) / arXiv admin(istrators)". A comment
 * that merely mentions a withdrawn result ("supersedes the withdrawn arXiv:1234.5678") does not.
 */
const NOTICES: readonly RegExp[] = [
  /\b(?:this|the)\s+(?:paper|papers|article|manuscript|submission|preprint|work|note|version)\s+(?:has|have|is|was)\s+(?:been\s+)?withdrawn\b/i,
  /\bthis\s+has\s+been\s+withdrawn\b/i,
  /^\s*(?:the\s+)?(?:paper|article|manuscript|submission)?\s*withdrawn\b/i,
  /\bwithdrawn\s+by\s+(?:the\s+)?(?:authors?|arxiv\s+admin)/i,
];

export function isWithdrawalNotice(comments: string | null, abstract = ""): boolean {
  return [comments ?? "", abstract].some((text) => NOTICES.some((notice) => notice.test(text)));
}
