/**
 * Following in one click: `POST /follow` adds an author, a category or a search to the member's digest
 * (starting a daily one if they have none) and goes back to the page it came from; `POST /unfollow` takes it
 * out. `GET /follow` is where a visitor's Follow leads: it offers sign-up and sign-in with the way back kept,
 * and, once they are a member, the one button.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import {
  addFollow,
  checkFollow,
  DEFAULT_CONTENTS,
  type Follow,
  isTimeZone,
  removeFollow,
} from "../../core/digest.ts";
import { PaperboyError } from "../../core/errors.ts";
import type { Subscription } from "../../store/digests/index.ts";
import { parseForm, safeRedirectPath } from "../accounts/forms.ts";
import { requireUser, requireVerified } from "../accounts/session.ts";
import type { AppDeps, AppEnv, SessionUser } from "../env.ts";
import { renderPage } from "../views/page.tsx";
import { FollowButton, followButton, followPath } from "./follow-button.tsx";

const followForm = z.object({
  kind: z.string().max(20),
  value: z.string().max(1000),
  next: z.string().max(2000).optional(),
  timeZone: z.string().max(64).optional(),
  /** Unfollow from this subscription only (settings); otherwise from every live one. */
  subscription: z.string().max(100).optional(),
});

function describe(follow: Follow): string {
  if (follow.kind === "author") return `papers by ${follow.value}`;
  if (follow.kind === "category") return `papers in ${follow.value}`;
  return `new papers matching “${follow.value}”`;
}

const live = (s: Subscription) => s.state === "active" || s.state === "pending";

export function followRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const baseUrl = deps.config.web.baseUrl;

  const parse = async (c: Context<AppEnv>) => {
    const form = await parseForm(c, followForm);
    if (!form.ok) throw new PaperboyError("invalid_input", form.error);
    return { ...form.data, follow: checkFollow(form.data.kind, form.data.value) };
  };

  app.get("/follow", async (c) => {
    const follow = checkFollow(c.req.query("kind") ?? "", c.req.query("value") ?? "");
    const here = followPath(follow);
    const user = c.get("user");
    const button = user ? await followButton(deps.store, c, follow) : null;
    return renderPage(c, baseUrl, {
      title: "Follow",
      noindex: true,
      current: "digest",
      children: (
        <section>
          <h1>Get {describe(follow)} in your digest</h1>
          {button ? (
            <>
              <p>
                {button.member?.following
                  ? "Your digest already has a section for this."
                  : "One click adds a section for this to your digest. If you have no digest yet, a daily one starts at 08:00 in your time zone; change it in your digest settings."}
              </p>
              <p>
                <FollowButton {...button} back={here} />
              </p>
              <p>
                <a href="/settings/digests">Your digest settings</a>
              </p>
            </>
          ) : (
            <>
              <p>
                Following is for members: create an account (an email address and a password) and you come
                back here to add it to your digest.
              </p>
              <p>
                <a class="btn" href={`/signup?next=${encodeURIComponent(here)}`}>
                  Sign up to follow
                </a>{" "}
                <a href={`/signin?next=${encodeURIComponent(here)}`}>I have an account: sign in</a>
              </p>
              <p class="muted">
                Only want the trending papers? <a href="/digests/subscribe">Get the digest</a> with just your
                email address.
              </p>
            </>
          )}
        </section>
      ),
    });
  });

  app.post("/follow", requireVerified, async (c) => {
    const user = c.get("user") as SessionUser;
    const { follow, next, timeZone } = await parse(c);
    const subs = (await deps.store.digests.ofUser(user.id)).filter(live);
    const sub = subs.find((s) => s.state === "active") ?? subs[0];
    if (sub) {
      await deps.store.digests.update(sub.id, { contents: addFollow(sub.contents, follow) }, deps.now());
    } else {
      await deps.store.digests.subscribe(
        {
          email: user.email,
          userId: user.id,
          schedule: {
            frequency: "daily",
            hour: 8,
            weekday: 1,
            timeZone: timeZone && isTimeZone(timeZone) ? timeZone : "UTC",
          },
          contents: addFollow({ ...DEFAULT_CONTENTS }, follow),
          confirmed: true,
          maxPerUser: deps.config.security.maxSubscriptionsPerUser,
        },
        deps.now(),
      );
    }
    return c.redirect(safeRedirectPath(next), 303);
  });

  app.post("/unfollow", requireUser, async (c) => {
    const user = c.get("user") as SessionUser;
    const { follow, next, subscription } = await parse(c);
    const subs = (await deps.store.digests.ofUser(user.id)).filter(
      (s) => live(s) && (subscription === undefined || s.id === subscription),
    );
    for (const sub of subs) {
      await deps.store.digests.update(sub.id, { contents: removeFollow(sub.contents, follow) }, deps.now());
    }
    return c.redirect(safeRedirectPath(next ?? "/settings/digests"), 303);
  });
  return app;
}
