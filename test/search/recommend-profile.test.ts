import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ArxivId } from "../../src/core/index.ts";
import {
  buildCorpus,
  forYou,
  type RecommendationCorpus,
  readerSignals,
  recommendFor,
} from "../../src/search/recommend/index.ts";
import type { Store } from "../../src/store/store.ts";
import { type SeedPaper, seedDigestPapers, type Topic } from "../helpers/digest-seed.ts";
import { createTestDatabase, type StoreKind, type TestDatabase } from "../helpers/stores.ts";

const NOW = new Date("2026-11-26T12:00:00Z");
const NEXT_DAY = new Date("2026-11-27T09:00:00Z");

for (const kind of ["sqlite", "postgres"] as StoreKind[]) {
  describe(`library-seeded recommendations: profiles, reasons, thumbs and the never-twice ledger (${kind})`, () => {
    let db: TestDatabase;
    let store: Store;
    let papers: SeedPaper[];
    let corpus: RecommendationCorpus;
    let users = 0;
    const paper = (topic: Topic, i: number) => papers.filter((p) => p.topic === topic)[i] as SeedPaper;
    const topicOf = (id: string) => papers.find((p) => p.id === id)?.topic;
    const member = async () => {
      users++;
      const user = await store.accounts.createUser({
        email: `reader${users}@example.org`,
        name: `Reader ${users}`,
        password: "correct horse battery",
        role: "member",
        verified: true,
      });
      return user.id;
    };
    const save = (userId: string, p: SeedPaper, tags: string[] = []) =>
      store.community.saveToLibrary(userId, p.id as ArxivId, { tags });

    before(async () => {
      db = await createTestDatabase(kind);
      store = await db.open();
      papers = await seedDigestPapers(store, 8);
      corpus = await buildCorpus(store, NOW);
    });
    after(async () => {
      await store.close();
      await db.drop();
    });

    test("one profile per tag: each tag brings its own papers, and the reason names the tag", async () => {
      const userId = await member();
      await save(userId, paper("rl", 0), ["rl"]);
      await save(userId, paper("rl", 1), ["rl"]);
      await save(userId, paper("rl", 2), ["rl"]);
      await save(userId, paper("graphs", 0), ["gnn"]);
      const recs = await recommendFor(store, corpus, userId, 8, { now: NOW });
      assert.equal(recs.length, 8);
      // The one-paper tag is not drowned by the three-paper one: both topics are in the top half.
      const top = recs.slice(0, 4).map((r) => topicOf(r.paper.id));
      assert.ok(top.includes("rl") && top.includes("graphs"), top.join(","));
      for (const r of recs.filter((r) => topicOf(r.paper.id) !== "diffusion")) {
        const tag = topicOf(r.paper.id) === "rl" ? "rl" : "gnn";
        assert.equal(r.tag, tag);
        assert.match(r.reason, new RegExp(`^In your tag “${tag}”, like “.+”$`));
        assert.equal(topicOf(r.because.id), topicOf(r.paper.id), "the named paper is on the same topic");
      }
      const saved = new Set([0, 1, 2].map((i) => paper("rl", i).id).concat(paper("graphs", 0).id));
      assert.ok(!recs.some((r) => saved.has(r.paper.id)), "library papers are never recommended");
    });

    test("untagged papers are clustered; the reason names the two nearest in the library", async () => {
      const userId = await member();
      const a = paper("diffusion", 0);
      const b = paper("diffusion", 1);
      await save(userId, a);
      await save(userId, b);
      const [first] = await recommendFor(store, corpus, userId, 3, { now: NOW });
      assert.equal(topicOf(first?.paper.id as string), "diffusion");
      assert.equal(first?.tag, null);
      assert.deepEqual(
        first?.like.map((l) => l.kind),
        ["saved", "saved"],
      );
      assert.deepEqual(new Set(first?.like.map((l) => l.id)), new Set([a.id, b.id]));
      const [x, y] = (first?.like ?? []).map((l) => l.title);
      assert.equal(first?.reason, `Like “${x}” and “${y}” in your library`);
      assert.ok((first?.terms.length ?? 0) > 0);
    });

    test("thumbs: up seeds the profile, down is a negative and never recommended", async () => {
      const userId = await member();
      assert.deepEqual(
        await recommendFor(store, corpus, userId, 5, { now: NOW }),
        [],
        "nothing known, nothing guessed",
      );
      await store.recommend.setThumb(userId, paper("graphs", 3).id, "up", NOW);
      const liked = await recommendFor(store, corpus, userId, 5, { now: NOW });
      assert.equal(topicOf(liked[0]?.paper.id as string), "graphs");
      assert.match(liked[0]?.reason ?? "", /^Like “.+” you liked$/);

      const down = liked[0]?.paper.id as string;
      await store.recommend.setThumb(userId, down, "down", NOW);
      const signals = await readerSignals(store, userId);
      assert.deepEqual(
        signals.map((s) => [s.paper.id, s.kind]),
        [
          [paper("graphs", 3).id, "liked"],
          [down, "not-interested"],
        ],
      );
      const again = await recommendFor(store, corpus, userId, 30, { now: NOW });
      assert.ok(!again.some((r) => r.paper.id === down), "a thumbed-down paper is not recommended");
      assert.deepEqual(
        (await store.recommend.thumbs(userId)).map((t) => [t.paperId, t.thumb]).sort(),
        [
          [down, "down"],
          [paper("graphs", 3).id, "up"],
        ].sort(),
      );
      await store.recommend.setThumb(userId, down, null, NOW);
      assert.equal((await store.recommend.thumbs(userId)).length, 1, "a thumb can be taken back");
    });

    test("never twice: For-you keeps its list through the day, then never shows it again; digests skip it", async () => {
      const userId = await member();
      await save(userId, paper("rl", 4), ["rl"]);
      await save(userId, paper("graphs", 4));
      const shown = await forYou(store, corpus, userId, 4, NOW);
      assert.equal(shown.length, 4);
      const ids: string[] = shown.map((r) => r.paper.id);
      const reload = await forYou(store, corpus, userId, 4, new Date(NOW.getTime() + 3_600_000));
      assert.deepEqual(
        reload.map((r) => r.paper.id),
        ids,
        "a reload on the same day shows the same list",
      );
      const digest = await recommendFor(store, corpus, userId, 30, { surface: "digest", now: NOW });
      assert.ok(digest.length > 0);
      assert.ok(!digest.some((r) => ids.includes(r.paper.id)), "a digest never repeats what For-you showed");
      const tomorrow = await forYou(store, corpus, userId, 4, NEXT_DAY);
      assert.ok(tomorrow.length > 0);
      assert.ok(!tomorrow.some((r) => ids.includes(r.paper.id)), "the next day shows other papers");
      assert.deepEqual(
        new Map([...(await store.recommend.shown(userId))].filter(([id]) => ids.includes(id))),
        new Map(ids.map((id) => [id, "2026-11-26"])),
        "each paper keeps the day it was first shown",
      );

      // What a digest suggested is not shown by For-you, even the same day.
      const next = (await recommendFor(store, corpus, userId, 1, { surface: "web", now: NEXT_DAY }))[0];
      await store.digests.fixContent(
        "none",
        "2026-11-27",
        {
          sections: [
            {
              kind: "recommended",
              title: "For you",
              items: [{ paperId: next?.paper.id as string, reason: "", terms: [] }],
            },
          ],
        },
        userId,
        NEXT_DAY,
      );
      const after = await forYou(store, corpus, userId, 30, NEXT_DAY);
      assert.ok(!after.some((r) => r.paper.id === next?.paper.id));
      // The library's papers are never among them, however many days pass.
      assert.ok(!after.some((r) => r.paper.id === paper("rl", 4).id || r.paper.id === paper("graphs", 4).id));
    });

    test("a store behind the clock still has candidates: they end at its newest paper", async () => {
      const late = await buildCorpus(store, new Date("2027-03-01T12:00:00Z"));
      assert.equal(late.size, papers.length);
      const userId = await member();
      await save(userId, paper("rl", 5));
      const recs = await recommendFor(store, late, userId, 3, { now: new Date("2027-03-01T12:00:00Z") });
      assert.equal(topicOf(recs[0]?.paper.id as string), "rl");
    });
  });
}
