/** A member's thumbs on recommended papers: up is a positive seed of their profile, down a negative one. */
export interface RecommendationThumbsTable {
  user_id: string;
  arxiv_id: string;
  /** "up" or "down". */
  thumb: string;
  created_at: string;
  updated_at: string;
}

/**
 * The papers recommended to a member outside digests (For-you, `/api/for-you`), each with the UTC day it was
 * first shown: shown again that day only (a reload keeps the list), never after. Digests keep their own
 * record (`digest_suggestions`).
 */
export interface RecommendationShownTable {
  user_id: string;
  arxiv_id: string;
  day: string;
  shown_at: string;
}

export interface RecommendTables {
  recommendation_thumbs: RecommendationThumbsTable;
  recommendation_shown: RecommendationShownTable;
}
