/**
 * The library's files: import a reference file from the page (upload, with a summary of what happened), export
 * the library as a download, and the member's whole account as one JSON file (linked from settings).
 */
import type { Context, Hono } from "hono";
import { z } from "zod";
import { exportAccount, exportLibrary } from "../../jobs/library-export.ts";
import { importLibrary, LibraryFileTooLarge, type LibraryImportSummary } from "../../jobs/library-import.ts";
import {
  EXPORT_FILE,
  EXPORT_FORMATS,
  LIBRARY_FORMATS,
  type LibraryFormat,
  MAX_LIBRARY_FILE_BYTES,
} from "../../sources/library/index.ts";
import { CommunityError, parseTagList } from "../../store/community/index.ts";
import { requireUser, requireVerified } from "../accounts/session.ts";
import type { AppDeps, AppEnv } from "../env.ts";
import { renderPage } from "../views/page.tsx";
import { member, refuseError } from "./shared.ts";

const FORMAT_NAMES: Record<LibraryFormat, string> = {
  bibtex: "BibTeX (.bib)",
  ris: "RIS (.ris)",
  "csl-json": "CSL-JSON (Zotero, Mendeley)",
  csv: "CSV",
  list: "a list of arXiv ids, URLs or DOIs",
};

/** Links to the library's export formats, for the library page. */
export function ExportLinks() {
  return (
    <p class="small library-io">
      Export:{" "}
      {EXPORT_FORMATS.map((format, i) => (
        <>
          {i > 0 ? " · " : ""}
          <a href={`/library/export?format=${format}`} download>
            {format === "csl-json" ? "CSL-JSON" : format === "bibtex" ? "BibTeX" : format.toUpperCase()}
          </a>
        </>
      ))}{" "}
      · <a href="/library/import">Import references</a>
    </p>
  );
}

function ImportForm(props: { csrf: string }) {
  return (
    <form method="post" action="/library/import" enctype="multipart/form-data" class="stacked">
      <input type="hidden" name="_csrf" value={props.csrf} />
      <label>
        File (BibTeX, RIS, CSL-JSON, CSV, or one arXiv id, URL or DOI a line; at most{" "}
        {MAX_LIBRARY_FILE_BYTES / 1_048_576} MiB)
        <input type="file" name="file" required accept=".bib,.bibtex,.ris,.json,.csv,.txt,text/*" />
      </label>
      <label>
        Format
        <select name="format">
          <option value="">Tell from the file</option>
          {LIBRARY_FORMATS.map((f) => (
            <option value={f}>{FORMAT_NAMES[f]}</option>
          ))}
        </select>
      </label>
      <label>
        Tag every imported paper (optional)
        <input name="tags" placeholder="comma, separated" maxlength={1000} />
      </label>
      <button type="submit">Import</button>
    </form>
  );
}

function Summary(props: { summary: LibraryImportSummary }) {
  const s = props.summary;
  return (
    <section class="import-summary" aria-label="Import summary">
      <h2>What happened</h2>
      <p>
        Read {s.entries} {s.entries === 1 ? "entry" : "entries"} as {FORMAT_NAMES[s.format]}.
      </p>
      <ul>
        <li>Imported: {s.imported}</li>
        <li>Matched by title: {s.matchedByTitle}</li>
        <li>Fetching from arXiv (queued; they join your library once fetched): {s.fetching}</li>
        <li>Already in your library: {s.alreadyInLibrary}</li>
        <li>Not found: {s.notFound.length}</li>
        <li>Not readable: {s.invalid.length}</li>
      </ul>
      {s.notFound.length > 0 ? (
        <>
          <h3>Not found</h3>
          <ul class="small">
            {s.notFound.map((n) => (
              <li>
                line {n.line} ({n.label}): {n.reason}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {s.invalid.length > 0 ? (
        <>
          <h3>Not readable</h3>
          <ul class="small">
            {s.invalid.map((p) => (
              <li>
                line {p.line}: {p.reason}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        <a href="/library">Back to your library</a>
      </p>
    </section>
  );
}

function importPage(c: Context<AppEnv>, deps: AppDeps, summary: LibraryImportSummary | null) {
  return renderPage(c, deps.config.web.baseUrl, {
    title: "Import references",
    current: "library",
    noindex: true,
    children: (
      <section class="library">
        <h1>Import references</h1>
        {summary ? <Summary summary={summary} /> : null}
        <p class="muted">
          Each entry is found by its arXiv id (eprint, URL, note or an arXiv DOI), else by its title among the
          papers here, else fetched from arXiv. Keywords and collections become tags. Importing the same file
          again changes nothing.
        </p>
        <ImportForm csrf={c.get("csrf")} />
      </section>
    ),
  });
}

const importForm = z.object({
  format: z.enum(LIBRARY_FORMATS).or(z.literal("")).catch(""),
  tags: z.string().max(1000).catch(""),
});

export function mountLibraryIo(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get("/library/import", requireUser, (c) => importPage(c, deps, null));

  app.post("/library/import", requireVerified, async (c) => {
    const body = await c.req.parseBody();
    const file = body.file;
    if (!(file instanceof File) || file.size === 0) {
      return refuseError(c, deps, new CommunityError("invalid_input", "choose a file to import"));
    }
    // Refused before it is read, let alone stored.
    if (file.size > MAX_LIBRARY_FILE_BYTES) throw new LibraryFileTooLarge(file.size);
    const form = importForm.parse({ format: body.format ?? "", tags: body.tags ?? "" });
    let tags: string[];
    try {
      tags = parseTagList(form.tags);
    } catch (error) {
      return refuseError(c, deps, error);
    }
    const summary = await importLibrary({
      store: deps.store,
      userId: member(c).id,
      file: new Uint8Array(await file.arrayBuffer()),
      tags,
      ...(form.format ? { format: form.format } : {}),
      now: deps.now(),
    });
    if (c.req.header("accept")?.includes("application/json")) return c.json(summary);
    return importPage(c, deps, summary);
  });

  app.get("/library/export", requireUser, async (c) => {
    const format = z.enum(EXPORT_FORMATS).catch("bibtex").parse(c.req.query("format"));
    const text = await exportLibrary(deps.store, member(c).id, format);
    const file = EXPORT_FILE[format];
    return c.body(text, 200, {
      "Content-Type": file.mediaType,
      "Content-Disposition": `attachment; filename="library.${file.extension}"`,
      "Cache-Control": "private, no-store",
    });
  });

  app.get("/settings/export", requireUser, async (c) => {
    const data = await exportAccount(deps.store, member(c).id, deps.now());
    return c.body(`${JSON.stringify(data, null, 2)}\n`, 200, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": 'attachment; filename="paperboy-account.json"',
      "Cache-Control": "private, no-store",
    });
  });
}
