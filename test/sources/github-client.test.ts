import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, test } from "node:test";
import { type GitHubRepo, parseGitHubRepo } from "../../src/core/github-repo.ts";
import { ManualClock } from "../../src/net/clock.ts";
import { HttpClient } from "../../src/net/http-client.ts";
import {
  GitHubClient,
  type GitHubClientOptions,
  RateLimitedError,
  type StarsOutcome,
} from "../../src/sources/github/client.ts";
import { type FakeGitHub, type FakeGitHubOptions, startFakeGitHub } from "../fakes/github.ts";
import { shared } from "../helpers/paths.ts";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const ref = (key: string): GitHubRepo => {
  const [owner = "", name = ""] = key.split("/");
  return { owner, name };
};

async function collect(iterable: AsyncIterable<StarsOutcome>): Promise<StarsOutcome[]> {
  const out: StarsOutcome[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** The reason of a `{repo, error}` outcome, or "" for any other. */
function errorOf(outcome: StarsOutcome | undefined): string {
  return outcome && "error" in outcome ? outcome.error : "";
}

describe("GitHubClient", () => {
  let clock: ManualClock;
  let server: FakeGitHub | undefined;

  async function start(options: Omit<FakeGitHubOptions, "clock"> = {}): Promise<FakeGitHub> {
    server = await startFakeGitHub({ clock, ...options });
    server.setStars("NVlabs/Fast-dLLM", 512);
    server.setStars("justincui03/Self-Forcing-Plus-Plus", 1);
    server.setStars("QwenLM/Qwen2.5-Omni", 3_100);
    return server;
  }

  function client(fake: FakeGitHub, options: Partial<GitHubClientOptions> = {}): GitHubClient {
    const http = new HttpClient({ clock, random: () => 1 });
    return new GitHubClient({ baseUrl: fake.url, http, clock, ...options });
  }

  beforeEach(() => {
    clock = new ManualClock(T0);
    server = undefined;
  });
  afterEach(async () => {
    if (!server) return;
    assert.deepEqual(server.unplanned, []);
    await server.close();
  });

  test("reads the star count, stamped with the clock's time, with GitHub's headers", async () => {
    const fake = await start();
    const result = await client(fake).fetchStars(ref("NVlabs/Fast-dLLM"));
    assert.deepEqual(result, {
      repo: "NVlabs/Fast-dLLM",
      stars: 512,
      observedAt: "2026-01-01T00:00:00.000Z",
    });
    assert.equal(fake.seen.length, 1);
    assert.equal(fake.seen[0]?.path, "/repos/NVlabs/Fast-dLLM");
    assert.equal(fake.seen[0]?.accept, "application/vnd.github+json");
    assert.equal(fake.seen[0]?.apiVersion, "2022-11-28");
    assert.deepEqual(clock.sleeps, []);
  });

  test("sends the token as a Bearer header when configured, and no Authorization otherwise", async () => {
    const fake = await start();
    await client(fake, { token: "ghp_test123" }).fetchStars(ref("NVlabs/Fast-dLLM"));
    await client(fake).fetchStars(ref("NVlabs/Fast-dLLM"));
    assert.deepEqual(
      fake.seen.map((s) => s.authorization),
      ["Bearer ghp_test123", undefined],
    );
  });

  test("a 404 is a missing repository, and the others carry on", async () => {
    const fake = await start();
    const results = await collect(
      client(fake).fetchMany([ref("gone/deleted-repo"), ref("NVlabs/Fast-dLLM"), ref("nobody/private")]),
    );
    assert.deepEqual(results, [
      { repo: "gone/deleted-repo", missing: true },
      { repo: "NVlabs/Fast-dLLM", stars: 512, observedAt: "2026-01-01T00:00:00.000Z" },
      { repo: "nobody/private", missing: true },
    ]);
  });

  test("a renamed repository is followed and says where it moved", async () => {
    const fake = await start();
    fake.rename("NVlabs/Fast-dLLM-old", "NVlabs/Fast-dLLM");
    const result = await client(fake, { token: "t" }).fetchStars(ref("NVlabs/Fast-dLLM-old"));
    assert.deepEqual(result, {
      repo: "NVlabs/Fast-dLLM-old",
      stars: 512,
      observedAt: "2026-01-01T00:00:00.000Z",
      movedTo: "NVlabs/Fast-dLLM",
    });
    assert.deepEqual(
      fake.seen.map((s) => [s.path, s.status, s.authorization]),
      [
        ["/repos/NVlabs/Fast-dLLM-old", 301, "Bearer t"],
        ["/repos/NVlabs/Fast-dLLM", 200, "Bearer t"],
      ],
    );
  });

  test("when no requests remain, the next one waits exactly until the reset on the clock", async () => {
    const fake = await start({ limit: 2 });
    fake.setRateLimit(2, T0 + 10 * MINUTE);
    const results = await collect(
      client(fake).fetchMany([
        ref("NVlabs/Fast-dLLM"),
        ref("justincui03/Self-Forcing-Plus-Plus"),
        ref("QwenLM/Qwen2.5-Omni"),
      ]),
    );
    assert.deepEqual(clock.sleeps, [10 * MINUTE]);
    assert.deepEqual(
      results.map((r) => ("stars" in r ? [r.repo, r.stars, r.observedAt] : r)),
      [
        ["NVlabs/Fast-dLLM", 512, "2026-01-01T00:00:00.000Z"],
        ["justincui03/Self-Forcing-Plus-Plus", 1, "2026-01-01T00:00:00.000Z"],
        ["QwenLM/Qwen2.5-Omni", 3_100, "2026-01-01T00:10:00.000Z"],
      ],
    );
    // The client never spent a request on a refusal.
    assert.deepEqual(
      fake.seen.map((s) => s.status),
      [200, 200, 200],
    );
  });

  test("a reset further away than maxWaitMs stops with a clear error and sends nothing more", async () => {
    const fake = await start({ limit: 1 });
    const github = client(fake);
    const results: StarsOutcome[] = [];
    await assert.rejects(
      async () => {
        for await (const r of github.fetchMany([ref("NVlabs/Fast-dLLM"), ref("QwenLM/Qwen2.5-Omni")]))
          results.push(r);
      },
      (error: unknown) => {
        assert.ok(error instanceof RateLimitedError);
        assert.equal(error.until, "2026-01-01T01:00:00.000Z");
        assert.equal(error.retryable, true);
        assert.equal(
          error.message,
          "GitHub API rate limited until 2026-01-01T01:00:00.000Z: waiting 60 min is longer than allowed (15 min)",
        );
        return true;
      },
    );
    assert.deepEqual(
      results.map((r) => r.repo),
      ["NVlabs/Fast-dLLM"],
    );
    assert.equal(fake.seen.length, 1);
    assert.deepEqual(clock.sleeps, []);

    // A later call fails the same way at once, without a request.
    await assert.rejects(
      github.fetchStars(ref("QwenLM/Qwen2.5-Omni")),
      /rate limited until 2026-01-01T01:00:00/,
    );
    assert.equal(fake.seen.length, 1);

    // A client allowed to wait longer, not knowing the quota is spent, is refused once and waits the hour out.
    const patient = client(fake, { maxWaitMs: 2 * HOUR });
    const later = await patient.fetchStars(ref("QwenLM/Qwen2.5-Omni"));
    assert.deepEqual(clock.sleeps, [HOUR]);
    assert.deepEqual(later, {
      repo: "QwenLM/Qwen2.5-Omni",
      stars: 3_100,
      observedAt: "2026-01-01T01:00:00.000Z",
    });
    assert.deepEqual(
      fake.seen.map((s) => s.status),
      [200, 403, 200],
    );
  });

  for (const refusalStatus of [403, 429] as const) {
    test(`a ${refusalStatus} refusal with remaining 0 is a rate limit: waited out, then retried`, async () => {
      const fake = await start({ refusalStatus });
      // Another client spent the quota; this one only learns it from the refusal.
      fake.setRateLimit(0, T0 + 2 * MINUTE);
      const result = await client(fake).fetchStars(ref("NVlabs/Fast-dLLM"));
      assert.deepEqual(result, {
        repo: "NVlabs/Fast-dLLM",
        stars: 512,
        observedAt: "2026-01-01T00:02:00.000Z",
      });
      assert.deepEqual(clock.sleeps, [2 * MINUTE]);
      assert.deepEqual(
        fake.seen.map((s) => s.status),
        [refusalStatus, 200],
      );
    });
  }

  test("a secondary rate limit with Retry-After is waited out, one without waits a minute", async () => {
    const fake = await start();
    const secondary = JSON.stringify({
      message: "You have exceeded a secondary rate limit. Please wait a few minutes.",
    });
    fake.inject((url) => url.pathname === "/repos/NVlabs/Fast-dLLM", {
      status: 403,
      headers: { "retry-after": "30", "content-type": "application/json" },
      body: secondary,
    });
    fake.inject((url) => url.pathname === "/repos/QwenLM/Qwen2.5-Omni", {
      status: 403,
      headers: { "content-type": "application/json" },
      body: secondary,
    });
    const results = await collect(
      client(fake).fetchMany([ref("NVlabs/Fast-dLLM"), ref("QwenLM/Qwen2.5-Omni")]),
    );
    assert.deepEqual(clock.sleeps, [30_000, MINUTE]);
    assert.deepEqual(
      results.map((r) => ("stars" in r ? r.stars : r)),
      [512, 3_100],
    );
  });

  test("a rate limit that keeps refusing gives up after five refusals", async () => {
    const fake = await start();
    fake.inject((url) => url.pathname.startsWith("/repos/"), { status: 429, body: "slow down" }, 5);
    await assert.rejects(
      client(fake).fetchStars(ref("NVlabs/Fast-dLLM")),
      (error: unknown) => error instanceof RateLimitedError && /refused 5 times in a row/.test(error.message),
    );
    assert.deepEqual(clock.sleeps, [MINUTE, MINUTE, MINUTE, MINUTE]);
    assert.equal(fake.requests.length, 5);
  });

  test("a failure of one repository is reported and the others carry on; a rejected token stops the run", async () => {
    const fake = await start();
    fake.inject((url) => url.pathname === "/repos/blocked/dmca", {
      status: 451,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "Repository access blocked" }),
    });
    fake.inject((url) => url.pathname === "/repos/odd/answer", {
      status: 200,
      body: '{"full_name":"odd/answer"}',
    });
    const results = await collect(
      client(fake).fetchMany([
        ref("blocked/dmca"),
        { owner: "-bad-", name: "name" },
        ref("odd/answer"),
        ref("NVlabs/Fast-dLLM"),
      ]),
    );
    assert.equal(results.length, 4);
    assert.match(errorOf(results[0]), /HTTP 451/);
    assert.match(errorOf(results[1]), /not a GitHub repository name: "-bad-\/name"/);
    assert.match(errorOf(results[2]), /stargazers_count/);
    assert.equal(results[3] && "stars" in results[3] ? results[3].stars : null, 512);

    fake.inject((url) => url.pathname.startsWith("/repos/"), {
      status: 401,
      body: JSON.stringify({ message: "Bad credentials" }),
    });
    await assert.rejects(
      collect(
        client(fake, { token: "expired" }).fetchMany([ref("NVlabs/Fast-dLLM"), ref("QwenLM/Qwen2.5-Omni")]),
      ),
      /HTTP 401/,
    );
  });
});

describe("parseGitHubRepo", () => {
  const accepted: [string, string][] = [
    ["https://github.com/NVlabs/Fast-dLLM", "NVlabs/Fast-dLLM"],
    ["https://github.com/The-FinAI/FinAuditing.git", "The-FinAI/FinAuditing"],
    ["https://github.com/Alibaba-NLP/DeepResearch///", "Alibaba-NLP/DeepResearch"],
    ["https://github.com/owner/name.git/", "owner/name"],
    ["https://github.com/microsoft/LMOps/tree/main/opo", "microsoft/LMOps"],
    ["https://github.com/RUC-NLPIR/ARPO/blob/main/", "RUC-NLPIR/ARPO"],
    ["https://github.com/MYVAE/SmartSearch?tab=readme-ov-file", "MYVAE/SmartSearch"],
    ["https://github.com/owner/name#readme", "owner/name"],
    ["http://github.com/owner/name", "owner/name"],
    ["https://www.github.com/owner/name", "owner/name"],
    ["HTTPS://GitHub.com/owner/name", "owner/name"],
    ["  https://github.com/QwenLM/Qwen2.5-Omni  ", "QwenLM/Qwen2.5-Omni"],
    ["https://github.com/\nFightingFighting/NeuroAda.git", "FightingFighting/NeuroAda"],
    ["https://github.com/my-org/.github", "my-org/.github"],
  ];

  for (const [url, expected] of accepted) {
    test(`accepts ${JSON.stringify(url)}`, () => {
      const repo = parseGitHubRepo(url);
      assert.ok(repo);
      assert.equal(`${repo.owner}/${repo.name}`, expected);
    });
  }

  const rejected = [
    "https://github.com/DFIR-Metric",
    "https://github.com/",
    "https://github.com/orgs/openai/repositories",
    "https://github.com/-bad/name",
    "https://github.com/owner/na%20me",
    "https://gitlab.com/owner/name",
    "https://gist.github.com/owner/0123abcd",
    "https://nvlabs.github.io/Fast-dLLM/v2/",
    "https://github.com.evil.example/owner/name",
    "https://user:pass@github.com/owner/name",
    "ftp://github.com/owner/name",
    "git@github.com:owner/name.git",
    "github.com/owner/name",
    "not a url",
    "",
  ];
  for (const url of rejected) {
    test(`rejects ${JSON.stringify(url)}`, () => {
      assert.equal(parseGitHubRepo(url), null);
    });
  }

  test("every GitHub link in the recorded daily papers parses, but the one naming only an owner", () => {
    const dir = shared("hf-daily", "raw");
    const links: string[] = [];
    for (const file of readdirSync(dir)) {
      const entries = JSON.parse(readFileSync(`${dir}/${file}`, "utf8")) as {
        paper: { githubRepo?: string };
      }[];
      for (const e of entries) if (e.paper.githubRepo) links.push(e.paper.githubRepo);
    }
    assert.ok(links.length > 3_000);
    const unparsed = links.filter((l) => parseGitHubRepo(l) === null);
    assert.deepEqual(unparsed, ["https://github.com/DFIR-Metric"]);
  });
});
