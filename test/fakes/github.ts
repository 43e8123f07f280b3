import type { Clock } from "../../src/net/clock.ts";
import { type FakeReply, type FakeServer, startFakeServer } from "./server.ts";

/**
 * A fake GitHub REST API serving `GET /repos/{owner}/{repo}`.
 *
 * No recording of GitHub's API exists in ../shared/data, so the bodies here are synthetic: a subset of the
 * fields GitHub documents for "Get a repository" (https://docs.github.com/rest/repos/repos#get-a-repository),
 * with the rate-limit headers it sends on every answer (x-ratelimit-limit, -remaining, -reset in epoch seconds,
 * -used, -resource). The quota counts down on the test's clock; with none left the answer is a 403 (or 429)
 * refusal shaped like GitHub's "API rate limit exceeded", until the window resets.
 */
export interface FakeGitHubOptions {
  /** The test's clock: rate-limit windows open and reset on it. */
  clock: Clock;
  /** Requests per window; default 60, GitHub's limit without a token. */
  limit?: number;
  /** Window length; default one hour. */
  windowMs?: number;
  /** Status of a refusal when no requests remain (GitHub uses both). Default 403. */
  refusalStatus?: 403 | 429;
}

/** What the fake saw of one request to /repos, and what it answered. */
export interface SeenRequest {
  path: string;
  authorization: string | undefined;
  accept: string | undefined;
  apiVersion: string | undefined;
  status: number;
}

export interface FakeGitHub extends FakeServer {
  /** Creates or updates a repository (`owner/name`, matched case-insensitively) with a star count. */
  setStars(repo: string, stars: number): void;
  /** Answers requests for `from` with a 301 to `to`, as GitHub does for a renamed or transferred repository. */
  rename(from: string, to: string): void;
  /** Sets the current window: `remaining` requests until `resetAt` (epoch ms on the clock). */
  setRateLimit(remaining: number, resetAt: number): void;
  /** Every request to /repos, in order. */
  seen: SeenRequest[];
}

const JSON_TYPE = "application/json; charset=utf-8";

function json(status: number, value: unknown, headers: Record<string, string>): FakeReply {
  return { status, headers: { "content-type": JSON_TYPE, ...headers }, body: JSON.stringify(value) };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const { clock } = options;
  const limit = options.limit ?? 60;
  const windowMs = options.windowMs ?? 3_600_000;
  const refusalStatus = options.refusalStatus ?? 403;
  const repos = new Map<string, { fullName: string; stars: number; id: number }>();
  const renames = new Map<string, string>();
  const seen: SeenRequest[] = [];
  let remaining = limit;
  /** Epoch ms, a whole second as GitHub's header gives it; null until the first request opens a window. */
  let resetAt: number | null = null;

  const rateHeaders = (): Record<string, string> => ({
    "x-ratelimit-limit": String(limit),
    "x-ratelimit-remaining": String(remaining),
    "x-ratelimit-reset": String(Math.floor((resetAt ?? 0) / 1000)),
    "x-ratelimit-used": String(limit - remaining),
    "x-ratelimit-resource": "core",
  });

  const answer = (owner: string, name: string): FakeReply => {
    if (resetAt === null || clock.now() >= resetAt) {
      remaining = limit;
      resetAt = Math.ceil((clock.now() + windowMs) / 1000) * 1000;
    }
    if (remaining === 0) {
      return json(
        refusalStatus,
        {
          message: "API rate limit exceeded for 127.0.0.1. (But here's the good news: ...)",
          documentation_url: "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting",
        },
        rateHeaders(),
      );
    }
    remaining--;
    const key = `${owner}/${name}`.toLowerCase();
    const movedTo = renames.get(key);
    if (movedTo !== undefined) {
      return json(
        301,
        { message: "Moved Permanently", url: `/repos/${movedTo}` },
        { ...rateHeaders(), location: `/repos/${movedTo}` },
      );
    }
    const repo = repos.get(key);
    if (repo === undefined) {
      return json(
        404,
        {
          message: "Not Found",
          documentation_url: "https://docs.github.com/rest/repos/repos#get-a-repository",
          status: "404",
        },
        rateHeaders(),
      );
    }
    const [login] = repo.fullName.split("/");
    return json(
      200,
      {
        id: repo.id,
        name: repo.fullName.split("/")[1],
        full_name: repo.fullName,
        private: false,
        owner: { login, type: "Organization" },
        html_url: `https://github.com/${repo.fullName}`,
        description: "A synthetic repository of the fake GitHub API.",
        fork: false,
        stargazers_count: repo.stars,
        watchers_count: repo.stars,
        forks_count: Math.floor(repo.stars / 10),
        default_branch: "main",
      },
      rateHeaders(),
    );
  };

  const server = await startFakeServer((url, request) => {
    const m = /^\/repos\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (request.method !== "GET" || !m?.[1] || !m[2]) return undefined;
    const reply = answer(decodeURIComponent(m[1]), decodeURIComponent(m[2]));
    seen.push({
      path: url.pathname,
      authorization: header(request.headers.authorization),
      accept: header(request.headers.accept),
      apiVersion: header(request.headers["x-github-api-version"]),
      status: "status" in reply ? (reply.status ?? 200) : 0,
    });
    return reply;
  });

  return {
    ...server,
    seen,
    setStars(repo, stars) {
      const key = repo.toLowerCase();
      const existing = repos.get(key);
      repos.set(key, { fullName: existing?.fullName ?? repo, stars, id: existing?.id ?? repos.size + 1 });
    },
    rename(from, to) {
      renames.set(from.toLowerCase(), to);
    },
    setRateLimit(left, at) {
      remaining = left;
      resetAt = at;
    },
  };
}
