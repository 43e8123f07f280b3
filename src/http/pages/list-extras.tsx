import type { Context } from "hono";
import type { ArxivId } from "../../core/index.ts";
import type { AppEnv } from "../env.ts";
import { VoteButton } from "../views/community.tsx";
import type { Site } from "./site.tsx";

/** What a list page needs from the community module beyond the listing itself. */
export interface ListExtras {
  /** Papers an admin hid: left out of every list. */
  hidden: ReadonlySet<ArxivId>;
  /** The vote control of a card: a toggle for members; null for visitors, who see the plain count. */
  vote(paperId: ArxivId, count: number): ReturnType<typeof VoteButton> | null;
}

/** One query for hidden papers, and one for the member's votes when signed in. */
export async function loadListExtras(
  site: Site,
  c: Context<AppEnv>,
  ids: readonly ArxivId[],
): Promise<ListExtras> {
  const { community } = site.deps.store;
  const user = c.get("user");
  const csrf = c.get("csrf");
  const [hidden, voted] = await Promise.all([
    ids.length > 0 ? community.hiddenAmong(ids) : new Set<ArxivId>(),
    user && ids.length > 0 ? community.votedBy(user.id, ids) : new Set<ArxivId>(),
  ]);
  return {
    hidden,
    vote(paperId, count) {
      if (!user) return null;
      return (
        <VoteButton paperId={paperId} count={count} voted={voted.has(paperId)} user={user} csrf={csrf} />
      );
    },
  };
}
