import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { AccountError } from "../../src/core/accounts.ts";
import { STATUS_OF_CODE } from "../../src/http/errors.ts";
import type { LogFields, Logger } from "../../src/log.ts";
import { CommunityError } from "../../src/store/community/index.ts";
import { DigestStoreError } from "../../src/store/digests/index.ts";
import type { Store } from "../../src/store/store.ts";
import { type Browser, makeUser, seedPapers, signIn } from "../helpers/community.ts";
import { repoRoot } from "../helpers/paths.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, type TestApp } from "../helpers/web.ts";

interface LogLine {
  level: keyof Logger;
  message: string;
  fields: LogFields;
}

function recordingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: keyof Logger) =>
    (message: string, fields: LogFields = {}) =>
      lines.push({ level, message, fields });
  return { logger: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") }, lines };
}

/** `target`, except that the method at `path` (e.g. "digests.ofUser") rejects with `error`. */
function breaking<T extends object>(target: T, path: string, error: Error): T {
  const [name, ...rest] = path.split(".");
  return new Proxy(target, {
    get(object, key) {
      const value: unknown = Reflect.get(object, key);
      if (key === name) {
        return rest.length > 0
          ? breaking(value as object, rest.join("."), error)
          : async () => {
              throw error;
            };
      }
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}

const PAPER = "2405.15738";
/** What only the server may know: it must reach the log and never a response. */
const SECRET = "connection to 10.0.0.5:5432 refused (password for paperboy_admin)";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("one error path", () => {
  let db: TestDatabase;
  let store: Store;
  let member: Browser;
  const apps: TestApp[] = [];

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    await seedPapers(store, [{ id: PAPER, hfUpvotes: 3 }]);
    member = await signIn(store, await makeUser(store));
  });
  after(async () => {
    for (const app of apps) app.close();
    await store.close();
    await db.drop();
  });

  /** The app (on the store with the method at `path` broken, if given), and what it logged. */
  function appWhere(path?: string, error?: Error): { web: TestApp; lines: LogLine[] } {
    const { logger, lines } = recordingLogger();
    const web = createTestApp(path && error ? breaking(store, path, error) : store, { logger });
    apps.push(web);
    return { web, lines };
  }

  const errorsIn = (lines: LogLine[]) => lines.filter((line) => line.level === "error");

  function assertLeaksNothing(body: string): void {
    assert.ok(!body.includes("10.0.0.5"), "the error's message");
    assert.ok(!/\bat .+:\d+:\d+/.test(body), "a stack frame");
  }

  test("a fault on a page: a 500 page with the request id, logged once, nothing leaked", async () => {
    const { web, lines } = appWhere("getPaper", new Error(SECRET));
    const res = await web.request(`/papers/${PAPER}`, { headers: { "X-Request-Id": "req-42.a_b" } });
    assert.equal(res.status, 500);
    assert.match(res.headers.get("content-type") ?? "", /text\/html/);
    assert.equal(res.headers.get("x-request-id"), "req-42.a_b");
    // The site's headers still go on an error page.
    assert.ok(res.headers.get("content-security-policy"));
    const body = await res.text();
    assert.match(body, /Something went wrong/);
    assert.match(body, /req-42\.a_b/, "the reference a reader can quote");
    assertLeaksNothing(body);

    const logged = errorsIn(lines);
    assert.equal(logged.length, 1);
    assert.equal(logged[0]?.fields.requestId, "req-42.a_b");
    assert.equal(logged[0]?.fields.path, `/papers/${PAPER}`);
    assert.match(String(logged[0]?.fields.error), /10\.0\.0\.5/, "the operator sees what happened");
  });

  test("a fault under /api: a JSON 500 with the request id, logged once, nothing leaked", async () => {
    const { web, lines } = appWhere("getPaper", new Error(SECRET));
    const res = await web.request(`/api/papers/${PAPER}`);
    assert.equal(res.status, 500);
    const id = res.headers.get("x-request-id") ?? "";
    assert.match(id, UUID);
    const body = await res.text();
    assert.deepEqual(JSON.parse(body), { error: { code: "internal", message: "internal error" } });
    assertLeaksNothing(body);
    const logged = errorsIn(lines);
    assert.equal(logged.length, 1);
    assert.equal(logged[0]?.fields.requestId, id);
    assert.equal(logged[0]?.fields.path, `/api/papers/${PAPER}`);
  });

  test("a fault in a feed reaches the same handler", async () => {
    const { web, lines } = appWhere("listings.days", new Error(SECRET));
    const res = await web.request("/feeds/daily.rss");
    assert.equal(res.status, 500);
    assertLeaksNothing(await res.text());
    assert.equal(errorsIn(lines).length, 1);
  });

  test("a request id: a short safe one sent in is kept, anything else is replaced", async () => {
    const { web } = appWhere();
    const idOf = async (sent?: string) =>
      (
        await web.request("/about", sent === undefined ? {} : { headers: { "X-Request-Id": sent } })
      ).headers.get("x-request-id");
    assert.equal(await idOf("edge-7f3a"), "edge-7f3a");
    for (const unsafe of ["<script>", "a b", "x".repeat(65), ""])
      assert.match((await idOf(unsafe)) ?? "", UUID);
    const [one, two] = [await idOf(), await idOf()];
    assert.match(one ?? "", UUID);
    assert.notEqual(one, two);
  });

  const coded = [
    {
      area: "accounts",
      path: "/settings",
      broken: "accounts.listApiTokens",
      error: new AccountError("unknown_user", 'No user with id "gone".'),
      status: 404,
    },
    {
      area: "community",
      path: "/library",
      broken: "community.library",
      error: new CommunityError("forbidden", "you can only read your own library"),
      status: 403,
    },
    {
      area: "digests",
      path: "/settings/digests",
      broken: "digests.ofUser",
      error: new DigestStoreError("limit_reached", "the member already keeps 20 subscriptions"),
      status: 409,
    },
  ];
  for (const { area, path, broken, error, status } of coded) {
    test(`${area}: a ${error.code} error answers ${status}, as a page or as JSON, and is not logged`, async () => {
      const { web, lines } = appWhere(broken, error);
      const page = await web.request(path, { headers: { cookie: member.cookie } });
      assert.equal(page.status, status);
      assert.match(page.headers.get("content-type") ?? "", /text\/html/);
      assert.match(page.headers.get("x-request-id") ?? "", UUID);
      const html = await page.text();
      assert.match(html, /^<!doctype html>/);
      assert.ok(html.includes(error.message.replaceAll('"', "&quot;")), html);

      const json = await web.request(path, {
        headers: { cookie: member.cookie, accept: "application/json" },
      });
      assert.equal(json.status, status);
      assert.deepEqual(await json.json(), { error: { code: error.code, message: error.message } });
      assert.deepEqual(errorsIn(lines), []);
    });
  }

  test("feeds: a coded error answers with the table's status, in the feeds' plain text", async () => {
    const { web, lines } = appWhere();
    // An author name with no letters or digits: the store refuses it with invalid_record.
    const res = await web.request("/feeds/author/--.rss");
    assert.equal(res.status, STATUS_OF_CODE.invalid_record);
    assert.match(res.headers.get("content-type") ?? "", /text\/plain/);
    assert.equal(await res.text(), "an author name needs letters or digits");
    assert.deepEqual(errorsIn(lines), []);
  });
});

describe("the error table", () => {
  const sources = readdirSync(join(repoRoot, "src"), { recursive: true, encoding: "utf8" })
    .filter((file) => /\.tsx?$/.test(file))
    .map((file) => ({ file, text: readFileSync(join(repoRoot, "src", file), "utf8") }));
  const parents = new Map<string, string>();
  for (const { text } of sources) {
    for (const m of text.matchAll(/class (\w+) extends (\w+)/g)) parents.set(m[1] ?? "", m[2] ?? "");
  }
  const isCoded = (name: string): boolean => {
    for (let at: string | undefined = name; at; at = parents.get(at)) if (at === "PaperboyError") return true;
    return false;
  };

  test("is total: every code thrown in src has a status", () => {
    const codes = new Set<string>();
    for (const { text } of sources) {
      for (const m of text.matchAll(/new (\w+Error)\(\s*"(\w+)"/g))
        if (isCoded(m[1] ?? "")) codes.add(m[2] ?? "");
      // Subclasses that fix their code (DigestScheduleError): `super("code", ...)` in a coded class's body.
      for (const m of text.matchAll(/class (\w+) extends \w+ \{([\s\S]*?)\n\}/g)) {
        if (!isCoded(m[1] ?? "")) continue;
        for (const call of (m[2] ?? "").matchAll(/super\(\s*"(\w+)"/g)) codes.add(call[1] ?? "");
      }
    }
    assert.ok(codes.has("invalid_schedule") && codes.size >= 15, `found only ${[...codes].join(", ")}`);
    const missing = [...codes].filter((code) => !(code in STATUS_OF_CODE));
    assert.deepEqual(missing, []);
  });

  test("every error class is a coded PaperboyError or one of the outside world's failures", () => {
    // These describe a source, a URL, a channel, a mail or a model failing, not a request: they stay plain
    // Errors, handled where they happen. A new class belongs with PaperboyError or in this list, knowingly.
    const outside = new Set([
      "SourceError",
      "OutboundError",
      "ChannelError",
      "MailError",
      "EmbedderError",
      "MissingGraphError",
      "StoreWriteError",
    ]);
    const stray = [...parents]
      .filter(([, parent]) => parent === "Error")
      .map(([name]) => name)
      .filter((name) => name !== "PaperboyError" && !outside.has(name));
    assert.deepEqual(stray, []);
  });

  test("the app has one onError: no route module registers its own", () => {
    const handlers = sources.filter(({ text }) => /\.onError\(/.test(text)).map(({ file }) => file);
    assert.deepEqual(handlers, [join("http", "app.ts")]);
  });
});
