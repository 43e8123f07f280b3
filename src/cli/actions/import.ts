import { statSync } from "node:fs";
import { basename } from "node:path";
import type { Command } from "commander";
import { type ImportProblem, type ImportSummary, importFiles } from "../../jobs/import-files.ts";
import type { ImportOptions } from "../commands/import.ts";
import { contextFrom } from "../context.ts";
import { EXIT } from "../exit-codes.ts";
import { formatCount } from "../format.ts";
import { createProgress } from "../progress.ts";

export async function runImport(files: string[], opts: ImportOptions, command: Command): Promise<void> {
  const ctx = contextFrom(command);
  const sizes = files.map((f) => {
    try {
      return statSync(f).size;
    } catch {
      return 0;
    }
  });
  const total = sizes.reduce((a, b) => a + b, 0);
  const before = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
  const progress = createProgress(ctx.stderr);
  const started = performance.now();
  const summary = await ctx.withStore((store) =>
    importFiles(store, files, {
      batchSize: opts.batchSize,
      maxProblems: Math.max(opts.showProblems, 100),
      onProgress: (p) =>
        progress.update({
          done: (before[p.fileIndex] ?? 0) + p.bytesRead,
          total,
          items: p.summary.read,
          label:
            files.length === 1 ? basename(p.file) : `${p.fileIndex + 1}/${files.length} ${basename(p.file)}`,
        }),
    }),
  );
  progress.stop();
  const seconds = (performance.now() - started) / 1000;
  if (opts.json) {
    ctx.stdout.write(`${JSON.stringify({ ...summary, seconds: Number(seconds.toFixed(3)) }, null, 2)}\n`);
  } else {
    ctx.stderr.write(renderSummary(summary, seconds, opts.showProblems));
  }
  process.exitCode = summary.rejected > 0 ? EXIT.partial : EXIT.ok;
}

function renderSummary(s: ImportSummary, seconds: number, showProblems: number): string {
  const lines = [
    `Imported ${s.files} file${s.files === 1 ? "" : "s"} in ${seconds.toFixed(1)}s: ` +
      `${formatCount(s.read)} read, ${formatCount(s.added)} added, ${formatCount(s.updated)} updated, ` +
      `${formatCount(s.unchanged)} unchanged, ${formatCount(s.rejected)} rejected.`,
  ];
  if (s.daily.added + s.daily.updated + s.daily.unchanged > 0) {
    lines.push(
      `Daily entries: ${formatCount(s.daily.added)} added, ${formatCount(s.daily.updated)} updated, ` +
        `${formatCount(s.daily.unchanged)} unchanged.`,
    );
  }
  if (s.rejected > 0) {
    lines.push("Rejected:");
    let listed = 0;
    for (const group of groupProblems(s.problems).slice(0, showProblems)) {
      lines.push(`  ${group.text}`);
      listed += group.count;
    }
    if (s.rejected > listed) lines.push(`  ... and ${formatCount(s.rejected - listed)} more`);
  }
  return `${lines.join("\n")}\n`;
}

/** Problems in a row with the same file and reason collapse into one line: `file entries 1-20: reason`. */
export function groupProblems(problems: readonly ImportProblem[]): { text: string; count: number }[] {
  const out: { text: string; count: number }[] = [];
  let i = 0;
  while (i < problems.length) {
    const first = problems[i] as ImportProblem;
    let j = i + 1;
    while (j < problems.length && problems[j]?.file === first.file && problems[j]?.reason === first.reason)
      j++;
    const last = problems[j - 1] as ImportProblem;
    const unit = first.line !== undefined ? "line" : first.entry !== undefined ? "entry" : null;
    const at = (p: ImportProblem) => p.line ?? p.entry;
    let where = "";
    if (unit !== null) {
      where =
        j - i === 1
          ? ` ${unit} ${at(first)}`
          : ` ${unit === "line" ? "lines" : "entries"} ${at(first)}-${at(last)} (${j - i})`;
    }
    out.push({ text: `${first.file}${where}: ${first.reason}`, count: j - i });
    i = j;
  }
  return out;
}
