/**
 * The development outbox at /dev/outbox: with no SMTP server configured, the mail the site would have sent
 * (verification and reset links included) is listed here. Because those links sign people in, the page is
 * off unless the operator turns it on (PAPERBOY_DEV_OUTBOX=true), and then answers admins only: "from this
 * machine" is no proof of anything behind a reverse proxy on the same host.
 */
import { type Context, Hono } from "hono";
import { OutboxMailer } from "../../mail/outbox.ts";
import type { AppDeps, AppEnv } from "../env.ts";
import { renderPage } from "../views/page.tsx";
import { messagePage } from "./message.tsx";

const URL_IN_TEXT = /(https?:\/\/[^\s<>"]+)/g;

/** The text part with this site's links made clickable (and nothing else). */
function LinkedText(props: { text: string; baseUrl: string }) {
  const parts = props.text.split(URL_IN_TEXT);
  return (
    <pre>
      {parts.map((part, i) =>
        i % 2 === 1 && part.startsWith(`${props.baseUrl}/`) ? <a href={part}>{part}</a> : part,
      )}
    </pre>
  );
}

export function outboxRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const baseUrl = deps.config.web.baseUrl;
  const outbox =
    deps.config.security.devOutbox && deps.mailer instanceof OutboxMailer && !deps.config.mail.smtpUrl
      ? deps.mailer
      : null;
  if (!outbox) return app;

  const allowed = (c: Context<AppEnv>) => c.get("user")?.role === "admin";
  const refuse = (c: Context<AppEnv>) =>
    messagePage(c, baseUrl, 403, {
      code: "forbidden",
      title: "Admins only",
      text: "The development outbox is shown to administrators only.",
    });

  app.get("/dev/outbox", async (c) => {
    if (!allowed(c)) return refuse(c);
    const entries = await outbox.list(100);
    return renderPage(c, baseUrl, {
      title: "Outbox",
      noindex: true,
      children: (
        <section>
          <h1>Outbox</h1>
          <p class="muted">
            No SMTP server is configured (PAPERBOY_SMTP_URL), so mail is kept here, newest first.
          </p>
          {entries.length === 0 ? <p>No mail yet.</p> : null}
          <table class="params">
            <tbody>
              {entries.map((e) => (
                <tr>
                  <td>{e.sentAt.slice(0, 19).replace("T", " ")}</td>
                  <td>{e.to}</td>
                  <td>
                    <a href={`/dev/outbox/${e.id}`}>{e.subject}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ),
    });
  });

  app.get("/dev/outbox/:id", async (c) => {
    if (!allowed(c)) return refuse(c);
    const entry = await outbox.read(c.req.param("id"));
    if (!entry)
      return messagePage(c, baseUrl, 404, {
        code: "not_found",
        title: "No such message",
        text: "That message is not in the outbox.",
      });
    return renderPage(c, baseUrl, {
      title: entry.subject,
      noindex: true,
      children: (
        <section>
          <h1>{entry.subject}</h1>
          <p class="muted">
            To {entry.to} · from {entry.from} · {entry.sentAt}
          </p>
          <LinkedText text={entry.text} baseUrl={baseUrl} />
          <p>
            <a href="/dev/outbox">← Outbox</a>
          </p>
        </section>
      ),
    });
  });

  return app;
}
