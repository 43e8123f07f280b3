import type { ArxivId, IsoTimestamp, Paper } from "../../core/index.ts";

/** The files a member's library is imported from and exported to. */
export const LIBRARY_FORMATS = ["bibtex", "ris", "csl-json", "csv", "list"] as const;
export type LibraryFormat = (typeof LIBRARY_FORMATS)[number];
/** What a library exports as (a plain list is import only). */
export const EXPORT_FORMATS = ["bibtex", "ris", "csl-json", "csv"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The largest library file read, in bytes (5 MiB: some 20,000 BibTeX entries). */
export const MAX_LIBRARY_FILE_BYTES = 5 * 1024 * 1024;

/** One reference read from a file: what it says about the paper, not yet matched to one. */
export interface LibraryEntry {
  /** 1-based line where the entry starts. */
  line: number;
  /** How the file names it (a citation key, an id, the title's start), for the summary. */
  label: string;
  title: string | null;
  authors: string[];
  year: string | null;
  /** From eprint/arxiv/url/note fields, or a DOI of the form 10.48550/arXiv.ID. */
  arxivId: ArxivId | null;
  doi: string | null;
  /** Keywords and collections as written (the importer cleans them into tags). */
  tags: string[];
}

/** An entry that could not be read, and where. */
export interface EntryProblem {
  line: number;
  reason: string;
}

export interface ParsedLibrary {
  format: LibraryFormat;
  entries: LibraryEntry[];
  problems: EntryProblem[];
}

/** A library item with its paper, as the exporters write it. */
export interface ExportItem {
  paper: Paper;
  tags: readonly string[];
  savedAt: IsoTimestamp;
  readAt: IsoTimestamp | null;
}
