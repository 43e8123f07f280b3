/** A GitHub repository, as its owner and name appear in its URL (GitHub compares them case-insensitively). */
export interface GitHubRepo {
  owner: string;
  name: string;
}

/** User and organisation names: letters, digits and hyphens, not starting with a hyphen, at most 39. */
const OWNER = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
/** Repository names: letters, digits, `.`, `_` and `-`, at most 100, never `.` or `..`. */
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** First path segments of github.com that are GitHub's own pages, not owners. */
const RESERVED_OWNERS = new Set([
  "about",
  "apps",
  "collections",
  "enterprise",
  "events",
  "explore",
  "features",
  "issues",
  "login",
  "marketplace",
  "new",
  "notifications",
  "orgs",
  "organizations",
  "pricing",
  "pulls",
  "search",
  "settings",
  "site",
  "sponsors",
  "topics",
  "trending",
  "users",
]);

export function isValidRepo(repo: GitHubRepo): boolean {
  return (
    OWNER.test(repo.owner) &&
    !RESERVED_OWNERS.has(repo.owner.toLowerCase()) &&
    NAME.test(repo.name) &&
    repo.name !== "." &&
    repo.name !== ".."
  );
}

/** `owner/name`. */
export function repoKey(repo: GitHubRepo): string {
  return `${repo.owner}/${repo.name}`;
}

/**
 * The repository a github.com URL points into: `https://github.com/owner/name`, with or without `.git`,
 * trailing or doubled slashes, a deeper path (`/tree/main/...`, `/blob/...`), a query or fragment, over http or
 * https, with or without `www.`. Null for other hosts (gist.github.com, github.io pages), GitHub's own pages,
 * a URL naming only an owner, and anything malformed. Line breaks pasted into a URL are ignored, as browsers do.
 */
export function parseGitHubRepo(url: string): GitHubRepo | null {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return null;
  const host = parsed.hostname.toLowerCase();
  if (host !== "github.com" && host !== "www.github.com") return null;
  if (parsed.username !== "" || parsed.password !== "" || parsed.port !== "") return null;
  const [owner, rawName] = parsed.pathname.split("/").filter((segment) => segment !== "");
  if (owner === undefined || rawName === undefined) return null;
  const repo = { owner, name: rawName.replace(/\.git$/i, "") };
  return isValidRepo(repo) ? repo : null;
}
