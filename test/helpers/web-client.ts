import type { Hono } from "hono";
import type { AppEnv } from "../../src/http/env.ts";

/**
 * A browser for in-process tests: keeps cookies between requests, follows nothing on its own, and reads the
 * CSRF token from the last page it loaded, so flows are driven the way a person's browser drives them.
 * `ip` is the client address the app sees (rate limits count per address).
 */
export class WebClient {
  readonly cookies = new Map<string, string>();
  /** The `_csrf` value of the last HTML page that had a form. */
  csrf = "";
  lastHtml = "";

  constructor(
    private readonly app: Hono<AppEnv>,
    private readonly baseUrl: string,
    public ip = "203.0.113.7",
  ) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0 && !headers.has("cookie")) {
      headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    }
    const env = { incoming: { socket: { remoteAddress: this.ip } } };
    const response = await this.app.request(
      new URL(path, this.baseUrl).toString(),
      { ...init, headers },
      env,
    );
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    if ((response.headers.get("content-type") ?? "").includes("text/html")) {
      this.lastHtml = await response.clone().text();
      const token = /name="_csrf" value="([^"]*)"/.exec(this.lastHtml)?.[1];
      if (token) this.csrf = token;
    }
    return response;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, { headers });
  }

  /** Posts a form with the current CSRF token (pass `_csrf` in `fields` to override it, or null to omit). */
  post(path: string, fields: Record<string, string | null> = {}): Promise<Response> {
    const body = new URLSearchParams();
    if (!("_csrf" in fields)) body.set("_csrf", this.csrf);
    for (const [k, v] of Object.entries(fields)) if (v !== null) body.set(k, v);
    return this.request(path, {
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
  }
}
