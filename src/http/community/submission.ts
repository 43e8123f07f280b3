/**
 * A member submits a paper by arXiv id or URL: it is fetched through the arXiv API (unless already stored),
 * stored with source `submission`, and joins today's list with the member as submitter. The paper is claimed
 * first (store.community.claimSubmission), so two members submitting it at once make one entry, and the claim
 * is released when the fetch fails, so nothing is half-done and the member can simply try again.
 */
import {
  type ArxivId,
  dateOf,
  describeError,
  type IsoDate,
  type Paper,
  type PaperRecord,
  parseArxivId,
  toTimestamp,
} from "../../core/index.ts";
import { SourceError } from "../../net/http-client.ts";
import type { Submission } from "../../store/community/index.ts";
import type { AppDeps, SessionUser } from "../env.ts";

export type SubmitOutcome =
  | { kind: "added"; paper: Paper; day: IsoDate }
  /** Not an arXiv id or URL. */
  | { kind: "invalid"; message: string }
  /** Already submitted, or already on a day's list. */
  | { kind: "duplicate"; paperId: ArxivId; featuredOn: IsoDate | null; submission: Submission | null }
  /** arXiv has no such paper. */
  | { kind: "unknown"; paperId: ArxivId; message: string }
  /** arXiv could not be reached (or the site runs offline); nothing was stored. */
  | { kind: "unavailable"; paperId: ArxivId; message: string };

/** The member as the day's list shows the submitter; never the email address. */
function submitterOf(user: SessionUser) {
  const name = user.name.trim() || "member";
  return { name, fullname: name };
}

async function fetchRecord(deps: AppDeps, id: ArxivId): Promise<PaperRecord | SubmitOutcome> {
  if (!deps.arxiv) {
    return {
      kind: "unavailable",
      paperId: id,
      message: "This site runs without access to arXiv, so only papers it already holds can be submitted.",
    };
  }
  const result = await deps.arxiv.fetchByIds([id]);
  const found = result.records.find((r) => r.id === id);
  if (!found) {
    const problem = result.problems.find((p) => p.id === id);
    return {
      kind: "unknown",
      paperId: id,
      message: problem
        ? `arXiv's entry for ${id} could not be read: ${problem.reason}`
        : `arXiv has no paper ${id}. Check the id (it looks like 2405.15738 or hep-th/9901001).`,
    };
  }
  // The API record carries a PDF link the store has no field for; the rest is a PaperRecord.
  const { pdfUrl: _pdf, ...record } = found;
  return { ...record, sources: [...new Set([...record.sources, "submission" as const])] };
}

export async function submitPaper(deps: AppDeps, user: SessionUser, input: string): Promise<SubmitOutcome> {
  let id: ArxivId;
  try {
    id = parseArxivId(input).id;
  } catch (error) {
    return {
      kind: "invalid",
      message: `${describeError(error)}. Enter an id like 2405.15738 or an arXiv URL.`,
    };
  }
  const now = toTimestamp(deps.now());
  const day = dateOf(now);
  const community = deps.store.community;
  const claim = await community.claimSubmission(id, user.id, day, now);
  if (!claim.claimed) {
    return { kind: "duplicate", paperId: id, featuredOn: claim.featuredOn, submission: claim.submission };
  }
  try {
    const stored = await deps.store.getPaper(id);
    const fetched = stored
      ? { id, sources: ["submission" as const], versions: [] }
      : await fetchRecord(deps, id);
    if ("kind" in fetched) {
      await community.releaseSubmission(id, user.id);
      return fetched;
    }
    const result = await deps.store.ingest(
      {
        papers: [fetched],
        daily: [
          {
            date: day,
            paperId: id,
            source: "submission",
            submitter: submitterOf(user),
            organization: null,
            upvotes: 0,
            numComments: 0,
          },
        ],
      },
      now,
    );
    const rejected = result.rejectedDaily[0];
    if (rejected) throw new Error(`the day's entry was refused: ${rejected.reason}`);
    await community.completeSubmission(id, user.id);
    const paper = await deps.store.getPaper(id);
    if (!paper) throw new Error(`paper ${id} vanished after it was stored`);
    deps.logger.info("paper submitted", { paper: id, user: user.id, day });
    return { kind: "added", paper, day };
  } catch (error) {
    await community.releaseSubmission(id, user.id);
    if (error instanceof SourceError && error.status === 400) {
      return { kind: "unknown", paperId: id, message: `arXiv refused the id ${id}: ${error.message}` };
    }
    if (error instanceof SourceError) {
      deps.logger.warn("submission fetch failed", { paper: id, error: error.message });
      return {
        kind: "unavailable",
        paperId: id,
        message:
          "arXiv is not answering right now, so the paper could not be fetched. Nothing was saved; try again in a few minutes.",
      };
    }
    throw error;
  }
}
