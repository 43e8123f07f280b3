import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import type { SearchDocument } from "../types.ts";
import type { Judgments } from "./metrics.ts";

/** A BEIR query. */
export interface BeirQuery {
  id: string;
  text: string;
}

async function* lines(path: string): AsyncGenerator<string> {
  const raw = createReadStream(path);
  const input = path.endsWith(".gz") ? raw.pipe(createGunzip()) : raw;
  const reader = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of reader) if (line.trim() !== "") yield line;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** Reads a BEIR corpus (`{"_id","title","text"}` per line, plain or gzip) as search documents. */
export async function readBeirCorpus(path: string): Promise<SearchDocument[]> {
  const docs: SearchDocument[] = [];
  for await (const line of lines(path)) {
    const row = JSON.parse(line) as Record<string, unknown>;
    docs.push({
      id: String(row._id),
      title: text(row.title),
      abstract: text(row.text),
      authors: [],
    });
  }
  return docs;
}

/** Reads BEIR queries (`{"_id","text"}` per line). */
export async function readBeirQueries(path: string): Promise<BeirQuery[]> {
  const queries: BeirQuery[] = [];
  for await (const line of lines(path)) {
    const row = JSON.parse(line) as Record<string, unknown>;
    queries.push({ id: String(row._id), text: text(row.text) });
  }
  return queries;
}

/** Reads BEIR qrels (`query-id  corpus-id  score`, tab separated, header line optional). */
export async function readBeirQrels(path: string): Promise<Map<string, Map<string, number>>> {
  const qrels = new Map<string, Map<string, number>>();
  for await (const line of lines(path)) {
    const [query, doc, score] = line.split("\t");
    if (query === undefined || doc === undefined || score === undefined) continue;
    const gain = Number(score);
    if (!Number.isFinite(gain)) continue; // the header
    let judged = qrels.get(query);
    if (!judged) {
      judged = new Map();
      qrels.set(query, judged);
    }
    judged.set(doc, gain);
  }
  return qrels;
}

/** Results per query, as the harness asks the service for them (its largest page). */
export const RUN_DEPTH = 100;

/** A TREC run file: `query Q0 doc rank score tag`, one line per result. */
export function formatTrecRun(
  run: ReadonlyMap<string, readonly { id: string; score: number }[]>,
  tag: string,
): string {
  const out: string[] = [];
  for (const [query, hits] of run) {
    hits.forEach((hit, i) => {
      out.push(`${query} Q0 ${hit.id} ${i + 1} ${hit.score.toFixed(6)} ${tag}`);
    });
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}

/** Splits judged query ids into two folds by a stable hash, for tune-on-one, report-on-the-other. */
export function splitFolds(queryIds: Iterable<string>): [Set<string>, Set<string>] {
  const a = new Set<string>();
  const b = new Set<string>();
  for (const id of queryIds) {
    let h = 2166136261;
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
    ((h >>> 0) % 2 === 0 ? a : b).add(id);
  }
  return [a, b];
}

export type { Judgments };
