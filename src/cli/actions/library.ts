import { readFile, stat, writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { AccountError } from "../../core/accounts.ts";
import { exportLibrary } from "../../jobs/library-export.ts";
import { describeImport, importLibrary, LibraryFileTooLarge } from "../../jobs/library-import.ts";
import {
  type ExportFormat,
  type LibraryFormat,
  MAX_LIBRARY_FILE_BYTES,
} from "../../sources/library/index.ts";
import type { Store } from "../../store/store.ts";
import type { LibraryExportOptions, LibraryImportOptions } from "../commands/library.ts";
import { contextFrom } from "../context.ts";
import { EXIT } from "../exit-codes.ts";

async function memberId(store: Store, email: string): Promise<string> {
  const user = await store.accounts.getUserByEmail(email);
  if (!user) throw new AccountError("unknown_user", `no user "${email.slice(0, 254)}"`);
  return user.id;
}

export async function runLibraryImport(
  file: string,
  opts: LibraryImportOptions,
  command: Command,
): Promise<void> {
  const ctx = contextFrom(command);
  // Refused before it is read, let alone stored.
  const { size } = await stat(file);
  if (size > MAX_LIBRARY_FILE_BYTES) throw new LibraryFileTooLarge(size);
  const bytes = await readFile(file);
  const summary = await ctx.withStore(async (store) =>
    importLibrary({
      store,
      userId: await memberId(store, opts.user),
      file: bytes,
      tags: opts.tag ?? [],
      ...(opts.format ? { format: opts.format as LibraryFormat } : {}),
    }),
  );
  ctx.stdout.write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : describeImport(summary));
  if (summary.invalid.length > 0) process.exitCode = EXIT.partial;
}

export async function runLibraryExport(opts: LibraryExportOptions, command: Command): Promise<void> {
  const ctx = contextFrom(command);
  const text = await ctx.withStore(async (store) =>
    exportLibrary(store, await memberId(store, opts.user), opts.format as ExportFormat),
  );
  if (opts.output) await writeFile(opts.output, text);
  else ctx.stdout.write(text);
}
