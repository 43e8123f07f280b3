/**
 * Anyone's subscription: the form, the double opt-in (nothing is sent until the signed confirmation link is
 * followed) and unsubscribing without signing in. `oneClickRoutes` answers the RFC 8058 POST a mail client
 * sends for List-Unsubscribe-Post; it is mounted ahead of the session middleware because such a POST carries
 * neither cookie nor CSRF token: the signed token in its URL is its authority.
 */
import { type Context, Hono } from "hono";
import { DEFAULT_CONTENTS } from "../../core/digest.ts";
import { verifyToken } from "../../mail/digest/links.ts";
import { parseForm } from "../accounts/forms.ts";
import { messagePage } from "../accounts/message.tsx";
import { Notice, PostForm } from "../accounts/views.tsx";
import type { AppDeps, AppEnv } from "../env.ts";
import { clientIp, emailSubject, overLimit, RATE_RULES } from "../rate-limit.ts";
import { renderPage } from "../views/page.tsx";
import { sendConfirmation } from "./confirmation.ts";
import { contentsOf, scheduleOf, subscribeForm, WEEKDAYS } from "./forms.ts";
import { PublicScheduleFields } from "./views.tsx";

function badLink(c: Context<AppEnv>, deps: AppDeps) {
  return messagePage(c, deps.config.web.baseUrl, 400, {
    code: "invalid_link",
    title: "This link does not work",
    text: "The link is incomplete or was not made by this site. Copy the whole address from the mail.",
  });
}

function SubscribeForm(props: { csrf: string; error?: string | null; email?: string }) {
  return (
    <section>
      <h1>Get the digest</h1>
      <p>
        The week's or the day's trending papers by email. Members can also follow authors, categories and
        searches, and get papers recommended from their upvotes and library:{" "}
        <a href="/signup?next=%2Fsettings%2Fdigests">create an account</a> or{" "}
        <a href="/signin?next=%2Fsettings%2Fdigests">sign in</a>.
      </p>
      <Notice text={props.error} />
      <PostForm action="/digests/subscribe" csrf={props.csrf}>
        <p>
          <label>
            Email address
            <br />
            <input
              type="email"
              name="email"
              value={props.email ?? ""}
              maxlength={254}
              required
              autocomplete="email"
            />
          </label>
        </p>
        <PublicScheduleFields />
        <p>
          <button class="btn" type="submit">
            Subscribe
          </button>
        </p>
      </PostForm>
    </section>
  );
}

async function unsubscribeNow(c: Context<AppEnv>, deps: AppDeps): Promise<string | null> {
  const id = verifyToken(deps.secret, "unsubscribe", c.req.query("token") ?? "");
  if (!id) return null;
  await deps.store.digests.unsubscribe(id, deps.now());
  return id;
}

/** The RFC 8058 one-click POST (and the unsubscribe page's button, which posts the same way). */
export function oneClickRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post("/digests/unsubscribe", async (c) => {
    const id = await unsubscribeNow(c, deps);
    if (!id) return c.text("This unsubscribe link is not valid.", 400);
    const accept = c.req.header("accept") ?? "";
    if (!/text\/html/i.test(accept)) return c.text("Unsubscribed. You will get no more digests.", 200);
    return c.html(
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Unsubscribed · Paperboy</title></head>' +
        "<body><h1>Unsubscribed</h1><p>You will get no more digests from this subscription.</p>" +
        '<p><a href="/">Back to Paperboy</a></p></body></html>',
    );
  });
  return app;
}

export function publicDigestRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const baseUrl = deps.config.web.baseUrl;

  app.get("/digests/subscribe", async (c) => {
    if (c.get("user")) return c.redirect("/settings/digests", 303);
    return renderPage(c, baseUrl, { title: "Subscribe", children: <SubscribeForm csrf={c.get("csrf")} /> });
  });

  app.post("/digests/subscribe", async (c) => {
    // A member's digests are made in settings, where they count towards the member's limit.
    if (c.get("user")) return c.redirect("/settings/digests", 303);
    const form = await parseForm(c, subscribeForm);
    if (!form.ok) {
      return renderPage(
        c,
        baseUrl,
        {
          title: "Subscribe",
          children: <SubscribeForm csrf={c.get("csrf")} error={form.error} email={form.values.email ?? ""} />,
        },
        400,
      );
    }
    const f = form.data;
    // Each confirmation is a mail to an address anyone may type: the same limits as account mails.
    const wait = await overLimit(
      deps.store,
      [
        { rule: RATE_RULES.mailPerIp, subject: clientIp(c) },
        { rule: RATE_RULES.mailPerEmail, subject: emailSubject(f.email) },
        { rule: RATE_RULES.mailPerRecipient, subject: emailSubject(f.email) },
      ],
      deps.now(),
    );
    if (wait !== null) {
      c.header("Retry-After", String(wait));
      return messagePage(c, baseUrl, 429, {
        code: "rate_limited",
        title: "Too many requests",
        text: "Too many subscriptions were asked for from here or for this address. Please try again later.",
      });
    }
    const sub = await deps.store.digests.subscribe(
      {
        email: f.email,
        schedule: scheduleOf(f),
        contents: { ...DEFAULT_CONTENTS, ...contentsOf(f), recommendations: false },
      },
      deps.now(),
    );
    if (!(await sendConfirmation(deps, sub))) {
      return messagePage(c, baseUrl, 503, {
        code: "mail_failed",
        title: "Mail could not be sent",
        text: "The confirmation mail could not be sent just now. Please try again later.",
      });
    }
    return messagePage(c, baseUrl, 200, {
      code: "confirm_sent",
      title: "Check your inbox",
      text: "We sent a confirmation link. Nothing is sent to you until you follow it.",
    });
  });

  app.get("/digests/confirm", async (c) => {
    const id = verifyToken(deps.secret, "confirm", c.req.query("token") ?? "");
    const sub = id ? await deps.store.digests.confirm(id, deps.now()) : null;
    if (!sub) return badLink(c, deps);
    if (sub.state !== "active") {
      return messagePage(c, baseUrl, 409, {
        code: "not_active",
        title: "Subscription ended",
        text: "This subscription was ended. Subscribe again to get digests.",
        link: { href: "/digests/subscribe", label: "Subscribe" },
      });
    }
    return messagePage(c, baseUrl, 200, {
      code: "confirmed",
      title: "You are subscribed",
      text: `Your ${sub.schedule.frequency} digest will arrive ${
        sub.schedule.frequency === "weekly" ? `on ${WEEKDAYS[sub.schedule.weekday - 1]}s ` : ""
      }at ${sub.schedule.hour}:00 (${sub.schedule.timeZone}). Every digest has a link to unsubscribe; members can also follow authors, categories and searches.`,
    });
  });

  // A page with one button rather than unsubscribing on GET: link scanners in mail gateways follow links.
  app.get("/digests/unsubscribe", async (c) => {
    const token = c.req.query("token") ?? "";
    const id = verifyToken(deps.secret, "unsubscribe", token);
    if (!id) return badLink(c, deps);
    const sub = await deps.store.digests.get(id);
    const done = sub?.state === "unsubscribed";
    return renderPage(c, baseUrl, {
      title: "Unsubscribe",
      noindex: true,
      children: (
        <section>
          <h1>{done ? "You are unsubscribed" : "Unsubscribe from Paperboy digests"}</h1>
          {done ? (
            <p>You will get no more digests from this subscription.</p>
          ) : (
            <form method="post" action={`/digests/unsubscribe?token=${encodeURIComponent(token)}`}>
              <p>Stop the digests sent to {sub?.email ?? "this address"}.</p>
              <button class="btn" type="submit">
                Unsubscribe
              </button>
            </form>
          )}
        </section>
      ),
    });
  });
  return app;
}
