import {
  type ArxivId,
  type Category,
  type DailyEntryRecord,
  type IsoDate,
  type IsoTimestamp,
  type PaperRecord,
  parseArxivId,
  parseCategoryList,
} from "../../src/core/index.ts";

export const id = (s: string): ArxivId => parseArxivId(s).id;
export const ts = (s: string): IsoTimestamp => new Date(s).toISOString() as IsoTimestamp;
export const day = (s: string): IsoDate => s as IsoDate;
export const cats = (...c: string[]): Category[] => parseCategoryList(c);

/** An arXiv-style record (with versions): authoritative for bibliographic fields. */
export function buildArxivRecord(overrides: Partial<PaperRecord> & { id?: ArxivId } = {}): PaperRecord {
  return {
    id: id("2405.15738"),
    sources: ["arxiv-snapshot"],
    versions: [{ version: 1, date: ts("2024-05-24T17:59:59Z") }],
    title: "ConvLLaVA: Hierarchical Backbones as Visual Encoder",
    abstract:
      "High-resolution Large Multimodal Models (LMMs) encounter the challenges of $O(n^2)$ visual tokens.",
    authors: ["Chunjiang Ge", "Sijie Cheng", "Ziming Wang"],
    categories: cats("cs.CV", "cs.CL"),
    comments: "17 pages",
    journalRef: null,
    doi: null,
    reportNo: null,
    license: "http://creativecommons.org/licenses/by/4.0/",
    ...overrides,
  };
}

/** A Hugging Face-style record: no versions, with enrichments observed on a day. */
export function buildHfRecord(overrides: Partial<PaperRecord> = {}): PaperRecord {
  return {
    id: id("2405.15738"),
    sources: ["hf-daily"],
    versions: [],
    title: "ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models",
    abstract: "High-resolution LMMs ...",
    authors: ["Chunjiang Ge", "Sijie Cheng"],
    publishedAt: ts("2024-05-24T00:00:00Z"),
    codeUrl: "https://github.com/alibaba/conv-llava",
    projectUrl: null,
    githubStars: 120,
    aiSummary: "A hierarchical backbone replaces ViT.",
    aiKeywords: ["ConvNeXt", "LMM"],
    observedAt: ts("2024-05-27T00:00:00Z"),
    ...overrides,
  };
}

export function buildDailyRecord(overrides: Partial<DailyEntryRecord> = {}): DailyEntryRecord {
  return {
    date: day("2024-05-27"),
    paperId: id("2405.15738"),
    source: "hf-daily",
    submitter: { name: "akhaliq", fullname: "AK" },
    organization: null,
    upvotes: 10,
    numComments: 2,
    ...overrides,
  };
}
