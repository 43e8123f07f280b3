/** Sign up, sign in, sign out and email verification. */
import { type Context, Hono } from "hono";
import type { Child } from "hono/jsx";
import { AccountError } from "../../core/accounts.ts";
import type { AppDeps, AppEnv } from "../env.ts";
import { clientIp, emailSubject, overLimit, RATE_RULES } from "../rate-limit.ts";
import { renderPage } from "../views/page.tsx";
import { parseForm, safeRedirectPath, signinForm, signupForm } from "./forms.ts";
import { sendVerificationMail } from "./mails.ts";
import { messagePage } from "./message.tsx";
import { endSession, startSession } from "./session.ts";
import { tooManyRequests } from "./too-many.tsx";
import { Field, NewPasswordField, Notice, PostForm, Submit } from "./views.tsx";

function SignupForm(props: { csrf: string; values?: Record<string, string>; error?: string | null }) {
  return (
    <section>
      <h1>Sign up</h1>
      <Notice text={props.error} />
      <PostForm action="/signup" csrf={props.csrf}>
        <Field
          label="Email"
          name="email"
          type="email"
          value={props.values?.email}
          autocomplete="email"
          maxlength={254}
        />
        <Field
          label="Name"
          name="name"
          value={props.values?.name}
          autocomplete="name"
          maxlength={60}
          hint="Shown with your comments."
        />
        <NewPasswordField label="Password" />
        <Submit label="Create account" />
      </PostForm>
      <p class="muted">
        Already have an account? <a href="/signin">Sign in</a>.
      </p>
    </section>
  );
}

function SigninForm(props: {
  csrf: string;
  email?: string;
  next?: string;
  error?: string | null;
  info?: string | null;
}) {
  return (
    <section>
      <h1>Sign in</h1>
      <Notice text={props.info} kind="info" />
      <Notice text={props.error} />
      <PostForm action="/signin" csrf={props.csrf}>
        <input type="hidden" name="next" value={props.next ?? "/"} />
        <Field
          label="Email"
          name="email"
          type="email"
          value={props.email}
          autocomplete="email"
          maxlength={254}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autocomplete="current-password"
          maxlength={200}
        />
        <Submit label="Sign in" />
      </PostForm>
      <p class="muted">
        <a href="/reset">Forgot your password?</a> · <a href="/signup">Create an account</a>
      </p>
    </section>
  );
}

const SIGNIN_NOTICES: Record<string, string> = {
  reset: "Your password was changed. Sign in with the new one.",
};

export function authRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const baseUrl = deps.config.web.baseUrl;
  const page = (c: Context<AppEnv>, title: string, children: Child, status: 200 | 400 | 401 | 403 = 200) =>
    renderPage(c, baseUrl, { title, noindex: true, children }, status);
  const signupClosed = (c: Context<AppEnv>) =>
    messagePage(c, baseUrl, 403, {
      code: "signup_closed",
      title: "Sign-up is closed",
      text: "This site does not take new accounts; ask its administrator for one.",
    });

  app.get("/signup", async (c) => {
    if (!deps.config.web.openSignup) return signupClosed(c);
    if (c.get("user")) return c.redirect("/settings", 303);
    return page(c, "Sign up", <SignupForm csrf={c.get("csrf")} />);
  });

  app.post("/signup", async (c) => {
    if (!deps.config.web.openSignup) return signupClosed(c);
    const now = deps.now();
    const wait = await overLimit(deps.store, [{ rule: RATE_RULES.signupPerIp, subject: clientIp(c) }], now);
    if (wait !== null) return tooManyRequests(c, baseUrl, wait);
    const form = await parseForm(c, signupForm);
    const fail = (error: string, values: Record<string, string>) =>
      page(c, "Sign up", <SignupForm csrf={c.get("csrf")} values={values} error={error} />, 400);
    if (!form.ok) return fail(form.error, form.values);
    let user: Awaited<ReturnType<typeof deps.store.accounts.createUser>>;
    try {
      user = await deps.store.accounts.createUser(form.data, now);
    } catch (error) {
      if (error instanceof AccountError)
        return fail(error.message, { email: form.data.email, name: form.data.name });
      throw error;
    }
    await sendVerificationMail(deps, user);
    await startSession(c, deps, user);
    return c.redirect("/settings?welcome=1", 303);
  });

  app.get("/signin", async (c) => {
    const next = safeRedirectPath(c.req.query("next"));
    if (c.get("user")) return c.redirect(next, 303);
    const info = SIGNIN_NOTICES[c.req.query("done") ?? ""] ?? null;
    return page(c, "Sign in", <SigninForm csrf={c.get("csrf")} next={next} info={info} />);
  });

  app.post("/signin", async (c) => {
    const now = deps.now();
    const form = await parseForm(c, signinForm);
    const fail = (error: string, email: string | undefined, next: string, status: 400 | 401 | 403) =>
      page(c, "Sign in", <SigninForm csrf={c.get("csrf")} email={email} next={next} error={error} />, status);
    if (!form.ok) return fail(form.error, form.values.email, safeRedirectPath(form.values.next), 400);
    const { email, password } = form.data;
    const next = safeRedirectPath(form.data.next);
    // Counted before the password is checked, so guessing is as limited for right guesses as for wrong ones.
    const wait = await overLimit(
      deps.store,
      [
        { rule: RATE_RULES.signinPerIp, subject: clientIp(c) },
        { rule: RATE_RULES.signinPerEmail, subject: emailSubject(email) },
      ],
      now,
    );
    if (wait !== null) return tooManyRequests(c, baseUrl, wait);
    const user = await deps.store.accounts.authenticate(email, password);
    // One message for an unknown email and a wrong password, so the form does not reveal who has an account.
    if (!user) return fail("The email or password is not right.", email, next, 401);
    if (user.suspendedAt) {
      return fail("This account is suspended. Contact the site's administrator.", email, next, 403);
    }
    await startSession(c, deps, user);
    // Unverified users land where they are told to verify and can ask for a new link; verification is what
    // commenting and submitting require, so the page they came from would refuse them anyway.
    return c.redirect(user.verifiedAt ? next : "/settings", 303);
  });

  app.post("/signout", async (c) => {
    await endSession(c, deps);
    return c.redirect("/", 303);
  });

  app.get("/verify", async (c) => {
    const token = c.req.query("token") ?? "";
    const user = await deps.store.accounts.consumeToken(token, "verify", deps.now());
    if (!user) {
      return messagePage(c, baseUrl, 400, {
        code: "invalid_token",
        title: "Link expired",
        text: "This confirmation link is unknown, expired or already used. Sign in and send a new one from your settings.",
        link: { href: "/settings", label: "Settings" },
      });
    }
    await deps.store.accounts.markVerified(user.id, deps.now());
    return messagePage(c, baseUrl, 200, {
      code: "verified",
      title: "Email confirmed",
      text: `Thank you: ${user.email} is confirmed.`,
      link: { href: "/", label: "Go to today's papers" },
    });
  });

  return app;
}
