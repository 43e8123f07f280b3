/** A feed before it is written as RSS 2.0 or Atom 1.0; both writers read the same model. */
export interface Feed {
  title: string;
  description: string;
  /** The page the feed mirrors (absolute URL). */
  pageUrl: string;
  /** The feed's own address in the format being written (absolute URL); set per format by the route. */
  selfUrl: string;
  /** Stable identity of the feed, whatever the format (absolute URL of the feed without its extension). */
  id: string;
  /** Newest change among the items (or now for an empty feed). */
  updated: Date;
  items: FeedItem[];
}

export interface FeedItem {
  /** Stable identity: the paper's permanent address on this site. */
  id: string;
  title: string;
  link: string;
  /** Plain text (the abstract, or the AI summary); writers escape it. */
  summary: string;
  authors: string[];
  categories: string[];
  /** When the item appeared (featured day, or publication). */
  published: Date;
  /** Last change of the paper. */
  updated: Date;
  /** Links beside the paper's page: PDF, code. */
  related: { href: string; title: string; type?: string }[];
}

export type FeedFormat = "rss" | "atom";
