import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../env.ts";
import { Layout, type LayoutProps } from "./layout.tsx";

/** What a route gives to render a page; the user, CSRF token and canonical URL come from the request. */
export type PageSpec = Omit<LayoutProps, "user" | "csrf" | "canonical"> & {
  /** Path (and query) of the canonical address, e.g. `/papers/2405.15738`; absolute URL made from baseUrl. */
  canonicalPath?: string;
};

/**
 * Renders a full HTML page inside the shared layout. Every route module uses this (pages, accounts,
 * community), so the header, head tags and escaping are the same everywhere:
 *
 *     return renderPage(c, baseUrl, { title: "Sign in", current: "library", children: <Form/> });
 */
export async function renderPage(
  c: Context<AppEnv>,
  baseUrl: string,
  spec: PageSpec,
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  const { canonicalPath, ...props } = spec;
  const element = (
    <Layout
      {...props}
      user={c.get("user") ?? null}
      csrf={c.get("csrf") ?? ""}
      {...(canonicalPath ? { canonical: `${baseUrl}${canonicalPath}` } : {})}
    />
  );
  const html = `<!doctype html>${await element.toString()}`;
  return c.html(html, status);
}
