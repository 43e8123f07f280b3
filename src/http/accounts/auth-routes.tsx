/**
 * Sign up, sign in, sign out and email verification.
 *
 * Sign-up never tells who has an account: a new address gets a confirmation link, a known one gets a mail
 * saying it already has an account, and the page says the same "check your inbox" either way. The
 * confirmation link signs the new member in when it is opened in the browser that signed up (a signed
 * cookie says which address that browser signed up with), so a link passed to someone else never signs
 * them in to another's account. Sign-in is throttled by signin-throttle.ts.
 */
import { createHmac } from "node:crypto";
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Child } from "hono/jsx";
import { AccountError, normaliseEmail } from "../../core/accounts.ts";
import { describeError } from "../../core/errors.ts";
import { tokensMatch } from "../csrf.ts";
import type { AppDeps, AppEnv } from "../env.ts";
import { clientIp, emailSubject, overLimit, RATE_RULES, releaseHits } from "../rate-limit.ts";
import { renderPage } from "../views/page.tsx";
import { parseForm, safeRedirectPath, signinForm, signupForm } from "./forms.ts";
import { sendAccountExistsMail, sendSigninLinkMail, sendVerificationMail } from "./mails.ts";
import { linkExpired, messagePage } from "./message.tsx";
import { endSession, startSession } from "./session.ts";
import { knownDevice, rememberDevice, signinChecks } from "./signin-throttle.ts";
import { tooManyRequests } from "./too-many.tsx";
import { EmailField, Field, NewPasswordField, Notice, PostForm, Submit } from "./views.tsx";

const SIGNUP_COOKIE = "pb_signup";
/** Where a new member goes once their address is confirmed (the page they signed up from, e.g. a Follow). */
const NEXT_COOKIE = "pb_signup_next";

function signupMark(secret: string, email: string): string {
  return createHmac("sha256", secret).update(`signup:${email}`).digest("base64url");
}

function SignupForm(props: {
  csrf: string;
  values?: Record<string, string>;
  error?: string | null;
  next?: string;
}) {
  const next = props.next && props.next !== "/" ? props.next : null;
  return (
    <section>
      <h1>Sign up</h1>
      <Notice text={props.error} />
      <PostForm action="/signup" csrf={props.csrf}>
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <EmailField value={props.values?.email} />
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
        Already have an account?{" "}
        <a href={next ? `/signin?next=${encodeURIComponent(next)}` : "/signin"}>Sign in</a>.
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
        <EmailField value={props.email} />
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
    const next = safeRedirectPath(c.req.query("next"));
    if (c.get("user")) return c.redirect(next === "/" ? "/settings" : next, 303);
    return page(c, "Sign up", <SignupForm csrf={c.get("csrf")} next={next} />);
  });

  app.post("/signup", async (c) => {
    if (!deps.config.web.openSignup) return signupClosed(c);
    const now = deps.now();
    const wait = await overLimit(deps.store, [{ rule: RATE_RULES.signupPerIp, subject: clientIp(c) }], now);
    if (wait !== null) return tooManyRequests(c, baseUrl, wait);
    const form = await parseForm(c, signupForm);
    const fail = (error: string, values: Record<string, string>) =>
      page(
        c,
        "Sign up",
        <SignupForm
          csrf={c.get("csrf")}
          values={values}
          error={error}
          next={safeRedirectPath(values.next)}
        />,
        400,
      );
    if (!form.ok) return fail(form.error, form.values);
    try {
      const user = await deps.store.accounts.createUser(form.data, now);
      await sendVerificationMail(deps, user);
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      if (error.code !== "email_taken") {
        return fail(error.message, {
          email: form.data.email,
          name: form.data.name,
          next: form.data.next ?? "/",
        });
      }
      // The fields were valid and the password hashed before the address was found taken, so this answer
      // takes as long as a new account's. The owner hears of it (unverified: a new confirmation link).
      const owner = await deps.store.accounts.getUserByEmail(form.data.email);
      const wait = await overLimit(
        deps.store,
        [{ rule: RATE_RULES.mailPerEmail, subject: emailSubject(form.data.email) }],
        now,
      );
      if (owner && wait === null) {
        await (owner.verifiedAt ? sendAccountExistsMail(deps, owner) : sendVerificationMail(deps, owner));
      }
    }
    const email = normaliseEmail(form.data.email);
    setCookie(c, SIGNUP_COOKIE, signupMark(deps.secret, email), {
      path: "/verify",
      httpOnly: true,
      sameSite: "Lax",
      secure: baseUrl.startsWith("https:"),
      maxAge: 48 * 3600,
    });
    const next = safeRedirectPath(form.data.next);
    if (next !== "/") {
      setCookie(c, NEXT_COOKIE, next, {
        path: "/verify",
        httpOnly: true,
        sameSite: "Lax",
        secure: baseUrl.startsWith("https:"),
        maxAge: 48 * 3600,
      });
    }
    return page(
      c,
      "Check your inbox",
      <section>
        <h1>Check your inbox</h1>
        <p>
          We sent a mail to <strong>{email}</strong>. Open the link in it to confirm your address and finish
          signing up; the link works for 48 hours.
        </p>
        <p class="muted">
          No mail after a few minutes? Look in your spam folder, or <a href="/signup">try again</a>. If you
          already have an account, <a href="/signin">sign in</a>.
        </p>
      </section>,
    );
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
    const account = await deps.store.accounts.getUserByEmail(email);
    const checks = signinChecks(c, email, knownDevice(c, deps.secret, account));
    // Every attempt is counted before the password is checked (one atomic increment each, so a burst of
    // concurrent guesses cannot all read a count under the limit); a right password takes its hit back.
    const wait = await overLimit(deps.store, checks, now);
    const user = await deps.store.accounts.authenticate(email, password);
    if (wait !== null) {
      // Throttled: the same answer for a right and a wrong password. The right one takes its hit back and
      // gets its owner a mailed link, both after answering so the response time does not tell either.
      if (user && !user.suspendedAt) {
        const owner = user;
        setImmediate(() => {
          releaseHits(deps.store, checks, now)
            .then(() =>
              overLimit(deps.store, [{ rule: RATE_RULES.mailPerEmail, subject: emailSubject(email) }], now),
            )
            .then((mailWait) => (mailWait === null ? sendSigninLinkMail(deps, owner) : false))
            .catch((error: unknown) =>
              deps.logger.error("could not mail a sign-in link", { error: describeError(error) }),
            );
        });
      }
      return tooManyRequests(
        c,
        baseUrl,
        wait,
        "Too many wrong passwords from here. If the password you just entered is right, we have mailed you a link that signs you in.",
      );
    }
    // One message for an unknown email and a wrong password, so the form does not reveal who has an account.
    if (!user) return fail("The email or password is not right.", email, next, 401);
    await releaseHits(deps.store, checks, now);
    if (user.suspendedAt) {
      return fail("This account is suspended. Contact the site's administrator.", email, next, 403);
    }
    await startSession(c, deps, user);
    rememberDevice(c, deps, user);
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
      return linkExpired(c, baseUrl, {
        what: "confirmation",
        instead: "Sign in and send a new one from your settings.",
        href: "/settings",
        label: "Settings",
      });
    }
    const verified = await deps.store.accounts.markVerified(user.id, deps.now());
    const signedUpHere = tokensMatch(getCookie(c, SIGNUP_COOKIE) ?? "", signupMark(deps.secret, user.email));
    const current = c.get("user");
    // The page the member signed up from (a Follow, say), checked again: a cookie is the browser's to change.
    const next = safeRedirectPath(getCookie(c, NEXT_COOKIE));
    const landing = next === "/" ? "/settings?welcome=1" : next;
    if (signedUpHere && !current) {
      deleteCookie(c, SIGNUP_COOKIE, { path: "/verify" });
      deleteCookie(c, NEXT_COOKIE, { path: "/verify" });
      await startSession(c, deps, verified);
      rememberDevice(c, deps, verified);
      return c.redirect(landing, 303);
    }
    if (current?.id === user.id) {
      deleteCookie(c, NEXT_COOKIE, { path: "/verify" });
      return c.redirect(landing, 303);
    }
    return messagePage(c, baseUrl, 200, {
      code: "verified",
      title: "Email confirmed",
      text: `Thank you: ${user.email} is confirmed.`,
      link: current ? { href: "/", label: "Go to today's papers" } : { href: "/signin", label: "Sign in" },
    });
  });

  // The link mailed when a right password arrived while sign-in was throttled. Opening it shows a button
  // (mail scanners that fetch links must not use it up); pressing it signs in.
  app.get("/signin/link", async (c) => {
    const token = c.req.query("token") ?? "";
    const user = await deps.store.accounts.peekToken(token, "signin", deps.now());
    if (!user) return expiredSigninLink(c);
    return page(
      c,
      "Finish signing in",
      <section>
        <h1>Finish signing in</h1>
        <p>Sign in to Paperboy as {user.email}.</p>
        <PostForm action="/signin/link" csrf={c.get("csrf")}>
          <input type="hidden" name="token" value={token} />
          <Submit label="Sign me in" />
        </PostForm>
      </section>,
    );
  });

  app.post("/signin/link", async (c) => {
    const body = await c.req.parseBody();
    const token = typeof body.token === "string" ? body.token.slice(0, 200) : "";
    const user = await deps.store.accounts.consumeToken(token, "signin", deps.now());
    if (!user || user.suspendedAt) return expiredSigninLink(c);
    await startSession(c, deps, user);
    rememberDevice(c, deps, user);
    return c.redirect(user.verifiedAt ? "/" : "/settings", 303);
  });

  const expiredSigninLink = (c: Context<AppEnv>) =>
    linkExpired(c, baseUrl, {
      what: "sign-in",
      instead: "Sign in with your password, or reset it.",
      href: "/signin",
      label: "Sign in",
    });

  return app;
}
