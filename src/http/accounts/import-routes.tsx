/**
 * The admin's file import (`/admin/import`): the formats `paperboy import` reads, uploaded through a form, for
 * when a source is down or the operator has a file but no shell. The upload is written to a private temporary
 * file and imported as the CLI does (bad records are reported with their line, the rest lands), without the
 * bulk mode a live site must not use.
 */
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { Context } from "hono";
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { type ImportSummary, importFiles } from "../../jobs/import-files.ts";
import { CSRF_FIELD } from "../csrf.ts";
import type { AppDeps, AppEnv } from "../env.ts";
import { renderPage } from "../views/page.tsx";
import { requireAdmin, SESSION_COOKIE } from "./session.ts";
import { Notice } from "./views.tsx";

export const ADMIN_IMPORT_PATH = "/admin/import";
/** The largest upload the form takes; larger files are refused (413) before a byte is stored. */
export const ADMIN_IMPORT_MAX_BYTES = 64 * 1024 * 1024;
const MAX_MB = ADMIN_IMPORT_MAX_BYTES / (1024 * 1024);
/** Problems listed on the result page; all are counted. */
const SHOWN_PROBLEMS = 100;

/**
 * Whether a request is an admin's upload to the import form, which may be larger than the site's usual body
 * limit. Decided from the session cookie before the body is read, so nobody else can make the server read a
 * large body; the session middleware and `requireAdmin` still check the session and CSRF token as for every form.
 */
export async function isAdminUpload(c: Context<AppEnv>, deps: AppDeps): Promise<boolean> {
  if (c.req.method !== "POST" || c.req.path !== ADMIN_IMPORT_PATH) return false;
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return false;
  const found = await deps.store.accounts.resolveSession(token, deps.now());
  return found?.user.role === "admin";
}

/** The refusal of an upload over the limit, sent before the session is read (hence plain text). */
export function uploadTooLarge(c: Context<AppEnv>): Response {
  return c.text(
    `The file is larger than ${MAX_MB} MB, the most the import form takes. Nothing was imported. ` +
      "Split it, or import it on the server with `paperboy import FILE`.",
    413,
  );
}

/** An uploaded name made safe as a file name; the date in a daily-papers file's name is kept. */
function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const cleaned = base.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "");
  return cleaned.slice(-100) || "upload";
}

function ImportForm(props: { csrf: string }) {
  return (
    <form method="post" action={ADMIN_IMPORT_PATH} enctype="multipart/form-data" class="stack">
      <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
      <p>
        <label>
          File (at most {MAX_MB} MB; gzip accepted)
          <br />
          <input type="file" name="file" required accept=".json,.jsonl,.ndjson,.gz,application/json" />
        </label>
      </p>
      <p>
        <button class="btn" type="submit">
          Import
        </button>
      </p>
    </form>
  );
}

function Summary(props: { name: string; summary: ImportSummary }) {
  const { name, summary: s } = props;
  const shown = s.problems.slice(0, SHOWN_PROBLEMS);
  return (
    <section aria-labelledby="import-result">
      <h2 id="import-result">Imported {name}</h2>
      <table class="params">
        <tbody>
          <tr>
            <th>Records read</th>
            <td>{s.read}</td>
          </tr>
          <tr>
            <th>Papers added</th>
            <td>{s.added}</td>
          </tr>
          <tr>
            <th>Papers updated</th>
            <td>{s.updated}</td>
          </tr>
          <tr>
            <th>Papers unchanged</th>
            <td>{s.unchanged}</td>
          </tr>
          <tr>
            <th>Daily entries added</th>
            <td>{s.daily.added}</td>
          </tr>
          <tr>
            <th>Rejected</th>
            <td>{s.rejected}</td>
          </tr>
        </tbody>
      </table>
      {shown.length > 0 ? (
        <>
          <h3>Rejected records</h3>
          <ul class="import-problems">
            {shown.map((p) => (
              <li>
                {p.line !== undefined
                  ? `line ${p.line}: `
                  : p.entry !== undefined
                    ? `entry ${p.entry}: `
                    : ""}
                {p.reason}
              </li>
            ))}
          </ul>
          {s.rejected > shown.length ? (
            <p class="muted">
              … and {s.rejected - shown.length} more (the first {shown.length} are listed).
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

export function importRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const baseUrl = deps.config.web.baseUrl;
  app.use(ADMIN_IMPORT_PATH, requireAdmin);

  const page = (c: Context<AppEnv>, status: 200 | 400, content?: { notice?: string; result?: unknown }) =>
    renderPage(
      c,
      baseUrl,
      {
        title: "Import papers",
        noindex: true,
        children: (
          <section>
            <h1>Import papers</h1>
            <p>
              Upload a file in a format <code>paperboy import</code> reads: arXiv's metadata snapshot (JSON
              lines), a Hugging Face daily papers response (name it by its day, e.g.{" "}
              <code>2024-05-27.json</code>
              ), or a Paperboy export. Papers already here are merged, never doubled; bad lines are listed and
              the rest is imported.
            </p>
            <Notice text={content?.notice} />
            {content?.result}
            <ImportForm csrf={c.get("csrf")} />
          </section>
        ),
      },
      status,
    );

  app.get(ADMIN_IMPORT_PATH, (c) => page(c, 200));

  app.post(ADMIN_IMPORT_PATH, async (c) => {
    const body = await c.req.parseBody();
    const file = body.file;
    if (!(file instanceof File) || file.size === 0) {
      return page(c, 400, { notice: "Choose a file to import; the one sent was missing or empty." });
    }
    if (file.size > ADMIN_IMPORT_MAX_BYTES) return uploadTooLarge(c);
    const name = safeFileName(file.name);
    const dir = await mkdtemp(join(tmpdir(), "paperboy-import-"));
    try {
      const path = join(dir, name);
      await pipeline(
        Readable.fromWeb(file.stream() as WebReadableStream<Uint8Array>),
        createWriteStream(path, { mode: 0o600 }),
      );
      const summary = await importFiles(deps.store, [path], {
        maxProblems: SHOWN_PROBLEMS,
        bulkThresholdBytes: Number.POSITIVE_INFINITY,
      });
      deps.logger.info("admin import", {
        by: c.get("user")?.id,
        file: name,
        read: summary.read,
        added: summary.added,
        updated: summary.updated,
        rejected: summary.rejected,
      });
      return page(c, 200, { result: <Summary name={name} summary={summary} /> });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  return app;
}
