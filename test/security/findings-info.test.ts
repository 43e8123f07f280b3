/**
 * Security review, finding 7 (info): a non-Bearer `Authorization` header (basic auth of a proxy in front of the
 * site) got 401 on every page; /metrics was public; and there was no HSTS, no `base-uri` in the CSP and no
 * Permissions-Policy. Now other schemes are left to whoever set them, /metrics takes an optional token, and
 * every answer carries the headers (HSTS only for a site served over https).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../../src/config/config.ts";
import type { Store } from "../../src/store/store.ts";
import { BASE_URL } from "../helpers/accounts-web.ts";
import { makeUser, seedPapers, TEST_APP_NOW } from "../helpers/community.ts";
import { appWithSecurity } from "../helpers/security.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, type TestApp } from "../helpers/web.ts";
import { WebClient } from "../helpers/web-client.ts";

const PAPER = "2405.00077";
const BASIC = `Basic ${Buffer.from("reader:proxy-password").toString("base64")}`;
const METRICS_TOKEN = "metrics-token-0123456789abcdef";
const HTTPS_BASE = "https://papers.example.org";

describe("finding 7: basic auth in front, /metrics, security headers", () => {
  let db: TestDatabase;
  let store: Store;
  let web: TestApp;
  let withMetricsToken: TestApp;
  let https: TestApp;

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    await seedPapers(store, [{ id: PAPER, hfUpvotes: 4, day: "2024-05-31" }]);
    web = createTestApp(store);
    withMetricsToken = appWithSecurity(web, store, { PAPERBOY_METRICS_TOKEN: METRICS_TOKEN });
    const config = web.deps.config;
    https = createTestApp(store, { config: { ...config, web: { ...config.web, baseUrl: HTTPS_BASE } } });
  });
  after(async () => {
    for (const app of [web, withMetricsToken, https]) app.close();
    await store.close();
    await db.drop();
  });

  test("Authorization: Basic is ignored: pages and the API answer as without it", async () => {
    for (const path of ["/", `/papers/${PAPER}`, "/api/daily_papers"]) {
      const plain = await web.request(path);
      const behindProxy = await web.request(path, { headers: { authorization: BASIC } });
      assert.equal(plain.status, 200, path);
      assert.equal(behindProxy.status, 200, path);
      assert.equal(behindProxy.headers.get("www-authenticate"), null, path);
      if (path.startsWith("/api/")) {
        assert.deepEqual(await behindProxy.json(), await plain.json());
      } else {
        assert.ok((await behindProxy.text()).includes(`Paper ${PAPER}`), path);
      }
    }
  });

  test("behind basic auth a signed-in member stays signed in and can post forms", async () => {
    const user = await makeUser(store, { name: "Behind Proxy" });
    const browser = new WebClient(web.app, BASE_URL);
    browser.cookies.set("pb_session", (await store.accounts.createSession(user.id, TEST_APP_NOW)).token);
    const get = (path: string) => browser.get(path, { authorization: BASIC });
    assert.equal((await get("/settings")).status, 200);
    assert.ok(browser.lastHtml.includes(user.email));
    assert.equal((await get("/api/library")).status, 200);
    const saved = await browser.request("/settings/name", {
      method: "POST",
      headers: { authorization: BASIC, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: browser.csrf, name: "Renamed Behind Proxy" }),
    });
    assert.equal(saved.status, 303);
    assert.equal((await store.accounts.getUser(user.id))?.name, "Renamed Behind Proxy");
    // A Bearer header is still the API's business: a wrong token is refused there.
    const wrong = await web.request("/api/library", { headers: { authorization: "Bearer not-a-token" } });
    assert.equal(wrong.status, 401);
  });

  test("/metrics with PAPERBOY_METRICS_TOKEN answers the right token only; without it stays public", async () => {
    const metrics = (app: TestApp, authorization?: string) =>
      app.request("/metrics", authorization ? { headers: { authorization } } : {});
    for (const authorization of [undefined, "Bearer wrong-token-0123456789", BASIC, METRICS_TOKEN]) {
      const res = await metrics(withMetricsToken, authorization);
      assert.equal(res.status, 401, String(authorization));
      assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer/);
      assert.doesNotMatch(await res.text(), /paperboy_/, "no metric leaks");
    }
    const right = await metrics(withMetricsToken, `Bearer ${METRICS_TOKEN}`);
    assert.equal(right.status, 200);
    assert.match(await right.text(), /^# (HELP|TYPE) paperboy_/m);

    const open = await metrics(web);
    assert.equal(open.status, 200, "unset, as before: public");
    assert.match(await open.text(), /paperboy_/);
    assert.equal(loadConfig({ PAPERBOY_DB: ":memory:" }).security.metricsToken, null);
  });

  test("every answer has base-uri in its CSP and a Permissions-Policy; HSTS only over https", async () => {
    const paths = ["/", `/papers/${PAPER}`, "/api/daily_papers", "/feeds/daily.rss", "/no-such-page"];
    for (const path of paths) {
      for (const app of [web, https]) {
        const res = await app.request(path);
        const where = `${app.deps.config.web.baseUrl}${path}`;
        assert.match(res.headers.get("content-security-policy") ?? "", /(^|;\s*)base-uri 'self'(;|$)/, where);
        assert.ok(res.headers.get("permissions-policy"), where);
        const hsts = res.headers.get("strict-transport-security");
        if (app === https) assert.match(hsts ?? "", /^max-age=\d{7,}/, where);
        else assert.equal(hsts, null, where);
      }
    }
    const policy = (await https.request("/")).headers.get("permissions-policy") ?? "";
    for (const feature of ["camera=()", "microphone=()", "geolocation=()"]) {
      assert.ok(policy.includes(feature), feature);
    }
  });
});
