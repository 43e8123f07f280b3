import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { createGzip } from "node:zlib";
import type { Command } from "commander";
import { exportDailyLine, exportHeader, exportPaperLine } from "../../sources/files/paperboy-export.ts";
import type { ExportOptions } from "../commands/export.ts";
import { contextFrom } from "../context.ts";
import { formatCount } from "../format.ts";

export async function runExport(opts: ExportOptions, command: Command): Promise<void> {
  const ctx = contextFrom(command);
  let out: NodeJS.WritableStream = ctx.stdout;
  let file: NodeJS.WritableStream | null = null;
  if (opts.output) {
    file = createWriteStream(opts.output);
    if (opts.output.endsWith(".gz")) {
      const gzip = createGzip();
      gzip.pipe(file);
      out = gzip;
    } else {
      out = file;
    }
  }
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, "drain");
  };
  const counts = await ctx.withStore(async (store) => {
    let papers = 0;
    let daily = 0;
    await write(exportHeader(new Date()));
    for await (const paper of store.iteratePapers()) {
      await write(exportPaperLine(paper));
      papers++;
    }
    if (!opts.papersOnly) {
      for await (const entry of store.iterateDailyEntries()) {
        await write(exportDailyLine(entry));
        daily++;
      }
    }
    return { papers, daily };
  });
  if (file) {
    out.end();
    await once(file, "finish");
    ctx.stderr.write(
      `Exported ${formatCount(counts.papers)} papers and ${formatCount(counts.daily)} daily entries to ${opts.output}\n`,
    );
  }
}
