import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, describe, test } from "node:test";
import { SearchEngine } from "../../src/search/engine.ts";
import { shared } from "../helpers/paths.ts";
import { buildDoc } from "./fixtures.ts";

/**
 * Short searches over the 97 seed papers (distribution shift and model adaptation, in many wordings). Ids are
 * the papers' places in papers.json. Keyword order is asserted exactly (it depends only on BM25F); the hybrid
 * mode must keep the expected papers near the top.
 */
const CASES: Array<{ query: string; keywordTop: string[]; hybridTop5: string[] }> = [
  // 48 Meta-DMoE: Adapting to Domain Shift; 68 and 3 say "domain shift(s)" (3 in its title), where 2 (Crafting
  // Distribution Shifts ... Domain Generalization) has the two words apart
  { query: "domain shift", keywordTop: ["48", "68", "3"], hybridTop5: ["48", "68", "3"] },
  // 23 Fully Test-Time Adaptation for 3D detection; 5 Efficient Test-Time Model Adaptation; 37 CAFA; 21 Robust Mean Teacher
  { query: "test-time adaptation", keywordTop: ["23", "37", "5", "21"], hybridTop5: ["5", "23", "21", "37"] },
  // 44 Continual Learning for Out-of-Distribution Generalization
  { query: "out-of-distribution", keywordTop: ["5", "35", "44"], hybridTop5: ["44"] },
  // 8 Label Shift Adapter ... under Covariate and Label Shifts; 68 ... Calibration for Covariate Shift
  { query: "covariate and label shift", keywordTop: ["8"], hybridTop5: ["8", "68"] },
  // 65 Resolving Interference When Merging Models; 71 Parameter Competition Balancing for Model Merging; 7 AdaMerging
  { query: "model merging", keywordTop: ["65", "71", "7"], hybridTop5: ["65", "71", "7"] },
  // 43 Continual Pre-Training of LLMs; 19 Strategies to Continually Pre-train LLMs
  { query: "continual pre-training", keywordTop: ["43", "19"], hybridTop5: ["43", "19"] },
  // 88 The Butterfly Effect of Model Editing; 81 Fast Model Editing at Scale
  { query: "model editing", keywordTop: ["88", "81"], hybridTop5: ["88", "81"] },
  // 2 Crafting Distribution Shifts ... Single Source Domain Generalization
  { query: "domain generalization", keywordTop: ["2"], hybridTop5: ["2"] },
  // only paper 8 has the exact phrase
  { query: '"label shift"', keywordTop: ["8"], hybridTop5: ["8"] },
];

describe("short queries over the seed papers", () => {
  let engine: SearchEngine;
  before(async () => {
    const papers = JSON.parse(readFileSync(shared("seed", "papers.json"), "utf8")) as Array<{
      title: string;
      abstract: string;
    }>;
    engine = await SearchEngine.build(papers.map((p, i) => buildDoc({ id: String(i), ...p })));
  });

  for (const { query, keywordTop, hybridTop5 } of CASES) {
    test(`keyword: ${query}`, async () => {
      const hits = (await engine.search(query, { mode: "keyword", limit: keywordTop.length })).hits;
      assert.deepEqual(
        hits.map((h) => h.id),
        keywordTop,
      );
    });

    test(`hybrid: ${query}`, async () => {
      const top = (await engine.search(query, { mode: "hybrid", limit: 5 })).hits.map((h) => h.id);
      for (const id of hybridTop5) assert.ok(top.includes(id), `${id} not in ${top.join(",")}`);
    });
  }

  test("a phrase filters: only papers with the words in order", async () => {
    const { hits } = await engine.search('"label shift"', { mode: "keyword", limit: 50 });
    assert.deepEqual(
      hits.map((h) => h.id),
      ["8"],
    );
  });
});
