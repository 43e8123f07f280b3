/** Papers for digest tests: a small library on a few topics, featured on daily lists in late November 2026. */
import type { Store } from "../../src/store/store.ts";
import { buildArxivRecord, buildDailyRecord, cats, day, id, ts } from "./factories.ts";

export const TOPICS = {
  diffusion: ["diffusion", "denoising", "image", "generation", "sampler", "score"],
  rl: ["reinforcement", "policy", "reward", "agent", "exploration", "bandit"],
  graphs: ["graph", "neural", "message", "passing", "node", "molecule"],
} as const;

export type Topic = keyof typeof TOPICS;

export interface SeedPaper {
  id: string;
  topic: Topic;
  title: string;
  day: string;
}

/**
 * `perTopic` papers on each topic, featured on days 2026-11-20 .. 2026-11-26 with varied upvotes, published
 * between 2026-11-20 and 2026-11-26 (paper 9 on the 26th). Titles and abstracts use their topic's words so recommendations can tell them
 * apart. `titleOf` may replace a title (hostile-content tests).
 */
export async function seedDigestPapers(
  store: Store,
  perTopic = 6,
  titleOf: (i: number, topic: Topic) => string | null = () => null,
): Promise<SeedPaper[]> {
  const out: SeedPaper[] = [];
  const topics = Object.keys(TOPICS) as Topic[];
  const papers = [];
  const daily = [];
  let n = 0;
  for (const topic of topics) {
    const words = TOPICS[topic];
    for (let i = 0; i < perTopic; i++) {
      n++;
      const paperId = id(`2611.${String(10000 + n).padStart(5, "0")}`);
      const featured = `2026-11-${String(20 + (n % 7)).padStart(2, "0")}`;
      const published = `2026-11-${String(26 - ((n + 5) % 7)).padStart(2, "0")}T06:00:00Z`;
      const title =
        titleOf(n, topic) ??
        `${words[i % words.length]} ${words[(i + 1) % words.length]} study ${n} of ${topic}`;
      papers.push(
        buildArxivRecord({
          id: paperId,
          title,
          abstract: `We study ${words.join(" ")} in depth. ${words[i % words.length]} ${words[(i + 2) % words.length]} experiments number ${n}.`,
          authors: [`Author ${topic} ${i % 2}`, "Shared Person"],
          categories: topic === "graphs" ? cats("cs.LG") : topic === "rl" ? cats("cs.AI") : cats("cs.CV"),
          versions: [{ version: 1, date: ts(published) }],
          publishedAt: ts(published),
        }),
      );
      daily.push(buildDailyRecord({ date: day(featured), paperId, upvotes: 5 + ((n * 7) % 40) }));
      out.push({ id: paperId, topic, title, day: featured });
    }
  }
  await store.ingest({ papers, daily });
  return out;
}
