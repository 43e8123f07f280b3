import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ArxivId } from "../../src/core/index.ts";
import { buildCorpus, readerSignals, recommendFor, reusedCorpus } from "../../src/search/recommend/index.ts";
import type { Store } from "../../src/store/store.ts";
import { type SeedPaper, seedDigestPapers } from "../helpers/digest-seed.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";

const NOW = new Date("2026-11-26T12:00:00Z");

describe("recommendations for a reader (src/search/recommend)", () => {
  let db: TestDatabase;
  let store: Store;
  let papers: SeedPaper[];
  let userId: string;
  const paper = (topic: SeedPaper["topic"], i: number) =>
    papers.filter((p) => p.topic === topic)[i]?.id as ArxivId;

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    papers = await seedDigestPapers(store, 6);
    const user = await store.accounts.createUser({
      email: "reader@example.org",
      name: "Reader",
      password: "correct horse battery",
      role: "member",
      verified: true,
    });
    userId = user.id;
    await store.community.setVote(userId, paper("rl", 0), true);
    await store.community.setVote(userId, paper("rl", 1), true);
    await store.community.saveToLibrary(userId, paper("rl", 1), { tags: ["rl"] });
    await store.community.setVote(userId, paper("diffusion", 0), true);
    await store.digests.dismiss(userId, paper("diffusion", 0));
  });
  after(async () => {
    await store.close();
    await db.drop();
  });

  test("signals: a saved paper counts once as saved, a dismissed one only as not interested", async () => {
    const signals = await readerSignals(store, userId);
    assert.deepEqual(
      signals.map((s) => [s.paper.id, s.kind, s.tags ?? []]),
      [
        [paper("rl", 1), "saved", ["rl"]],
        [paper("rl", 0), "upvoted", []],
        [paper("diffusion", 0), "not-interested", []],
      ],
    );
  });

  test("the list leans to the reader's topic, leaves out their own, dismissed and already suggested papers", async () => {
    const corpus = await buildCorpus(store, NOW);
    assert.equal(corpus.size, papers.length);
    const topicOf = new Map(papers.map((p) => [p.id as string, p.topic]));
    const first = await recommendFor(store, corpus, userId, 5);
    assert.equal(first.length, 5);
    assert.deepEqual(
      first.slice(0, 3).map((r) => topicOf.get(r.paper.id)),
      ["rl", "rl", "rl"],
    );
    const ids = first.map((r) => r.paper.id as string);
    for (const own of [paper("rl", 0), paper("rl", 1), paper("diffusion", 0)]) {
      assert.ok(!ids.includes(own), own);
    }
    assert.match(
      first[0]?.reason ?? "",
      /^(In your tag “rl”, like “.+”|Like “.+” (in your library|you upvoted))$/,
    );

    const top = first[0]?.paper.id as string;
    await store.digests.fixContent(
      "none",
      "2026-11-26",
      {
        sections: [
          { kind: "recommended", title: "For you", items: [{ paperId: top, reason: "", terms: [] }] },
        ],
      },
      userId,
      NOW,
    );
    const again = await recommendFor(store, corpus, userId, 5);
    assert.ok(!again.some((r) => r.paper.id === top), "a paper a digest suggested is not suggested again");
    assert.deepEqual(
      again.slice(0, 4).map((r) => r.paper.id),
      first.slice(1, 5).map((r) => r.paper.id),
    );
  });

  test("a reused corpus is built once until it is too old", async () => {
    let t = NOW.getTime();
    const corpus = reusedCorpus(store, () => new Date(t), 60_000);
    const a = corpus();
    t += 30_000;
    assert.equal(corpus(), a);
    t += 31_000;
    const b = corpus();
    assert.notEqual(b, a);
    assert.equal((await b).size, papers.length);
  });
});
