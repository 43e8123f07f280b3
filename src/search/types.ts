/** A paper as the search engine sees it. */
export interface SearchDocument {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
}

/** One result: the document id and its score under the mode that produced it (higher is better). */
export interface SearchHit {
  id: string;
  score: number;
}
