import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../env.ts";
import { renderPage } from "../views/page.tsx";

/** Requests that want JSON (the API, scripts) get errors as JSON; browsers get a page. */
export function wantsJson(c: Context<AppEnv>): boolean {
  return c.req.path.startsWith("/api/") || /application\/json/i.test(c.req.header("accept") ?? "");
}

/**
 * A short page (or JSON body) explaining why a request was refused or what happened, with one link onward.
 * Every text is escaped by hono/jsx.
 */
export function messagePage(
  c: Context<AppEnv>,
  baseUrl: string,
  status: ContentfulStatusCode,
  message: { code: string; title: string; text: string; link?: { href: string; label: string } },
): Promise<Response> | Response {
  if (wantsJson(c)) return c.json({ error: { code: message.code, message: message.text } }, status);
  return renderPage(
    c,
    baseUrl,
    {
      title: message.title,
      noindex: true,
      children: (
        <section class="account-message">
          <h1>{message.title}</h1>
          <p>{message.text}</p>
          {message.link ? (
            <p>
              <a href={message.link.href}>{message.link.label}</a>
            </p>
          ) : null}
        </section>
      ),
    },
    status,
  );
}

/** The 400 for a mailed link that is unknown, expired or used: which link it was, and what to do instead. */
export function linkExpired(
  c: Context<AppEnv>,
  baseUrl: string,
  link: { what: string; instead: string; href: string; label: string },
): Promise<Response> | Response {
  return messagePage(c, baseUrl, 400, {
    code: "invalid_token",
    title: "Link expired",
    text: `This ${link.what} link is unknown, expired or already used. ${link.instead}`,
    link: { href: link.href, label: link.label },
  });
}
