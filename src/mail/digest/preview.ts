/** A digest as it would be sent now, without recording anything (settings preview, `paperboy digest preview`). */
import { digestPaperIds, latestPeriod } from "../../core/digest.ts";
import type { Paper } from "../../core/index.ts";
import { buildCorpus, type RecommendationCorpus } from "../../search/recommend/index.ts";
import type { Subscription } from "../../store/digests/index.ts";
import type { Store } from "../../store/store.ts";
import { composeDigest } from "./compose.ts";
import { digestLinks } from "./links.ts";
import { type RenderedDigest, renderDigest } from "./render.ts";
import { thumbLinks } from "./thumb-links.ts";

export async function previewDigest(
  store: Store,
  sub: Subscription,
  options: { baseUrl: string; secret: string; now: Date; corpus?: RecommendationCorpus },
): Promise<{ periodKey: string; rendered: RenderedDigest }> {
  const period = latestPeriod(sub.schedule, options.now);
  const wantsRecs = sub.userId !== null && sub.contents.recommendations;
  const corpus = wantsRecs ? (options.corpus ?? (await buildCorpus(store, options.now))) : null;
  const content = await composeDigest(store, {
    contents: sub.contents,
    userId: sub.userId,
    since: period.since,
    until: options.now,
    corpus,
  });
  const ids = digestPaperIds(content);
  const papers = new Map((await store.getPapers(ids as Paper["id"][])).map((p) => [p.id as string, p]));
  const rendered = renderDigest({
    frequency: sub.schedule.frequency,
    periodKey: period.key,
    content,
    papers,
    links: {
      ...digestLinks(options.baseUrl, options.secret, sub.id),
      ...(sub.userId ? { thumbs: thumbLinks(options.baseUrl, options.secret, sub.userId) } : {}),
    },
    siteUrl: options.baseUrl,
  });
  return { periodKey: period.key, rendered };
}
