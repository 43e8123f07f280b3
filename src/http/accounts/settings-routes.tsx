/** A user's own settings: name, password, email verification, and API tokens (each shown once). */
import { type Context, Hono } from "hono";
import { AccountError } from "../../core/accounts.ts";
import type { ApiTokenInfo } from "../../store/accounts/index.ts";
import type { AppDeps, AppEnv, SessionUser } from "../env.ts";
import { clientIp, emailSubject, overLimit, RATE_RULES } from "../rate-limit.ts";
import { renderPage } from "../views/page.tsx";
import { apiTokenForm, nameForm, parseForm, passwordForm } from "./forms.ts";
import { sendVerificationMail } from "./mails.ts";
import { requireUser, startSession } from "./session.ts";
import { tooManyRequests } from "./too-many.tsx";
import { Field, NewPasswordField, Notice, PostForm, Submit } from "./views.tsx";

const DONE_NOTICES: Record<string, string> = {
  name: "Your name was saved.",
  password: "Your password was changed; every other device was signed out and your API tokens were revoked.",
  revoked: "The token was revoked; programs using it are refused from now on.",
  "verify-sent": "A new confirmation link is on its way.",
  "verify-failed": "The confirmation mail could not be sent; try again later.",
};

interface SettingsState {
  info?: string | null;
  error?: string | null;
  /** A token just created: its only showing. */
  newToken?: { token: string; name: string } | null;
}

function TokenList(props: { tokens: ApiTokenInfo[]; csrf: string }) {
  if (props.tokens.length === 0) return <p class="muted">No API tokens yet.</p>;
  return (
    <table class="params">
      <thead>
        <tr>
          <th>Name</th>
          <th>Starts with</th>
          <th>Access</th>
          <th>Created</th>
          <th>Last used</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {props.tokens.map((t) => (
          <tr>
            <td>{t.name}</td>
            <td>
              <code>{t.prefix}…</code>
            </td>
            <td>{t.scope === "write" ? "read and write" : "read only"}</td>
            <td>{t.createdAt.slice(0, 10)}</td>
            <td>{t.lastUsedAt ? t.lastUsedAt.slice(0, 16).replace("T", " ") : "never"}</td>
            <td>
              <PostForm
                action={`/settings/tokens/${encodeURIComponent(t.id)}/revoke`}
                csrf={props.csrf}
                class="inline"
              >
                <button type="submit">Revoke</button>
              </PostForm>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Settings(props: { user: SessionUser; csrf: string; tokens: ApiTokenInfo[]; state: SettingsState }) {
  const { user, csrf, state } = props;
  return (
    <section>
      <h1>Settings</h1>
      <Notice text={state.info} kind="info" />
      <Notice text={state.error} />
      {user.verified ? null : (
        <div class="notice">
          <p>Please confirm your email: we sent a link to {user.email}.</p>
          <PostForm action="/settings/verify" csrf={csrf} class="inline">
            <button type="submit">Send a new link</button>
          </PostForm>
        </div>
      )}
      <p class="muted">
        Signed in as {user.email}
        {user.role === "admin" ? (
          <>
            {" "}
            · administrator · <a href="/admin/users">Users</a> · <a href="/admin/import">Import papers</a>
          </>
        ) : null}
      </p>

      <h2>Email digests</h2>
      <p>
        Trending papers, the authors, categories and searches you follow, and recommendations, daily or
        weekly. Follow an author or a category from their pages, or press Alert me on a search.
      </p>
      <p>
        <a class="btn" href="/settings/digests">
          Your digests and follows
        </a>
      </p>

      <h2>Your data</h2>
      <p>
        <a href="/settings/export" download>
          Download your account
        </a>{" "}
        (profile, votes, comments, library with tags, digests with saved searches and follows) as one JSON
        file. Your library alone: <a href="/library">export it</a> as BibTeX, RIS, CSL-JSON or CSV.
      </p>

      <h2>Name</h2>
      <PostForm action="/settings/name" csrf={csrf}>
        <Field label="Name" name="name" value={user.name} autocomplete="name" maxlength={60} />
        <Submit label="Save name" />
      </PostForm>

      <h2>Password</h2>
      <PostForm action="/settings/password" csrf={csrf}>
        <Field
          label="Current password"
          name="current"
          type="password"
          autocomplete="current-password"
          maxlength={200}
        />
        <NewPasswordField
          label="New password"
          note="Other devices will be signed out, and your API tokens revoked."
        />
        <Submit label="Change password" />
      </PostForm>

      <h2>API tokens</h2>
      <p class="muted">
        Programs send a token as <code>Authorization: Bearer …</code> to act as you through the JSON API (
        <code>/api/…</code> only: a token never opens pages, settings or tokens). A read-only token can only
        read; changing your password revokes every token.
      </p>
      {state.newToken ? (
        <div class="notice" role="status">
          <p>Your new token “{state.newToken.name}”. Copy it now: it is not shown again.</p>
          <pre>{state.newToken.token}</pre>
        </div>
      ) : null}
      <TokenList tokens={props.tokens} csrf={csrf} />
      <PostForm action="/settings/tokens" csrf={csrf}>
        <Field
          label="New token name"
          name="name"
          maxlength={60}
          hint="What the token is for, e.g. “laptop script”."
        />
        <fieldset class="choices">
          <legend>Access</legend>
          <label>
            <input type="radio" name="scope" value="read" checked /> Read only
          </label>
          <label>
            <input type="radio" name="scope" value="write" /> Read and write (vote, comment, save)
          </label>
        </fieldset>
        <Submit label="Create token" />
      </PostForm>
    </section>
  );
}

export function settingsRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const baseUrl = deps.config.web.baseUrl;
  app.use("/settings", requireUser);
  app.use("/settings/*", requireUser);

  const me = (c: Context<AppEnv>): SessionUser => {
    const user = c.get("user");
    if (!user) throw new Error("requireUser let a visitor through");
    return user;
  };

  const show = async (c: Context<AppEnv>, state: SettingsState, status: 200 | 400 | 401 = 200) => {
    const user = me(c);
    const tokens = await deps.store.accounts.listApiTokens(user.id);
    return renderPage(
      c,
      baseUrl,
      {
        title: "Settings",
        noindex: true,
        children: <Settings user={user} csrf={c.get("csrf")} tokens={tokens} state={state} />,
      },
      status,
    );
  };

  app.get("/settings", async (c) => {
    const done = c.req.query("done") ?? "";
    const welcome = c.req.query("welcome") ? "Welcome to Paperboy! Your account is ready." : null;
    return show(c, { info: DONE_NOTICES[done] ?? welcome });
  });

  app.post("/settings/name", async (c) => {
    const form = await parseForm(c, nameForm);
    if (!form.ok) return show(c, { error: form.error }, 400);
    try {
      await deps.store.accounts.updateName(me(c).id, form.data.name, deps.now());
    } catch (error) {
      if (error instanceof AccountError) return show(c, { error: error.message }, 400);
      throw error;
    }
    return c.redirect("/settings?done=name", 303);
  });

  app.post("/settings/password", async (c) => {
    const form = await parseForm(c, passwordForm);
    if (!form.ok) return show(c, { error: form.error }, 400);
    const user = me(c);
    const now = deps.now();
    const wait = await overLimit(deps.store, [{ rule: RATE_RULES.passwordCheck, subject: user.id }], now);
    if (wait !== null) return tooManyRequests(c, baseUrl, wait);
    const checked = await deps.store.accounts.authenticate(user.email, form.data.current);
    if (!checked) return show(c, { error: "The current password is not right." }, 401);
    try {
      await deps.store.accounts.changePassword(user.id, form.data.password, now);
    } catch (error) {
      if (error instanceof AccountError) return show(c, { error: error.message }, 400);
      throw error;
    }
    // Changing the password ended every session, this one too; the person who changed it stays signed in.
    await startSession(c, deps, checked);
    return c.redirect("/settings?done=password", 303);
  });

  app.post("/settings/verify", async (c) => {
    const user = me(c);
    if (user.verified) return c.redirect("/settings", 303);
    const wait = await overLimit(
      deps.store,
      [
        { rule: RATE_RULES.mailPerIp, subject: clientIp(c) },
        { rule: RATE_RULES.mailPerEmail, subject: emailSubject(user.email) },
        { rule: RATE_RULES.memberMail, subject: user.id },
      ],
      deps.now(),
    );
    if (wait !== null) return tooManyRequests(c, baseUrl, wait);
    const full = await deps.store.accounts.getUser(user.id);
    const sent = full ? await sendVerificationMail(deps, full) : false;
    return c.redirect(`/settings?done=${sent ? "verify-sent" : "verify-failed"}`, 303);
  });

  app.post("/settings/tokens", async (c) => {
    const form = await parseForm(c, apiTokenForm);
    if (!form.ok) return show(c, { error: form.error }, 400);
    try {
      const { token, info } = await deps.store.accounts.createApiToken(
        me(c).id,
        form.data.name,
        deps.now(),
        form.data.scope,
      );
      // Shown in this response only; no redirect, or the token would be gone before the user saw it.
      c.header("Cache-Control", "no-store");
      return show(c, { newToken: { token, name: info.name } });
    } catch (error) {
      if (error instanceof AccountError) return show(c, { error: error.message }, 400);
      throw error;
    }
  });

  app.post("/settings/tokens/:id/revoke", async (c) => {
    const revoked = await deps.store.accounts.revokeApiToken(
      me(c).id,
      c.req.param("id").slice(0, 100),
      deps.now(),
    );
    if (!revoked) return show(c, { error: "No such token (it may be revoked already)." }, 400);
    return c.redirect("/settings?done=revoked", 303);
  });

  return app;
}
