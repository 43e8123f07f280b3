import { statSync } from "node:fs";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { parser } from "stream-json";
import { pick } from "stream-json/filters/pick.js";
import { streamArray } from "stream-json/streamers/stream-array.js";
import { describeError, ValidationError } from "../core/errors.ts";
import type { DailyEntryRecord, IsoTimestamp, PaperRecord } from "../core/index.ts";
import {
  type Detected,
  dayFromFileName,
  detectFormat,
  type ImportItem,
  recordParser,
} from "../sources/files/formats.ts";
import { type ImportInput, openInput } from "../sources/files/input.ts";
import { rejectionReason } from "../sources/validation.ts";
import type { OutcomeCounts, Store } from "../store/store.ts";

export interface ImportProblem {
  file: string;
  /** 1-based line for line formats; absent for whole-file problems. */
  line?: number;
  /** 1-based position in the array for array formats. */
  entry?: number;
  reason: string;
}

export interface ImportSummary {
  files: number;
  /** Records read (lines or array entries, blank lines not counted). */
  read: number;
  /** Paper outcomes, one per accepted record. */
  added: number;
  updated: number;
  unchanged: number;
  /** Records rejected, plus files that could not be read at all. */
  rejected: number;
  daily: OutcomeCounts;
  /** The first problems found (up to `maxProblems`); `rejected` counts them all. */
  problems: ImportProblem[];
}

export interface ImportProgress {
  file: string;
  fileIndex: number;
  files: number;
  bytesRead: number;
  bytesTotal: number;
  summary: ImportSummary;
}

export interface ImportOptions {
  /** Records written per transaction. */
  batchSize?: number;
  /** How many problems to keep in the summary; all are still counted and passed to `onProblem`. */
  maxProblems?: number;
  onProgress?: (progress: ImportProgress) => void;
  onProblem?: (problem: ImportProblem) => void;
  /** Called when a file's format is known. */
  onFile?: (file: string, detected: Detected) => void;
  /** Inputs at least this large (bytes on disk, all files) load in the store's bulk mode. Default 64 MB. */
  bulkThresholdBytes?: number;
  now?: () => IsoTimestamp;
}

interface RawRecord {
  value: unknown;
  line?: number;
  entry?: number;
  /** Set when the record could not even be parsed as JSON. */
  syntaxError?: string;
}

export function emptySummary(): ImportSummary {
  return {
    files: 0,
    read: 0,
    added: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    daily: { added: 0, updated: 0, unchanged: 0 },
    problems: [],
  };
}

/**
 * A stream whose beginning can be looked at before deciding how to read it: `peek(n)` buffers at least `n`
 * bytes (or everything, if the stream is shorter) and `stream()` replays them followed by the rest.
 */
class PeekableStream {
  private readonly iterator: AsyncIterator<Buffer>;
  private readonly chunks: Buffer[] = [];
  private length = 0;
  ended = false;

  constructor(content: Readable) {
    this.iterator = content[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  async peek(bytes: number): Promise<string> {
    while (this.length < bytes && !this.ended) {
      const next = await this.iterator.next();
      if (next.done) this.ended = true;
      else {
        this.chunks.push(next.value);
        this.length += next.value.length;
      }
    }
    return Buffer.concat(this.chunks).toString("utf8");
  }

  stream(): Readable {
    const { chunks, iterator, ended } = this;
    async function* replay(): AsyncGenerator<Buffer> {
      yield* chunks;
      if (ended) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    }
    return Readable.from(replay(), { objectMode: false });
  }
}

/** Array files up to this size are parsed whole (ten times faster); larger ones are streamed. */
const WHOLE_DOCUMENT_LIMIT = 32 * 1024 * 1024;

async function* readLines(stream: Readable): AsyncGenerator<RawRecord> {
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === "") continue;
    try {
      yield { value: JSON.parse(text), line };
    } catch (error) {
      yield {
        value: undefined,
        line,
        syntaxError: `invalid JSON: ${rejectionReason(error).replace(/^unexpected error: /, "")}`,
      };
    }
  }
}

async function* readArray(source: PeekableStream, wrapped: boolean): AsyncGenerator<RawRecord> {
  const text = await source.peek(WHOLE_DOCUMENT_LIMIT);
  if (source.ended) {
    let doc: unknown;
    let parsed = true;
    try {
      doc = JSON.parse(text);
    } catch {
      // Broken JSON (a truncated download, say): the streaming parser below still yields the entries before
      // the break, then reports where it is.
      parsed = false;
    }
    if (parsed) {
      const items = wrapped ? (doc as { data?: unknown } | null)?.data : doc;
      if (!Array.isArray(items)) {
        throw new ValidationError(
          "invalid_record",
          wrapped ? 'expected a "data" array' : "expected a JSON array",
        );
      }
      for (const [i, value] of items.entries()) yield { value, entry: i + 1 };
      return;
    }
  }
  // Plain pipes rather than pipeline(): on a syntax error the entries parsed before it must still come out,
  // so the error ends the stream of entries instead of destroying it.
  let parseError: unknown = null;
  const items = streamArray.asStream();
  const stages = [parser.asStream(), ...(wrapped ? [pick.asStream({ filter: "data" })] : []), items];
  const input = source.stream();
  let upstream: Readable = input;
  for (const stage of stages) {
    const from = upstream;
    stage.on("error", (error: unknown) => {
      parseError ??= error;
      from.unpipe();
      if (stage !== items) items.end();
    });
    upstream = from.pipe(stage);
  }
  let entry = 0;
  for await (const item of items as AsyncIterable<{ key: number; value: unknown }>) {
    entry++;
    yield { value: item.value, entry };
  }
  input.destroy();
  if (parseError !== null) {
    throw new ValidationError(
      "invalid_record",
      `invalid JSON after entry ${entry}: ${describeError(parseError)}`,
    );
  }
}

/**
 * Imports files into the store: detects each file's format, streams its records in batches (memory stays flat
 * whatever the file size), and reports every bad record with its file and line while the rest still imports.
 */
export async function importFiles(
  store: Store,
  paths: readonly string[],
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const threshold = options.bulkThresholdBytes ?? 64 * 1024 * 1024;
  const bulk = totalSize(paths) >= threshold;
  return bulk ? store.bulkLoad(() => importAll(store, paths, options)) : importAll(store, paths, options);
}

function totalSize(paths: readonly string[]): number {
  let total = 0;
  for (const path of paths) {
    try {
      total += statSync(path).size;
    } catch {
      // Reported as a problem when the file is opened.
    }
  }
  return total;
}

async function importAll(
  store: Store,
  paths: readonly string[],
  options: ImportOptions,
): Promise<ImportSummary> {
  const summary = emptySummary();
  const batchSize = options.batchSize ?? 1000;
  const maxProblems = options.maxProblems ?? 100;
  const report = (problem: ImportProblem) => {
    summary.rejected++;
    if (summary.problems.length < maxProblems) summary.problems.push(problem);
    options.onProblem?.(problem);
  };

  let onFlush = () => {};
  const batch = new Batch(store, batchSize, summary, report, options.now, () => onFlush());
  for (const [fileIndex, path] of paths.entries()) {
    summary.files++;
    let input: ImportInput;
    try {
      input = openInput(path);
    } catch (error) {
      report({
        file: path,
        reason: `cannot open: ${rejectionReason(error).replace(/^unexpected error: /, "")}`,
      });
      continue;
    }
    const progress = () =>
      options.onProgress?.({
        file: path,
        fileIndex,
        files: paths.length,
        bytesRead: input.bytesRead(),
        bytesTotal: input.size,
        summary,
      });
    try {
      batch.file = path;
      onFlush = progress;
      await importOne(input, batch, summary, report, options);
    } catch (error) {
      if (error instanceof StoreWriteError) throw error;
      // A problem in the file's structure (truncated JSON, say): what was read before it still lands.
      report({ file: path, reason: rejectionReason(error).replace(/^unexpected error: /, "") });
    } finally {
      input.content.destroy();
    }
    progress();
  }
  await batch.flush();
  return summary;
}

async function importOne(
  input: ImportInput,
  batch: Batch,
  summary: ImportSummary,
  report: (problem: ImportProblem) => void,
  options: ImportOptions,
): Promise<void> {
  const source = new PeekableStream(input.content);
  const head = await source.peek(64 * 1024);
  if (head.trim() === "") {
    report({ file: input.path, reason: "the file is empty" });
    return;
  }
  const detected = detectFormat(head);
  if ("error" in detected) {
    report({ file: input.path, reason: detected.error });
    return;
  }
  options.onFile?.(input.path, detected);
  const parse = recordParser(detected.format, dayFromFileName(input.path));
  const records =
    detected.layout === "lines"
      ? readLines(source.stream())
      : readArray(source, detected.layout === "wrapped-array");

  for await (const raw of records) {
    summary.read++;
    const where = { file: input.path, line: raw.line, entry: raw.entry };
    if (raw.syntaxError) {
      report({ ...where, reason: raw.syntaxError });
      continue;
    }
    let item: ImportItem;
    try {
      item = parse(raw.value);
    } catch (error) {
      report({ ...where, reason: rejectionReason(error) });
      continue;
    }
    await batch.add(item);
  }
}

/** A write to the store failed: not a problem of one file, so the import stops. */
class StoreWriteError extends Error {}

/**
 * Collects records across files and writes them `size` at a time, one transaction per write: many small
 * files (a day of daily papers each) cost as few commits as one large file.
 */
class Batch {
  private papers: PaperRecord[] = [];
  private daily: DailyEntryRecord[] = [];

  constructor(
    private readonly store: Store,
    private readonly size: number,
    private readonly summary: ImportSummary,
    private readonly report: (problem: ImportProblem) => void,
    private readonly now: (() => IsoTimestamp) | undefined,
    private readonly onFlush: () => void,
  ) {}

  /** The file the records being added come from, named in problems found at write time. */
  file = "";

  async add(item: ImportItem): Promise<void> {
    if (item.paper) this.papers.push(item.paper);
    if (item.daily) this.daily.push(item.daily);
    if (this.papers.length + this.daily.length >= this.size) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.papers.length === 0 && this.daily.length === 0) return;
    const { papers, daily } = this;
    this.papers = [];
    this.daily = [];
    let result: Awaited<ReturnType<Store["ingest"]>>;
    try {
      result = await this.store.ingest({ papers, daily }, this.now?.());
    } catch (error) {
      throw new StoreWriteError(`writing to the store failed: ${describeError(error)}`, { cause: error });
    }
    const s = this.summary;
    s.added += result.papers.added;
    s.updated += result.papers.updated;
    s.unchanged += result.papers.unchanged;
    s.daily.added += result.daily.added;
    s.daily.updated += result.daily.updated;
    s.daily.unchanged += result.daily.unchanged;
    for (const { entry, reason } of result.rejectedDaily) {
      this.report({ file: this.file, reason: `daily entry ${entry.date} ${entry.paperId}: ${reason}` });
    }
    this.onFlush();
  }
}
