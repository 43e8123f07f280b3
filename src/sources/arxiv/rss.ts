import { z } from "zod";
import {
  type IsoTimestamp,
  normalizeText,
  type PaperRecord,
  parseArxivId,
  parseCategory,
  parseTimestamp,
  ValidationError,
} from "../../core/index.ts";
import { HttpClient, type HttpClientOptions, SourceError } from "../../net/http-client.ts";
import type { IntervalLimiter } from "../../net/interval-limiter.ts";
import { parseWith, rejectionReason } from "../validation.ts";
import {
  arxivCategories,
  canonicalOrRaw,
  createFeedParser,
  type FeedProblem,
  field,
  nullIfBlank,
  parseXmlDocument,
  textSchema,
  xmlText,
} from "./atom.ts";
import { splitAuthorLine } from "./snapshot.ts";

/**
 * arXiv's daily listings as RSS 2.0 (https://info.arxiv.org/help/rss.html): `GET rss.arxiv.org/rss/cs.LG` gives
 * the papers announced in that category on the latest announcement day. Each `<item>` has a title, a link to
 * the abstract page, a description "arXiv:2405.15738v1 Announce Type: new \nAbstract: ...", `dc:creator`
 * (authors separated by commas), `<category>` elements, `arxiv:announce_type` and optionally `dc:rights`,
 * `arxiv:DOI` and `arxiv:journal_reference`.
 */

/** The RSS listings' base; a category's feed is `${ARXIV_RSS_URL}/${category}`. */
export const ARXIV_RSS_URL = "https://rss.arxiv.org/rss";

/** Why a paper is in the day's listing: a new paper, a cross-list, a new version, a new version of a cross-list. */
export const ANNOUNCE_TYPES = ["new", "cross", "replace", "replace-cross"] as const;
export type AnnounceType = (typeof ANNOUNCE_TYPES)[number];

export interface ListingItem {
  /** Carries the announced version only, dated with the listing's date. */
  record: PaperRecord;
  announceType: AnnounceType;
  /** The version announced. */
  version: number;
}

export interface ArxivListing {
  items: ListingItem[];
  problems: FeedProblem[];
  /** The channel's pubDate (or lastBuildDate): the announcement the listing is for; null when it gives none. */
  listedAt: IsoTimestamp | null;
}

export interface ArxivListingClientOptions extends Omit<HttpClientOptions, "limiter"> {
  /** Shared with every other arXiv client in the process; see `createArxivLimiter` in api.ts. */
  limiter: IntervalLimiter;
  /** Default `ARXIV_RSS_URL`. */
  baseUrl?: string;
}

const itemSchema = z.looseObject({
  title: textSchema,
  link: textSchema.optional(),
  description: textSchema.optional(),
  guid: textSchema.optional(),
  category: z.array(textSchema).default([]),
  pubDate: textSchema.optional(),
  announce_type: textSchema.optional(),
  creator: textSchema.optional(),
  rights: textSchema.optional(),
  DOI: textSchema.optional(),
  journal_reference: textSchema.optional(),
});

/** "arXiv:2405.15738v1 Announce Type: new \nAbstract: ..." → id, announce type, the rest. */
const DESCRIPTION = /^\s*arXiv:(\S+)\s+Announce Type:\s*(\S+)\s*([\s\S]*)$/i;
const GUID_PREFIX = /^oai:arXiv\.org:/i;

function isAnnounceType(value: string): value is AnnounceType {
  return (ANNOUNCE_TYPES as readonly string[]).includes(value);
}

/** The id text an item names, best source first: its description, its guid, its link. */
function idTextOf(item: { description?: string; guid?: string; link?: string }): string | undefined {
  return DESCRIPTION.exec(item.description ?? "")?.[1] ?? item.guid?.replace(GUID_PREFIX, "") ?? item.link;
}

/**
 * Turns one `<item>` into a listing item; throws a ValidationError when it is bad. `fallbackDate` dates the
 * version when the item has no pubDate of its own.
 */
export function parseListingItem(node: unknown, fallbackDate: IsoTimestamp | null): ListingItem {
  const raw = parseWith(itemSchema, node);
  const description = DESCRIPTION.exec(raw.description ?? "");
  const idText = idTextOf(raw);
  if (idText === undefined)
    throw new ValidationError("invalid_record", "id: no arXiv id in description, guid or link");
  const named = field("id", () => parseArxivId(idText));
  if (raw.link !== undefined) {
    const linked = field("link", () => parseArxivId(raw.link ?? "")).id;
    if (linked !== named.id) {
      throw new ValidationError("invalid_record", `link: names ${linked} but the item announces ${named.id}`);
    }
  }
  const guid = raw.guid;
  const version =
    named.version ?? (guid ? field("guid", () => parseArxivId(guid.replace(GUID_PREFIX, ""))).version : null);
  if (version === null) throw new ValidationError("invalid_record", `id: "${idText}" names no version`);

  const announceType = normalizeText(raw.announce_type ?? description?.[2] ?? "").toLowerCase();
  if (!isAnnounceType(announceType)) {
    throw new ValidationError(
      "invalid_record",
      `announce_type: "${announceType}" is not one of ${ANNOUNCE_TYPES.join(", ")}`,
    );
  }
  const date =
    raw.pubDate === undefined ? fallbackDate : field("pubDate", () => parseTimestamp(raw.pubDate ?? ""));
  if (date === null)
    throw new ValidationError("invalid_record", "pubDate: neither the item nor the channel gives one");
  const title = normalizeText(raw.title);
  if (title === "") throw new ValidationError("invalid_record", "title: empty");

  const record: PaperRecord = {
    id: named.id,
    sources: ["arxiv-rss"],
    versions: [{ version, date }],
    title,
    abstract: normalizeText((description?.[3] ?? raw.description ?? "").replace(/^Abstract:/i, "")),
    authors: splitAuthorLine(raw.creator ?? ""),
    categories: arxivCategories(raw.category),
  };
  // Only what the item states: a missing element says nothing about the paper.
  const license = nullIfBlank(raw.rights);
  const doi = nullIfBlank(raw.DOI);
  const journalRef = nullIfBlank(raw.journal_reference);
  if (license !== null) record.license = license;
  if (doi !== null) record.doi = doi;
  if (journalRef !== null) record.journalRef = journalRef;
  return { record, announceType, version };
}

function channelDate(channel: Record<string, unknown>): IsoTimestamp | null {
  for (const name of ["pubDate", "lastBuildDate"]) {
    const text = xmlText(channel[name]);
    if (text === undefined) continue;
    try {
      return parseTimestamp(text);
    } catch {
      // Try the next one; items without their own date are then reported.
    }
  }
  return null;
}

const rssParser = createFeedParser(["item", "category"]);

/**
 * Parses a listing feed. A malformed document or one that is not RSS is a `SourceError("parse")`; a bad item
 * becomes a problem and the others still come back. An empty channel (weekends, holidays) has no items.
 */
export function parseListingFeed(xml: string, url: string): ArxivListing {
  const doc = parseXmlDocument(rssParser, xml, url);
  const rss = doc.rss as { channel?: unknown } | undefined;
  const channel = rss?.channel;
  if (channel === null || typeof channel !== "object" || Array.isArray(channel)) {
    throw new SourceError("parse", url, `not an RSS feed from ${url}: no <rss><channel>`);
  }
  const c = channel as Record<string, unknown>;
  const listedAt = channelDate(c);
  const listing: ArxivListing = { items: [], problems: [], listedAt };
  for (const node of Array.isArray(c.item) ? (c.item as unknown[]) : []) {
    try {
      listing.items.push(parseListingItem(node, listedAt));
    } catch (error) {
      const problem: FeedProblem = { reason: rejectionReason(error) };
      const idText = node !== null && typeof node === "object" ? idTextOfNode(node) : undefined;
      if (idText) problem.id = canonicalOrRaw(idText);
      listing.problems.push(problem);
    }
  }
  return listing;
}

function idTextOfNode(node: object): string | undefined {
  const n = node as Record<string, unknown>;
  return idTextOf({ description: xmlText(n.description), guid: xmlText(n.guid), link: xmlText(n.link) });
}

/** Reads arXiv's per-category daily listings, through the limiter shared by all arXiv clients. */
export class ArxivListingClient {
  private readonly http: HttpClient;
  private readonly baseUrl: string;

  constructor(options: ArxivListingClientOptions) {
    const { baseUrl, ...http } = options;
    this.http = new HttpClient(http);
    this.baseUrl = (baseUrl ?? ARXIV_RSS_URL).replace(/\/+$/, "");
  }

  /** The latest listing of one category (`cs.LG`, or a whole archive such as `hep-th` or `cs`). */
  async fetchCategory(category: string): Promise<ArxivListing> {
    const url = `${this.baseUrl}/${parseCategory(category)}`;
    const response = await this.http.get(url, {
      headers: { accept: "application/rss+xml, application/xml" },
    });
    return parseListingFeed(response.body, url);
  }
}
