import { basename } from "node:path";
import type { DailyEntryRecord, IsoDate, PaperRecord } from "../../core/index.ts";
import { parseIsoDate } from "../../core/index.ts";
import { parseSnapshotRecord } from "../arxiv/snapshot.ts";
import { parseHfDailyEntry } from "../hf/entry.ts";
import { EXPORT_FORMAT, parseExportLine } from "./paperboy-export.ts";

/**
 * The formats `paperboy import` understands, told apart by their first bytes:
 * - `arxiv-snapshot`: arXiv's bulk metadata file, one JSON object a line;
 * - `hf-daily`: a Hugging Face daily papers API response, one JSON array of entries (also accepted wrapped as
 *   `{"date": ..., "data": [...]}`, or as one entry a line);
 * - `paperboy-export`: what `paperboy export` writes.
 */
export type FileFormat = "arxiv-snapshot" | "hf-daily" | "hf-daily-lines" | "paperboy-export";
/** How a format's records are laid out in the file. */
export type Layout = "lines" | "array" | "wrapped-array";

export interface Detected {
  format: FileFormat;
  layout: Layout;
}

/** What one parsed record contributes: a paper, a daily entry, or both. */
export interface ImportItem {
  paper?: PaperRecord;
  daily?: DailyEntryRecord;
}

export function detectFormat(head: string): Detected | { error: string } {
  const text = head.replace(/^\uFEFF/, "").trimStart();
  if (text.startsWith("[")) return { format: "hf-daily", layout: "array" };
  const lines = text.split("\n");
  const firstLine = lines[0] ?? "";
  const first = parseObject(firstLine);
  // `{` (or `{"data": [`) alone on the first line opens a pretty-printed document, as the wrapped daily-papers
  // responses are. Otherwise JSON lines are told by the first line that is an object of a known shape, so one
  // broken or foreign line at the top does not take the whole file with it.
  const opensDocument = first === null && /[{[]$/.test(firstLine.trimEnd());
  if (!opensDocument) {
    for (const line of lines) {
      const value = line.startsWith("{") ? parseObject(line) : null;
      const detected = value === null ? null : lineFormat(value);
      if (detected) return detected;
    }
  }
  if (!text.startsWith("{")) {
    return {
      error: `unrecognised content (starts ${JSON.stringify(text.slice(0, 20))}): expected JSON lines or a JSON array`,
    };
  }
  // Not one object a line: a single document (pretty-printed, or one line longer than the head).
  if (first === null) return { format: "hf-daily", layout: "wrapped-array" };
  return {
    error: `unrecognised JSON lines: the first object has keys ${Object.keys(first).slice(0, 8).join(", ")}`,
  };
}

function parseObject(line: string): object | null {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** The format one JSON object a line is in, told by the object's keys; null when unknown. */
function lineFormat(object: object): Detected | null {
  const keys = new Set(Object.keys(object));
  const type = (object as { type?: unknown }).type;
  if (type === EXPORT_FORMAT || type === "paper" || type === "daily") {
    return { format: "paperboy-export", layout: "lines" };
  }
  if (keys.has("paper")) return { format: "hf-daily-lines", layout: "lines" };
  if (keys.has("id") && (keys.has("versions") || keys.has("authors_parsed") || keys.has("abstract"))) {
    return { format: "arxiv-snapshot", layout: "lines" };
  }
  if (keys.has("data") && keys.has("status")) return { format: "hf-daily", layout: "wrapped-array" };
  return null;
}

/** The day a daily-papers file is for, from a `YYYY-MM-DD` in its name. */
export function dayFromFileName(path: string): IsoDate | undefined {
  const m = /(\d{4}-\d{2}-\d{2})/.exec(basename(path));
  if (!m?.[1]) return undefined;
  try {
    return parseIsoDate(m[1]);
  } catch {
    return undefined;
  }
}

/** A parser from one raw JSON value of the format to what it contributes. Throws with the reason. */
export function recordParser(format: FileFormat, day: IsoDate | undefined): (value: unknown) => ImportItem {
  switch (format) {
    case "arxiv-snapshot":
      return (value) => ({ paper: parseSnapshotRecord(value) });
    case "hf-daily":
      return (value) => parseHfDailyEntry(value, day);
    case "hf-daily-lines":
      // A file of entries from many days: each entry's own date counts, not the file's name.
      return (value) => parseHfDailyEntry(value);
    case "paperboy-export":
      return (value) => {
        const item = parseExportLine(value);
        if (item.kind === "paper") return { paper: item.paper };
        if (item.kind === "daily") return { daily: item.daily };
        return {};
      };
  }
}
