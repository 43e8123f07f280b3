import type { Hono } from "hono";
import { toTimestamp } from "../../core/index.ts";
import { requireVerified } from "../accounts/session.ts";
import type { AppDeps, AppEnv } from "../env.ts";
import { paperPath } from "../views/paper-card.tsx";
import { answer, member, paperFromPath } from "./shared.ts";

/**
 * POST /papers/<id>/vote flips the member's upvote. Scripts get `{ active, count }` (count: upvotes as shown,
 * Hugging Face's plus local); plain forms go back to the page they came from.
 */
export function mountVotes(app: Hono<AppEnv>, deps: AppDeps): void {
  // Votes feed trending, so they need a confirmed address (as comments do): no farm of throwaway sign-ups.
  app.post("/papers/:id{.+}/vote", requireVerified, async (c) => {
    const found = await paperFromPath(c, deps);
    if ("response" in found) return found.response;
    const user = member(c);
    const id = found.paper.id;
    const state = await deps.store.community.setVote(user.id, id, null, toTimestamp(deps.now()));
    const count = (await deps.store.community.upvoteTotals([id])).get(id) ?? state.votes;
    return answer(c, deps, { active: state.voted, count, localVotes: state.votes }, paperPath(id));
  });
}
