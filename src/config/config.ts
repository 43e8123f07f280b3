import { Cron } from "croner";
import { z } from "zod";
import { type Category, parseCategoryList } from "../core/category.ts";
import { PaperboyError } from "../core/errors.ts";
import { LOG_LEVELS, type LogLevel } from "../log.ts";

export type DatabaseConfig = { kind: "sqlite"; path: string } | { kind: "postgres"; url: string };

/** Where the outside services are, and how politely to call them. Tests point the URLs at local fakes. */
export interface SourcesConfig {
  arxivApiUrl: string;
  arxivOaiUrl: string;
  arxivRssUrl: string;
  hfUrl: string;
  githubApiUrl: string;
  githubToken: string | null;
  /** Minimum spacing of arXiv requests, across every arXiv client of the process. */
  arxivIntervalMs: number;
  httpTimeoutMs: number;
  /** The arXiv categories the scheduled syncs follow. */
  categories: Category[];
}

/** When the worker runs each scheduled sync (cron expressions in UTC; null: off). */
export interface WorkerConfig {
  schedules: { hf: string | null; arxiv: string | null; stars: string | null };
  /** A source failing for longer than this is flagged in `paperboy status`. */
  flagFailingAfterMs: number;
}

/** What `npm start` does besides serving pages. */
export interface StartConfig {
  /** `paperboy serve` runs the worker in its own process too (off for web replicas beside a worker). */
  workerInServe: boolean;
  /** On a first run, how many of the latest Hugging Face daily lists to fetch (0: none). */
  backfillDays: number;
}

/** The web server (`paperboy serve`, `npm start`). */
export interface WebConfig {
  port: number;
  host: string;
  /** The address readers use, for links in mail and feeds (no trailing slash). */
  baseUrl: string;
  /**
   * Signs session cookies, CSRF tokens and links in mail. Null: a random one is made on first start and kept
   * in `<dataDir>/secret` (fine for one machine; replicas must share one through PAPERBOY_SECRET).
   */
  secret: string | null;
  /** Signing up is open to anyone (else an admin creates accounts). */
  openSignup: boolean;
}

/** Outgoing mail. With no SMTP URL, mail lands in a local outbox the site shows at /dev/outbox. */
export interface MailConfig {
  smtpUrl: string | null;
  from: string;
}

/**
 * Which embedder turns text into vectors for search by meaning:
 * `corpus` (default, trained on the library itself, offline), `onnx` (a transformers.js model from a folder or
 * a hub name), `openai` (any OpenAI-compatible /v1/embeddings server).
 */
export type EmbedderConfig =
  | { kind: "corpus" }
  | { kind: "onnx"; model: string; allowRemote: boolean }
  | { kind: "openai"; url: string; model: string; apiKey: string | null; dimensions: number | null };

/**
 * Which approximate nearest-neighbour index serves search by meaning from 20,000 papers on: `usearch` (an HNSW
 * graph in a file beside the engine, memory-mapped by each server), `pgvector` (an HNSW index in the
 * PostgreSQL store, shared by replicas; needs the server's `vector` extension), or `auto` (pgvector when the
 * store is PostgreSQL and the server offers it, else usearch).
 */
export type VectorIndexChoice = "auto" | "usearch" | "pgvector";

/**
 * Where the worker publishes engine builds for replicas without a shared disk: the PostgreSQL store (the
 * default; on SQLite nothing is published), or an S3-compatible object store (AWS S3, MinIO, Garage, R2),
 * addressed by path, objects under `prefix`.
 */
export type BuildStoreConfig =
  | { kind: "postgres" }
  | {
      kind: "s3";
      endpoint: string;
      bucket: string;
      region: string;
      accessKeyId: string;
      secretAccessKey: string;
      prefix: string;
    };

export interface SearchConfig {
  embedder: EmbedderConfig;
  /** Where builds are published for replicas (absent: as `postgres`). */
  buildStore?: BuildStoreConfig;
  /** Where engine builds keep their nearest-neighbour index. */
  vectorIndex: VectorIndexChoice;
  /** Rebuild the search engine when the library has grown by this fraction since the last build. */
  rebuildGrowth: number;
  /**
   * Rebuild (retraining the corpus embedder) when papers stored since the build have, on average, more than
   * this share of their words' tf-idf weight on words the embedder does not know (absent: 0.15).
   */
  rebuildDrift?: number;
  /** When the worker checks whether the engine needs a rebuild (cron, UTC; null: off). */
  schedule: string | null;
}

/**
 * What the site trusts and exposes beyond its pages: the proxies in front of it, the development outbox,
 * the metrics endpoint and where user-supplied URLs (webhooks, Slack) may point.
 */
export interface SecurityConfig {
  /**
   * Addresses (IPs or CIDR ranges, or `loopback`) of reverse proxies whose `X-Forwarded-For` is believed.
   * Empty: the socket's address is the client's, and forwarded headers are ignored.
   */
  trustedProxies: string[];
  /** Show the outbox at /dev/outbox (admins only) when no SMTP server is configured. Off by default. */
  devOutbox: boolean;
  /** When set, /metrics answers only `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  /**
   * Host names that delivery channels may reach even though they resolve to loopback or private addresses
   * (an internal webhook receiver, say). Empty by default: only public addresses are reached.
   */
  outboundAllowHosts: string[];
  /** Most digest subscriptions one member may keep. */
  maxSubscriptionsPerUser: number;
}

/**
 * Pictures the daily lists name (thumbnails, avatars). `local`: the worker fetches them (job `fetch-images`)
 * and pages serve them from `/images/`, so readers' browsers call no third party; `source`: pages link to the
 * source's URL; `off`: cards show placeholders.
 */
export interface ImagesConfig {
  mode: "local" | "source" | "off";
  /** The only hosts pictures are fetched from or linked to (the Hugging Face CDNs by default). */
  hosts: string[];
}

export interface Config {
  db: DatabaseConfig;
  /** Where files other than the SQLite database live: the search engine, the generated secret, the outbox. */
  dataDir: string;
  web: WebConfig;
  mail: MailConfig;
  search: SearchConfig;
  logLevel: LogLevel;
  sources: SourcesConfig;
  worker: WorkerConfig;
  start: StartConfig;
  security: SecurityConfig;
  images: ImagesConfig;
}

/** Flags given on the command line; they override the environment. */
export interface ConfigOverrides {
  db?: string | undefined;
  logLevel?: string | undefined;
}

/** The default data folder; the SQLite store is `<dataDir>/paperboy.db` unless PAPERBOY_DB says otherwise. */
export const DEFAULT_DATA_DIR = "./data";

const databaseSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .transform((value, ctx): DatabaseConfig => {
    if (/^postgres(ql)?:\/\//i.test(value)) {
      try {
        const url = new URL(value);
        if (!url.hostname && !url.searchParams.get("host")) {
          ctx.addIssue({ code: "custom", message: "a postgres:// URL needs a host" });
        }
      } catch {
        ctx.addIssue({ code: "custom", message: "is not a valid postgres:// URL" });
      }
      return { kind: "postgres", url: value };
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
      ctx.addIssue({ code: "custom", message: "must be a file path (SQLite) or a postgres:// URL" });
    }
    if (value.includes("\0")) ctx.addIssue({ code: "custom", message: "contains a NUL byte" });
    return { kind: "sqlite", path: value };
  });

const httpUrl = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .refine((v) => /^https?:\/\/[^\s/]+/i.test(v), "must be an http:// or https:// URL")
    .transform((v) => v.replace(/\/+$/, ""));

/** `90s`, `15m`, `6h`, `2d`, or plain milliseconds. */
const duration = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .transform((v, ctx) => {
      const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i.exec(v);
      if (!m) {
        ctx.addIssue({ code: "custom", message: "must be a duration like 90s, 15m, 6h or 2d" });
        return z.NEVER;
      }
      const unit =
        { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? "ms").toLowerCase()] ?? 1;
      return Math.round(Number(m[1]) * unit);
    });

const schedule = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .transform((v, ctx) => {
      if (v === "off" || v === "") return null;
      try {
        new Cron(v, { paused: true, timezone: "UTC" });
      } catch (error) {
        ctx.addIssue({
          code: "custom",
          message: `not a cron expression (${(error as Error).message}); use "off" to disable`,
        });
        return z.NEVER;
      }
      return v;
    });

/** `a, b ,c` -> ["a", "b", "c"]; blanks dropped. */
function commaList(value: string): string[] {
  return value
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

const configSchema = z
  .object({
    PAPERBOY_DB: databaseSchema,
    PAPERBOY_LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
    PAPERBOY_ARXIV_API_URL: httpUrl("https://export.arxiv.org/api/query"),
    PAPERBOY_ARXIV_OAI_URL: httpUrl("https://oaipmh.arxiv.org/oai"),
    PAPERBOY_ARXIV_RSS_URL: httpUrl("https://rss.arxiv.org/rss"),
    PAPERBOY_HF_URL: httpUrl("https://huggingface.co"),
    PAPERBOY_GITHUB_API_URL: httpUrl("https://api.github.com"),
    PAPERBOY_GITHUB_TOKEN: z.string().trim().optional(),
    PAPERBOY_ARXIV_INTERVAL_MS: z.coerce.number().int().min(0).default(3000),
    PAPERBOY_HTTP_TIMEOUT: duration("60s"),
    PAPERBOY_CATEGORIES: z
      .string()
      .default("cs.LG,cs.CL,cs.CV,cs.AI,stat.ML")
      .transform((v, ctx) => {
        try {
          return parseCategoryList(v);
        } catch (error) {
          ctx.addIssue({ code: "custom", message: (error as Error).message });
          return z.NEVER;
        }
      }),
    PAPERBOY_SCHEDULE_HF: schedule("*/30 * * * *"),
    PAPERBOY_SCHEDULE_ARXIV: schedule("0 2 * * *"),
    PAPERBOY_SCHEDULE_STARS: schedule("0 4 * * *"),
    PAPERBOY_FLAG_FAILING_AFTER: duration("6h"),
    PAPERBOY_WORKER: z.enum(["on", "off"]).default("on"),
    PAPERBOY_BACKFILL_DAYS: z.coerce.number().int().min(0).max(365).default(14),
    PAPERBOY_DATA_DIR: z.string().trim().min(1).default(DEFAULT_DATA_DIR),
    PAPERBOY_PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    PAPERBOY_HOST: z.string().trim().min(1).default("127.0.0.1"),
    PAPERBOY_BASE_URL: z
      .string()
      .trim()
      .optional()
      .refine((v) => v === undefined || /^https?:\/\/[^\s/]+/i.test(v), "must be an http:// or https:// URL"),
    PAPERBOY_SECRET: z.string().trim().min(32, "must be at least 32 characters").optional(),
    PAPERBOY_OPEN_SIGNUP: z.enum(["true", "false"]).default("true"),
    PAPERBOY_SMTP_URL: z
      .string()
      .trim()
      .optional()
      .refine((v) => v === undefined || /^smtps?:\/\/[^\s/]+/i.test(v), "must be an smtp:// or smtps:// URL"),
    PAPERBOY_MAIL_FROM: z.string().trim().min(3).default("Paperboy <paperboy@localhost>"),
    PAPERBOY_EMBEDDER: z
      .string()
      .trim()
      .default("corpus")
      .refine(
        (v) => v === "corpus" || /^onnx:.+/.test(v) || /^openai:https?:\/\/[^\s/]+/i.test(v),
        'must be "corpus", "onnx:<folder or hub name>" or "openai:<http(s) URL of the server>"',
      ),
    PAPERBOY_EMBEDDER_MODEL: z.string().trim().optional(),
    PAPERBOY_EMBEDDER_API_KEY: z.string().trim().optional(),
    PAPERBOY_EMBEDDER_DIMENSIONS: z.coerce.number().int().min(1).optional(),
    PAPERBOY_EMBEDDER_ALLOW_REMOTE: z.enum(["true", "false"]).default("false"),
    PAPERBOY_VECTOR_INDEX: z.enum(["auto", "usearch", "pgvector"]).default("auto"),
    PAPERBOY_SEARCH_REBUILD_GROWTH: z.coerce.number().min(0).max(10).default(0.05),
    PAPERBOY_SEARCH_REBUILD_DRIFT: z.coerce.number().min(0).max(1).default(0.15),
    PAPERBOY_SCHEDULE_SEARCH: schedule("15 * * * *"),
    PAPERBOY_BUILD_STORE: z.enum(["postgres", "s3"]).default("postgres"),
    PAPERBOY_S3_ENDPOINT: z
      .string()
      .trim()
      .optional()
      .refine((v) => v === undefined || /^https?:\/\/[^\s/]+/i.test(v), "must be an http(s) URL"),
    PAPERBOY_S3_BUCKET: z.string().trim().min(3).max(63).optional(),
    PAPERBOY_S3_REGION: z.string().trim().min(1).default("us-east-1"),
    PAPERBOY_S3_ACCESS_KEY_ID: z.string().trim().min(1).optional(),
    PAPERBOY_S3_SECRET_ACCESS_KEY: z.string().trim().min(1).optional(),
    PAPERBOY_S3_PREFIX: z.string().trim().default("paperboy"),
    PAPERBOY_TRUSTED_PROXIES: z
      .string()
      .default("")
      .transform((v, ctx) => {
        const list = commaList(v);
        for (const item of list) {
          if (item !== "loopback" && !/^[0-9a-f:.]+(\/\d{1,3})?$/i.test(item)) {
            ctx.addIssue({
              code: "custom",
              message: `"${item}" is not an IP address, a CIDR range or "loopback"`,
            });
          }
        }
        return list;
      }),
    PAPERBOY_DEV_OUTBOX: z.enum(["true", "false"]).default("false"),
    PAPERBOY_METRICS_TOKEN: z.string().trim().min(16, "must be at least 16 characters").optional(),
    PAPERBOY_OUTBOUND_ALLOW_HOSTS: z
      .string()
      .default("")
      .transform((v) => commaList(v).map((h) => h.toLowerCase().replace(/^\[|\]$/g, ""))),
    PAPERBOY_IMAGES: z.enum(["local", "source", "off"]).default("local"),
    PAPERBOY_IMAGE_HOSTS: z
      .string()
      .default("cdn-thumbnails.huggingface.co,cdn-avatars.huggingface.co,cdn-uploads.huggingface.co")
      .transform((v) => commaList(v).map((h) => h.toLowerCase())),
    PAPERBOY_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).max(1000).default(20),
  })
  .superRefine((c, ctx) => {
    const arxivHosts = [c.PAPERBOY_ARXIV_API_URL, c.PAPERBOY_ARXIV_OAI_URL, c.PAPERBOY_ARXIV_RSS_URL].some(
      (u) => /^https?:\/\/([^/]*\.)?arxiv\.org(\/|:|$)/i.test(u),
    );
    if (c.PAPERBOY_BUILD_STORE === "s3") {
      for (const name of [
        "PAPERBOY_S3_ENDPOINT",
        "PAPERBOY_S3_BUCKET",
        "PAPERBOY_S3_ACCESS_KEY_ID",
        "PAPERBOY_S3_SECRET_ACCESS_KEY",
      ] as const) {
        if (c[name] === undefined)
          ctx.addIssue({ code: "custom", path: [name], message: "is required with PAPERBOY_BUILD_STORE=s3" });
      }
    }
    if (arxivHosts && c.PAPERBOY_ARXIV_INTERVAL_MS < 3000) {
      ctx.addIssue({
        code: "custom",
        path: ["PAPERBOY_ARXIV_INTERVAL_MS"],
        message: "arXiv asks for at least 3000 ms between requests; lower values are only for other hosts",
      });
    }
  });

const ENV_KEYS = Object.keys(configSchema.shape) as (keyof typeof configSchema.shape)[];

/**
 * Reads the whole configuration once, from the environment with flags on top, and reports every problem at
 * once rather than the first.
 */
export function loadConfig(env: NodeJS.ProcessEnv, overrides: ConfigOverrides = {}): Config {
  const input: Record<string, string | undefined> = {};
  for (const key of ENV_KEYS) input[key] = env[key] === "" && key !== "PAPERBOY_DB" ? undefined : env[key];
  const dataDir = env.PAPERBOY_DATA_DIR?.trim() || DEFAULT_DATA_DIR;
  input.PAPERBOY_DB = overrides.db ?? env.PAPERBOY_DB ?? `${dataDir.replace(/\/+$/, "")}/paperboy.db`;
  input.PAPERBOY_LOG_LEVEL = overrides.logLevel ?? env.PAPERBOY_LOG_LEVEL ?? undefined;
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "config");
      const secret = [
        "PAPERBOY_GITHUB_TOKEN",
        "PAPERBOY_SECRET",
        "PAPERBOY_EMBEDDER_API_KEY",
        "PAPERBOY_SMTP_URL",
        "PAPERBOY_METRICS_TOKEN",
        "PAPERBOY_S3_SECRET_ACCESS_KEY",
      ];
      const got = secret.includes(name) ? undefined : input[name];
      return `${name}${got === undefined ? "" : ` (got "${got}")`}: ${issue.message}`;
    });
    throw new PaperboyError("invalid_config", `invalid configuration:\n  ${problems.join("\n  ")}`, problems);
  }
  const c = parsed.data;
  return {
    db: c.PAPERBOY_DB,
    dataDir: c.PAPERBOY_DATA_DIR,
    web: {
      port: c.PAPERBOY_PORT,
      host: c.PAPERBOY_HOST,
      baseUrl: (c.PAPERBOY_BASE_URL ?? `http://localhost:${c.PAPERBOY_PORT}`).replace(/\/+$/, ""),
      secret: c.PAPERBOY_SECRET ?? null,
      openSignup: c.PAPERBOY_OPEN_SIGNUP === "true",
    },
    mail: { smtpUrl: c.PAPERBOY_SMTP_URL ?? null, from: c.PAPERBOY_MAIL_FROM },
    search: {
      embedder: embedderConfig(c),
      buildStore:
        c.PAPERBOY_BUILD_STORE === "s3"
          ? {
              kind: "s3",
              endpoint: c.PAPERBOY_S3_ENDPOINT ?? "",
              bucket: c.PAPERBOY_S3_BUCKET ?? "",
              region: c.PAPERBOY_S3_REGION,
              accessKeyId: c.PAPERBOY_S3_ACCESS_KEY_ID ?? "",
              secretAccessKey: c.PAPERBOY_S3_SECRET_ACCESS_KEY ?? "",
              prefix: c.PAPERBOY_S3_PREFIX,
            }
          : { kind: "postgres" },
      vectorIndex: c.PAPERBOY_VECTOR_INDEX,
      rebuildGrowth: c.PAPERBOY_SEARCH_REBUILD_GROWTH,
      rebuildDrift: c.PAPERBOY_SEARCH_REBUILD_DRIFT,
      schedule: c.PAPERBOY_SCHEDULE_SEARCH,
    },
    logLevel: c.PAPERBOY_LOG_LEVEL,
    sources: {
      arxivApiUrl: c.PAPERBOY_ARXIV_API_URL,
      arxivOaiUrl: c.PAPERBOY_ARXIV_OAI_URL,
      arxivRssUrl: c.PAPERBOY_ARXIV_RSS_URL,
      hfUrl: c.PAPERBOY_HF_URL,
      githubApiUrl: c.PAPERBOY_GITHUB_API_URL,
      githubToken: c.PAPERBOY_GITHUB_TOKEN || null,
      arxivIntervalMs: c.PAPERBOY_ARXIV_INTERVAL_MS,
      httpTimeoutMs: c.PAPERBOY_HTTP_TIMEOUT,
      categories: c.PAPERBOY_CATEGORIES,
    },
    worker: {
      schedules: {
        hf: c.PAPERBOY_SCHEDULE_HF,
        arxiv: c.PAPERBOY_SCHEDULE_ARXIV,
        stars: c.PAPERBOY_SCHEDULE_STARS,
      },
      flagFailingAfterMs: c.PAPERBOY_FLAG_FAILING_AFTER,
    },
    start: { workerInServe: c.PAPERBOY_WORKER === "on", backfillDays: c.PAPERBOY_BACKFILL_DAYS },
    security: {
      trustedProxies: c.PAPERBOY_TRUSTED_PROXIES,
      devOutbox: c.PAPERBOY_DEV_OUTBOX === "true",
      metricsToken: c.PAPERBOY_METRICS_TOKEN ?? null,
      outboundAllowHosts: c.PAPERBOY_OUTBOUND_ALLOW_HOSTS,
      maxSubscriptionsPerUser: c.PAPERBOY_MAX_SUBSCRIPTIONS,
    },
    images: { mode: c.PAPERBOY_IMAGES, hosts: c.PAPERBOY_IMAGE_HOSTS },
  };
}

function embedderConfig(c: {
  PAPERBOY_EMBEDDER: string;
  PAPERBOY_EMBEDDER_MODEL?: string | undefined;
  PAPERBOY_EMBEDDER_API_KEY?: string | undefined;
  PAPERBOY_EMBEDDER_DIMENSIONS?: number | undefined;
  PAPERBOY_EMBEDDER_ALLOW_REMOTE: string;
}): EmbedderConfig {
  const spec = c.PAPERBOY_EMBEDDER;
  if (spec.startsWith("onnx:")) {
    return { kind: "onnx", model: spec.slice(5), allowRemote: c.PAPERBOY_EMBEDDER_ALLOW_REMOTE === "true" };
  }
  if (spec.startsWith("openai:")) {
    return {
      kind: "openai",
      url: spec.slice(7).replace(/\/+$/, ""),
      model: c.PAPERBOY_EMBEDDER_MODEL ?? "nomic-embed-text",
      apiKey: c.PAPERBOY_EMBEDDER_API_KEY ?? null,
      dimensions: c.PAPERBOY_EMBEDDER_DIMENSIONS ?? null,
    };
  }
  return { kind: "corpus" };
}

/** The database as a user would recognise it in messages, without a password. */
export function describeDatabase(db: DatabaseConfig): string {
  if (db.kind === "sqlite") return `SQLite ${db.path}`;
  const url = new URL(db.url);
  if (url.password) url.password = "***";
  return `PostgreSQL ${url.toString()}`;
}
