/**
 * Password reset: `GET /reset` asks for the email, `POST /reset` mails a link (saying the same whether or not
 * the email has an account), `GET /reset?token=` shows the new-password form, and `POST /reset` with the
 * token sets it, which ends every session of the user.
 */
import { type Context, Hono } from "hono";
import type { Child } from "hono/jsx";
import { AccountError, checkPassword } from "../../core/accounts.ts";
import type { AppDeps, AppEnv } from "../env.ts";
import { clientIp, emailSubject, overLimit, RATE_RULES } from "../rate-limit.ts";
import { renderPage } from "../views/page.tsx";
import { parseForm, resetRequestForm, resetSetForm } from "./forms.ts";
import { sendResetMail } from "./mails.ts";
import { linkExpired } from "./message.tsx";
import { tooManyRequests } from "./too-many.tsx";
import { EmailField, NewPasswordField, Notice, PostForm, Submit } from "./views.tsx";

function RequestForm(props: { csrf: string; email?: string; error?: string | null; info?: string | null }) {
  return (
    <section>
      <h1>Reset your password</h1>
      <Notice text={props.info} kind="info" />
      <Notice text={props.error} />
      <PostForm action="/reset" csrf={props.csrf}>
        <EmailField value={props.email} />
        <Submit label="Send me a link" />
      </PostForm>
    </section>
  );
}

function NewPasswordForm(props: { csrf: string; token: string; email: string; error?: string | null }) {
  return (
    <section>
      <h1>Choose a new password</h1>
      <p class="muted">
        For {props.email}. Setting it signs you out on every device and revokes your API tokens.
      </p>
      <Notice text={props.error} />
      <PostForm action="/reset" csrf={props.csrf}>
        <input type="hidden" name="token" value={props.token} />
        <NewPasswordField label="New password" />
        <Submit label="Set password" />
      </PostForm>
    </section>
  );
}

export function resetRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const baseUrl = deps.config.web.baseUrl;
  const page = (c: Context<AppEnv>, children: Child, status: 200 | 400 = 200) =>
    renderPage(c, baseUrl, { title: "Reset password", noindex: true, children }, status);
  const expired = (c: Context<AppEnv>) =>
    linkExpired(c, baseUrl, {
      what: "reset",
      instead: "Ask for a new one.",
      href: "/reset",
      label: "Reset password",
    });

  app.get("/reset", async (c) => {
    const token = c.req.query("token");
    if (token === undefined) return page(c, <RequestForm csrf={c.get("csrf")} />);
    const user = await deps.store.accounts.peekToken(token, "reset", deps.now());
    if (!user) return expired(c);
    return page(c, <NewPasswordForm csrf={c.get("csrf")} token={token} email={user.email} />);
  });

  app.post("/reset", async (c) => {
    const now = deps.now();
    const body = await c.req.parseBody();
    if (typeof body.token === "string") return setPassword(c, now);

    const form = await parseForm(c, resetRequestForm);
    if (!form.ok)
      return page(c, <RequestForm csrf={c.get("csrf")} email={form.values.email} error={form.error} />, 400);
    const wait = await overLimit(
      deps.store,
      [
        { rule: RATE_RULES.mailPerIp, subject: clientIp(c) },
        { rule: RATE_RULES.mailPerEmail, subject: emailSubject(form.data.email) },
      ],
      now,
    );
    if (wait !== null) return tooManyRequests(c, baseUrl, wait);
    const user = await deps.store.accounts.getUserByEmail(form.data.email);
    if (user && !user.suspendedAt) await sendResetMail(deps, user);
    const info =
      "If an account uses that email, a link to reset its password is on its way. It works for an hour.";
    return page(c, <RequestForm csrf={c.get("csrf")} info={info} />);
  });

  async function setPassword(c: Context<AppEnv>, now: Date) {
    const form = await parseForm(c, resetSetForm);
    if (!form.ok) return expired(c);
    const { token, password } = form.data;
    const user = await deps.store.accounts.peekToken(token, "reset", now);
    if (!user) return expired(c);
    try {
      // Checked before the token is used up, so a rejected password does not cost the reader the link.
      checkPassword(password, user.email);
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      return page(
        c,
        <NewPasswordForm csrf={c.get("csrf")} token={token} email={user.email} error={error.message} />,
        400,
      );
    }
    const consumed = await deps.store.accounts.consumeToken(token, "reset", now);
    if (!consumed) return expired(c);
    await deps.store.accounts.changePassword(consumed.id, password, now);
    // Following the mailed link proves the address, as the verification link would.
    await deps.store.accounts.markVerified(consumed.id, now);
    return c.redirect("/signin?done=reset", 303);
  }

  return app;
}
