/**
 * The Follow button of author and category pages and the search page's "Alert me": one click for a member (a
 * POST that adds the follow to their digest and comes back), a link for a visitor to a page that leads
 * through sign-up and back (`/follow`).
 */
import type { Context } from "hono";
import { type Follow, type FollowKind, follows } from "../../core/digest.ts";
import type { Store } from "../../store/store.ts";
import { PostForm } from "../accounts/views.tsx";
import type { AppEnv } from "../env.ts";

const LABELS: Record<FollowKind, { follow: string; unfollow: string; note: string }> = {
  author: { follow: "Follow author", unfollow: "Unfollow author", note: "In your digest" },
  category: { follow: "Follow category", unfollow: "Unfollow category", note: "In your digest" },
  search: { follow: "Alert me", unfollow: "Stop alerts", note: "New results come in your digest" },
};

/** The page a visitor is sent to for a follow (and a member lands back on after signing up). */
export function followPath(follow: Follow): string {
  return `/follow?${new URLSearchParams({ kind: follow.kind, value: follow.value })}`;
}

export interface FollowButtonProps {
  follow: Follow;
  /** Null for a visitor. */
  member: { csrf: string; following: boolean } | null;
  /** Where the POST comes back to: the page the button is on. */
  back: string;
}

/** What the button needs: whether the signed-in member's live digests already follow this. */
export async function followButton(
  store: Store,
  c: Context<AppEnv>,
  asked: Follow,
): Promise<FollowButtonProps> {
  // Spaces as the follow will be stored, so the button knows a search typed with extra spaces.
  const follow = { kind: asked.kind, value: asked.value.trim().replace(/\s+/g, " ") };
  const url = new URL(c.req.url);
  const back = `${url.pathname}${url.search}`;
  const user = c.get("user");
  if (!user) return { follow, member: null, back };
  const subs = await store.digests.ofUser(user.id);
  const following = subs.some(
    (s) => (s.state === "active" || s.state === "pending") && follows(s.contents, follow),
  );
  return { follow, member: { csrf: c.get("csrf"), following }, back };
}

export function FollowButton(props: FollowButtonProps) {
  const label = LABELS[props.follow.kind];
  if (!props.member) {
    return (
      <a class="btn follow" href={followPath(props.follow)}>
        {label.follow}
      </a>
    );
  }
  const { following } = props.member;
  return (
    <PostForm action={following ? "/unfollow" : "/follow"} csrf={props.member.csrf} class="inline follow">
      <input type="hidden" name="kind" value={props.follow.kind} />
      <input type="hidden" name="value" value={props.follow.value} />
      <input type="hidden" name="next" value={props.back} />
      {/* A first follow starts a daily digest at 08:00 in the browser's zone (set by the page's script). */}
      {following ? null : <input type="hidden" name="timeZone" value="UTC" data-tz-guess />}
      {following ? <span class="muted small">✓ {label.note} </span> : null}
      <button class={following ? "" : "btn"} type="submit">
        {following ? label.unfollow : label.follow}
      </button>
    </PostForm>
  );
}
