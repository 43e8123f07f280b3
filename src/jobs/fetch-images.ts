import { createHash } from "node:crypto";
import { z } from "zod";
import type { ImagesConfig } from "../config/config.ts";
import { isImageContentType, sniffImage } from "../core/image.ts";
import { describeError, type NewJob } from "../core/index.ts";
import type { Logger } from "../log.ts";
import type { Clock } from "../net/clock.ts";
import { HttpClient } from "../net/http-client.ts";
import type { FetchedImage } from "../store/media/index.ts";
import type { Store } from "../store/store.ts";
import type { Schedule } from "./schedule.ts";
import type { JobHandler } from "./worker.ts";

export const FETCH_IMAGES = "fetch-images";

/** The largest picture kept; a paper's thumbnail is ~100 KB, an avatar far less. */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

const payloadSchema = z.object({ limit: z.number().int().min(1).max(20_000).default(2_000) });

/** Pictures fetched at once: a CDN serves a few in parallel happily; more would only be impolite. */
const PARALLEL = 4;

export interface FetchImagesDeps {
  store: Store;
  images: ImagesConfig;
  /** Does the requests; built with a 2 MB answer cap by `fetchImagesHandler`. */
  http: HttpClient;
}

/** Whether `url` is https/http on one of the configured hosts (host and port, compared without case). */
export function allowedImageUrl(url: string, hosts: readonly string[]): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === "https:" || u.protocol === "http:") && hosts.includes(u.host.toLowerCase());
  } catch {
    return false;
  }
}

/** One picture: fetched, checked (host, declared type, first bytes, size) and hashed; or why not. */
async function fetchOne(deps: FetchImagesDeps, url: string): Promise<FetchedImage> {
  if (!allowedImageUrl(url, deps.images.hosts)) {
    return { url, error: "host not in PAPERBOY_IMAGE_HOSTS" };
  }
  let response: Awaited<ReturnType<HttpClient["getBytes"]>>;
  try {
    response = await deps.http.getBytes(url, {
      headers: { accept: "image/png,image/jpeg,image/gif,image/webp" },
      acceptStatus: (status) => status >= 400 && status < 500,
    });
  } catch (error) {
    return { url, error: describeError(error) };
  }
  if (response.status !== 200) return { url, error: `HTTP ${response.status}` };
  if (!allowedImageUrl(response.url, deps.images.hosts)) {
    return { url, error: `redirected to ${response.url}, a host not in PAPERBOY_IMAGE_HOSTS` };
  }
  const declared = response.headers.get("content-type");
  if (!isImageContentType(declared))
    return { url, error: `not a picture (${declared ?? "no content type"})` };
  const kind = sniffImage(response.body);
  if (!kind) return { url, error: `declared ${declared} but its bytes are not PNG, JPEG, GIF or WebP` };
  const sha256 = createHash("sha256").update(response.body).digest("hex");
  return { url, sha256, ext: kind.ext, contentType: kind.contentType, bytes: response.body };
}

/**
 * Fetches up to `limit` pictures the daily lists name and no fetch has been tried for, newest days first, and
 * keeps each outcome, so a refused picture is not asked for again. Returns how many were kept and refused.
 */
export async function fetchImages(
  deps: FetchImagesDeps,
  options: { limit: number; signal?: AbortSignal; logger?: Logger },
): Promise<{ kept: number; refused: number }> {
  const urls = await deps.store.media.wanted(options.limit);
  let kept = 0;
  let refused = 0;
  let next = 0;
  const lane = async () => {
    while (next < urls.length && !options.signal?.aborted) {
      const url = urls[next++] as string;
      const image = await fetchOne(deps, url);
      await deps.store.media.save(image);
      if ("error" in image) {
        refused++;
        options.logger?.debug("picture refused", { url, reason: image.error });
      } else {
        kept++;
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, lane));
  options.logger?.info("pictures fetched", { kept, refused });
  return { kept, refused };
}

/** The job's handler; does nothing unless `PAPERBOY_IMAGES=local`. */
export function fetchImagesHandler(deps: {
  store: Store;
  images: ImagesConfig;
  clock: Clock;
  timeoutMs: number;
}): JobHandler {
  const http = new HttpClient({
    clock: deps.clock,
    timeoutMs: deps.timeoutMs,
    maxBodyBytes: MAX_IMAGE_BYTES,
    retry: { attempts: 2 },
  });
  return async (job, { signal, logger }) => {
    if (deps.images.mode !== "local") {
      logger.info("pictures are not kept locally (PAPERBOY_IMAGES); nothing to fetch");
      return;
    }
    const { limit } = payloadSchema.parse(job.payload);
    await fetchImages({ store: deps.store, images: deps.images, http }, { limit, signal, logger });
  };
}

/** Every half hour, a few minutes after the Hugging Face sync brings new entries. */
export function fetchImagesSchedules(images: ImagesConfig): Schedule[] {
  if (images.mode !== "local") return [];
  const job: NewJob = { kind: FETCH_IMAGES, payload: {}, maxAttempts: 3 };
  return [{ name: "images", cron: "5,35 * * * *", jobs: () => [job] }];
}
