import { gzipSync } from "node:zlib";

/** Percentiles of a sample, in its unit. */
export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

/** The `app;dur=` of a Server-Timing header (milliseconds the app spent), or null without one. */
export function appDuration(header: string | null): number | null {
  const match = /(?:^|,)\s*app;dur=([\d.]+)/.exec(header ?? "");
  return match ? Number(match[1]) : null;
}

/**
 * Server time of `count` sequential requests (one at a time, so no request waits behind another): what the
 * app spends per request, as it reports in Server-Timing.
 */
export async function sampleServerTime(url: string, count: number): Promise<Percentiles> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(url);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    const ms = appDuration(res.headers.get("server-timing"));
    if (ms === null) throw new Error(`${url}: no Server-Timing app;dur in the response`);
    times.push(ms);
  }
  return percentiles(times);
}

export interface PageWeight {
  html: { bytes: number; gzip: number };
  /** Each stylesheet and script the page references, by URL. */
  assets: { url: string; bytes: number; gzip: number }[];
  total: { bytes: number; gzip: number };
}

/** Bytes of a page's HTML plus the CSS and JS it references on this site, uncompressed and gzipped. */
export async function pageWeight(base: string, path: string): Promise<PageWeight> {
  const res = await fetch(`${base}${path}`);
  const html = Buffer.from(await res.arrayBuffer());
  const text = html.toString("utf8");
  const refs = [
    ...text.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"/g),
    ...text.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g),
  ].map((m) => m[1] ?? "");
  const assets = [];
  for (const ref of [...new Set(refs)].filter((r) => r.startsWith("/"))) {
    const body = Buffer.from(await (await fetch(`${base}${ref}`)).arrayBuffer());
    assets.push({ url: ref, bytes: body.length, gzip: gzipSync(body).length });
  }
  const htmlWeight = { bytes: html.length, gzip: gzipSync(html).length };
  return {
    html: htmlWeight,
    assets,
    total: {
      bytes: assets.reduce((sum, a) => sum + a.bytes, htmlWeight.bytes),
      gzip: assets.reduce((sum, a) => sum + a.gzip, htmlWeight.gzip),
    },
  };
}
