/**
 * Members' digests: manage subscriptions in settings (with a preview of the mail), the "For you" page and
 * "not interested" (a negative signal for recommendations; thumbs are in ../recommend/).
 */
import { type Context, Hono } from "hono";
import { parseArxivId } from "../../core/index.ts";
import { previewDigest } from "../../mail/digest/preview.ts";
import { DigestStoreError, type Subscription } from "../../store/digests/index.ts";
import { parseForm } from "../accounts/forms.ts";
import { messagePage } from "../accounts/message.tsx";
import { requireUser } from "../accounts/session.ts";
import { tooManyRequests } from "../accounts/too-many.tsx";
import type { AppDeps, AppEnv, SessionUser } from "../env.ts";
import { emailSubject, overLimit, RATE_RULES } from "../rate-limit.ts";
import { forYouSource } from "../recommend/for-you.ts";
import { RecommendationList } from "../recommend/views.tsx";
import { renderPage } from "../views/page.tsx";
import { checkTargets } from "./channel-targets.ts";
import { sendConfirmation } from "./confirmation.ts";
import { contentsOf, memberForm, scheduleOf } from "./forms.ts";
import { draftOf, type Rejected, SettingsPage } from "./settings-view.tsx";

const NOT_SAVED = "Not saved: see the marked field.";
/** Categories offered as checkboxes: the library's most common ones. */
const CATEGORY_CHOICES = 40;
/** The digest form sends one `categories` field per ticked box. */
const FORM_LISTS = { lists: ["categories"] } as const;

async function ownSubscription(deps: AppDeps, user: SessionUser, id: string): Promise<Subscription | null> {
  const sub = await deps.store.digests.get(id);
  return sub && sub.userId === user.id ? sub : null;
}

export function memberDigestRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const baseUrl = deps.config.web.baseUrl;
  const forYou = forYouSource(deps);

  const outbound = { allowHosts: deps.config.security.outboundAllowHosts };
  const maxPerUser = deps.config.security.maxSubscriptionsPerUser;

  const settings = async (
    c: Context<AppEnv>,
    state: { error?: string; info?: string; rejected?: Rejected } = {},
    status: 200 | 400 = 200,
  ) => {
    const user = c.get("user") as SessionUser;
    const [subs, categories] = await Promise.all([
      deps.store.digests.ofUser(user.id),
      deps.store.digests.categoryCounts(CATEGORY_CHOICES),
    ]);
    return renderPage(
      c,
      baseUrl,
      {
        title: "Digests",
        noindex: true,
        current: "digest",
        children: <SettingsPage subs={subs} categories={categories} csrf={c.get("csrf")} {...state} />,
      },
      status,
    );
  };
  const notFound = (c: Context<AppEnv>) =>
    messagePage(c, baseUrl, 404, {
      code: "not_found",
      title: "Not found",
      text: "No such subscription of yours.",
    });

  app.use("/settings/digests", requireUser);
  app.use("/settings/digests/*", requireUser);
  app.use("/for-you", requireUser);
  app.use("/for-you/*", requireUser);

  app.get("/settings/digests", (c) => settings(c, c.req.query("saved") ? { info: "Saved." } : {}));

  app.post("/settings/digests", async (c) => {
    const user = c.get("user") as SessionUser;
    const form = await parseForm(c, memberForm, FORM_LISTS);
    if (!form.ok) return settings(c, { error: form.error }, 400);
    const f = form.data;
    const { targets, errors } = await checkTargets(f.channels, user, outbound);
    if (Object.keys(errors).length > 0) {
      return settings(c, { error: NOT_SAVED, rejected: { form: "new", values: draftOf(f), errors } }, 400);
    }
    const waitingText =
      "A digest of yours is waiting for confirmation: follow the link we mailed you, or confirm your email address from your settings first.";
    if (!user.verified) {
      // Asked first so a refused post costs no mail budget; the store asks again inside the insert's
      // transaction (`onePending`), which is what holds when posts race.
      if ((await deps.store.digests.ofUser(user.id)).some((s) => s.state === "pending")) {
        return settings(c, { error: waitingText }, 400);
      }
      const wait = await overLimit(
        deps.store,
        [
          { rule: RATE_RULES.memberMail, subject: user.id },
          { rule: RATE_RULES.mailPerRecipient, subject: emailSubject(user.email) },
        ],
        deps.now(),
      );
      if (wait !== null) return tooManyRequests(c, baseUrl, wait);
    }
    let sub: Subscription;
    try {
      sub = await deps.store.digests.subscribe(
        {
          email: user.email,
          userId: user.id,
          schedule: scheduleOf(f),
          contents: contentsOf(f),
          // A verified address needs no second confirmation; an unverified one gets the double opt-in mail.
          confirmed: user.verified,
          emailEnabled: f.emailEnabled,
          targets,
          maxPerUser,
          // An address nobody has confirmed gets one confirmation mail waiting at a time, never a stream.
          onePending: true,
        },
        deps.now(),
      );
    } catch (error) {
      if (!(error instanceof DigestStoreError)) throw error;
      const text =
        error.code === "limit_reached"
          ? `You already have ${maxPerUser} active or pending digests, the most one member may keep. Unsubscribe from one to start another.`
          : error.code === "pending_exists"
            ? waitingText
            : null;
      if (text === null) throw error;
      return settings(c, { error: text, rejected: { form: "new", values: draftOf(f), errors: {} } }, 400);
    }
    if (sub.state === "pending") {
      if (!(await sendConfirmation(deps, sub))) {
        return settings(
          c,
          { error: "Saved, but the confirmation mail could not be sent; try again later." },
          400,
        );
      }
      return settings(c, { info: "Follow the link we mailed you to start this digest." });
    }
    return c.redirect("/settings/digests?saved=1", 303);
  });

  app.post("/settings/digests/:id", async (c) => {
    const user = c.get("user") as SessionUser;
    const sub = await ownSubscription(deps, user, c.req.param("id"));
    if (!sub) return notFound(c);
    const form = await parseForm(c, memberForm, FORM_LISTS);
    if (!form.ok) return settings(c, { error: form.error }, 400);
    const f = form.data;
    const { targets, errors } = await checkTargets(f.channels, user, outbound);
    if (Object.keys(errors).length > 0) {
      return settings(
        c,
        { error: NOT_SAVED, rejected: { form: sub.id, values: draftOf(f, sub), errors } },
        400,
      );
    }
    try {
      await deps.store.digests.update(
        sub.id,
        {
          schedule: scheduleOf(f),
          contents: contentsOf(f),
          emailEnabled: f.emailEnabled,
          targets,
        },
        deps.now(),
      );
    } catch (error) {
      if (error instanceof DigestStoreError) return settings(c, { error: error.message }, 400);
      throw error;
    }
    return c.redirect("/settings/digests?saved=1", 303);
  });

  app.post("/settings/digests/:id/unsubscribe", async (c) => {
    const user = c.get("user") as SessionUser;
    const sub = await ownSubscription(deps, user, c.req.param("id"));
    if (!sub) return notFound(c);
    await deps.store.digests.unsubscribe(sub.id, deps.now());
    return c.redirect("/settings/digests?saved=1", 303);
  });

  app.get("/settings/digests/:id/preview", async (c) => {
    const user = c.get("user") as SessionUser;
    const sub = await ownSubscription(deps, user, c.req.param("id"));
    if (!sub) return notFound(c);
    const { rendered } = await previewDigest(deps.store, sub, {
      baseUrl,
      secret: deps.secret,
      now: deps.now(),
    });
    if (c.req.query("format") === "text") return c.text(rendered.text);
    // The mail's own HTML, as a mail client would show it: inline styles only, no script may run.
    c.header(
      "Content-Security-Policy",
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'",
    );
    return c.html(rendered.html);
  });

  app.get("/for-you", async (c) => {
    const user = c.get("user") as SessionUser;
    const recs = await forYou(user.id);
    const empty = recs.length === 0 ? await forYou.whyEmpty(user.id) : null;
    return renderPage(c, baseUrl, {
      title: "For you",
      noindex: true,
      children: (
        <section>
          <h1>For you</h1>
          {empty !== null ? (
            <p class="notice">{empty}</p>
          ) : (
            <RecommendationList recs={recs} csrf={c.get("csrf")} />
          )}
        </section>
      ),
    });
  });

  app.post("/for-you/:id{.+}/not-interested", async (c) => {
    const user = c.get("user") as SessionUser;
    let id: string;
    try {
      id = parseArxivId(c.req.param("id")).id;
    } catch {
      return messagePage(c, baseUrl, 400, {
        code: "invalid_arxiv_id",
        title: "Unknown paper",
        text: "That is not an arXiv id.",
      });
    }
    await deps.store.digests.dismiss(user.id, id, deps.now());
    return c.redirect("/for-you", 303);
  });

  return app;
}
