import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import type { User } from "../../src/core/accounts.ts";
import type { ArxivId, IsoDate } from "../../src/core/index.ts";
import {
  buildThreads,
  CommunityError,
  MAX_THREAD_DEPTH,
  STALE_CLAIM_MS,
} from "../../src/store/community/index.ts";
import type { Store } from "../../src/store/store.ts";
import { makeUser, seedPapers } from "../helpers/community.ts";
import { ts } from "../helpers/factories.ts";
import { type StoreKind, useFreshStore } from "../helpers/stores.ts";

const T1 = ts("2026-01-01T00:00:00Z");
const T2 = ts("2026-01-02T00:00:00Z");
const T3 = ts("2026-01-03T00:00:00Z");

function refusedWith(code: CommunityError["code"]) {
  return (error: unknown) => error instanceof CommunityError && error.code === code;
}

/** The community module's behaviour, the same on every store. */
export function communityContract(kind: StoreKind): void {
  describe(`community store: ${kind}`, () => {
    let store: Store;
    let alice: User;
    let bob: User;
    let admin: User;
    let p1: ArxivId;
    let p2: ArxivId;
    let members: User[];
    // One database for the suite (making members hashes passwords, which is slow on purpose); each test
    // works on papers of its own, stored by `setup`.
    useFreshStore(kind, (s) => {
      store = s;
    });
    before(async () => {
      alice = await makeUser(store, { name: "Alice" });
      bob = await makeUser(store, { name: "Bob" });
      admin = await makeUser(store, { role: "admin", name: "Ada" });
      members = await Promise.all(Array.from({ length: 8 }, () => makeUser(store)));
    });
    let next = 0;
    const setup = async () => {
      next++;
      [p1 = "" as ArxivId, p2 = "" as ArxivId] = await seedPapers(store, [
        { id: `2405.${String(10000 + next)}`, hfUpvotes: 10 },
        { id: `hep-th/99010${String(next).padStart(2, "0")}` },
      ]);
    };

    test("votes toggle, are idempotent per state, and count once per member", async () => {
      await setup();
      const c = store.community;
      assert.deepEqual(await c.setVote(alice.id, p1, null, T1), { voted: true, votes: 1 });
      assert.deepEqual(await c.setVote(alice.id, p1, true, T1), { voted: true, votes: 1 });
      assert.deepEqual(await c.setVote(bob.id, p1, true, T1), { voted: true, votes: 2 });
      assert.deepEqual(await c.setVote(alice.id, p1, null, T2), { voted: false, votes: 1 });
      assert.deepEqual(await c.setVote(alice.id, p1, false, T2), { voted: false, votes: 1 });
      assert.deepEqual([...(await c.votedBy(bob.id, [p1, p2]))], [p1]);
      assert.deepEqual([...(await c.votedBy(alice.id, [p1, p2]))], []);
      await c.setVote(bob.id, p2, true, T3);
      assert.deepEqual(
        (await c.votesOf(bob.id)).map((v) => v.paperId),
        [p2, p1],
      );
    });

    test("a vote for an unknown paper is refused", async () => {
      await setup();
      await assert.rejects(
        store.community.setVote(alice.id, "2401.00001" as ArxivId, true, T1),
        refusedWith("not_found"),
      );
    });

    test("concurrent votes of many members all count", async () => {
      await setup();
      await Promise.all(members.map((m) => store.community.setVote(m.id, p2, null, T1)));
      assert.equal((await store.community.localActivity([p2])).get(p2)?.votes, members.length);
    });

    test("upvote totals add local votes to the largest Hugging Face entry", async () => {
      await setup();
      await store.ingest({
        papers: [],
        daily: [
          {
            date: "2024-05-28" as IsoDate,
            paperId: p1,
            source: "hf-daily",
            submitter: null,
            organization: null,
            upvotes: 4,
            numComments: 0,
          },
        ],
      });
      await store.community.setVote(alice.id, p1, true, T1);
      await store.community.setVote(alice.id, p2, true, T1);
      await store.community.setVote(bob.id, p2, true, T1);
      const totals = await store.community.upvoteTotals([p1, p2, "2401.00001" as ArxivId]);
      assert.deepEqual(Object.fromEntries(totals), { [p1]: 11, [p2]: 2, "2401.00001": 0 });
      const activity = await store.community.localActivity([p1, p2]);
      assert.deepEqual(activity.get(p1), { votes: 1, comments: 0 });
      assert.deepEqual(activity.get(p2), { votes: 2, comments: 0 });
    });

    test("comments: write, reply, edit own, delete own, admin removal; counts follow", async () => {
      await setup();
      const c = store.community;
      const top = await c.addComment({ paperId: p1, authorId: alice.id, body: "Nice **result**.\n\n" }, T1);
      assert.equal(top.body, "Nice **result**.");
      assert.equal(top.authorName, "Alice");
      assert.equal(top.state, "visible");
      const reply = await c.addComment(
        { paperId: p1, authorId: bob.id, parentId: top.id, body: "Agreed" },
        T2,
      );
      assert.equal(reply.parentId, top.id);
      assert.equal((await c.localActivity([p1])).get(p1)?.comments, 2);

      await assert.rejects(c.editComment(top.id, bob.id, "hijack", T2), refusedWith("forbidden"));
      await assert.rejects(c.deleteComment(top.id, bob.id, T2), refusedWith("forbidden"));
      const edited = await c.editComment(top.id, alice.id, "Nice result, *really*.", T3);
      assert.equal(edited.body, "Nice result, *really*.");
      assert.equal(edited.editedAt, T3);

      const deleted = await c.deleteComment(top.id, alice.id, T3);
      assert.equal(deleted.state, "deleted");
      assert.equal(deleted.body, "");
      await c.deleteComment(top.id, alice.id, T3);
      await assert.rejects(c.editComment(top.id, alice.id, "back", T3), refusedWith("conflict"));
      assert.equal((await c.localActivity([p1])).get(p1)?.comments, 1);

      // The deleted comment stays as the thread's root while its reply is shown.
      let threads = buildThreads(await c.comments(p1));
      assert.equal(threads.length, 1);
      assert.equal(threads[0]?.comment.state, "deleted");
      assert.equal(threads[0]?.replies[0]?.comment.body, "Agreed");

      const removed = await c.removeComment(reply.id, admin.id, T3);
      assert.equal(removed.state, "removed");
      assert.equal((await c.getComment(reply.id))?.body, "");
      threads = buildThreads(await c.comments(p1));
      assert.deepEqual(threads, []);
      assert.equal((await c.localActivity([p1])).get(p1)?.comments, 0);
    });

    test("comments refuse empty or overlong text, foreign parents, deleted parents and deep nesting", async () => {
      await setup();
      const c = store.community;
      await assert.rejects(
        c.addComment({ paperId: p1, authorId: alice.id, body: "  \n " }, T1),
        refusedWith("invalid_input"),
      );
      await assert.rejects(
        c.addComment({ paperId: p1, authorId: alice.id, body: "x".repeat(10_001) }, T1),
        refusedWith("invalid_input"),
      );
      const onP2 = await c.addComment({ paperId: p2, authorId: alice.id, body: "on p2" }, T1);
      await assert.rejects(
        c.addComment({ paperId: p1, authorId: bob.id, parentId: onP2.id, body: "cross" }, T1),
        refusedWith("not_found"),
      );
      await assert.rejects(
        c.addComment(
          { paperId: p1, authorId: bob.id, parentId: "00000000-0000-4000-8000-000000000000", body: "x" },
          T1,
        ),
        refusedWith("not_found"),
      );
      await c.deleteComment(onP2.id, alice.id, T1);
      await assert.rejects(
        c.addComment({ paperId: p2, authorId: bob.id, parentId: onP2.id, body: "late" }, T1),
        refusedWith("conflict"),
      );
      let parent: string | null = null;
      for (let depth = 1; depth <= MAX_THREAD_DEPTH; depth++) {
        parent = (
          await c.addComment(
            { paperId: p1, authorId: alice.id, parentId: parent, body: `level ${depth}` },
            T1,
          )
        ).id;
      }
      await assert.rejects(
        c.addComment({ paperId: p1, authorId: alice.id, parentId: parent, body: "too deep" }, T1),
        refusedWith("invalid_input"),
      );
      const threads = buildThreads(await c.comments(p1));
      let depth = 0;
      for (let nodes = threads; nodes.length > 0; nodes = nodes[0]?.replies ?? []) depth++;
      assert.equal(depth, MAX_THREAD_DEPTH);
    });

    test("library: save with tags, filter by tag and read state, edit, remove", async () => {
      await setup();
      const c = store.community;
      const saved = await c.saveToLibrary(alice.id, p1, { tags: [" Vision ", "to  read", "vision"] }, T1);
      assert.deepEqual(saved, { paperId: p1, savedAt: T1, readAt: null, tags: ["to read", "vision"] });
      // Saving again keeps the first save time and, without tags, the tags.
      assert.deepEqual(await c.saveToLibrary(alice.id, p1, {}, T2), saved);
      await c.saveToLibrary(alice.id, p2, { tags: ["theory"] }, T2);
      await c.saveToLibrary(bob.id, p2, { tags: ["vision"] }, T2);

      const all = await c.library(alice.id);
      assert.equal(all.total, 2);
      assert.deepEqual(
        all.items.map((i) => i.paperId),
        [p2, p1],
      );
      const vision = await c.library(alice.id, { tag: "VISION" });
      assert.deepEqual(
        vision.items.map((i) => i.paperId),
        [p1],
      );
      assert.deepEqual(await c.libraryTags(alice.id), [
        { tag: "theory", count: 1 },
        { tag: "to read", count: 1 },
        { tag: "vision", count: 1 },
      ]);

      const read = await c.updateLibraryItem(alice.id, p1, { read: true, tags: ["done"] }, T3);
      assert.equal(read.readAt, T3);
      assert.deepEqual(read.tags, ["done"]);
      assert.deepEqual(
        (await c.library(alice.id, { read: true })).items.map((i) => i.paperId),
        [p1],
      );
      assert.deepEqual(
        (await c.library(alice.id, { read: false })).items.map((i) => i.paperId),
        [p2],
      );
      assert.equal((await c.updateLibraryItem(alice.id, p1, { read: false }, T3)).readAt, null);
      assert.deepEqual(
        [...(await c.savedItems(alice.id, [p1, p2]))].map(([id]) => id).sort(),
        [p1, p2].sort(),
      );

      assert.equal(await c.removeFromLibrary(alice.id, p1), true);
      assert.equal(await c.removeFromLibrary(alice.id, p1), false);
      await assert.rejects(c.updateLibraryItem(alice.id, p1, { read: true }, T3), refusedWith("not_found"));
      assert.deepEqual(await c.libraryTags(alice.id), [{ tag: "theory", count: 1 }]);
      assert.equal((await c.library(bob.id)).total, 1);
    });

    test("library refuses bad tags and pages in saved order", async () => {
      await setup();
      const c = store.community;
      const carol = members[0] as User;
      await assert.rejects(
        c.saveToLibrary(carol.id, p1, { tags: ["<script>"] }, T1),
        refusedWith("invalid_input"),
      );
      await assert.rejects(
        c.saveToLibrary(carol.id, p1, { tags: ["x".repeat(41)] }, T1),
        refusedWith("invalid_input"),
      );
      await assert.rejects(
        c.saveToLibrary(carol.id, p1, { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, T1),
        refusedWith("invalid_input"),
      );
      await assert.rejects(
        c.saveToLibrary(carol.id, "2401.00001" as ArxivId, {}, T1),
        refusedWith("not_found"),
      );
      await c.saveToLibrary(carol.id, p1, { tags: ["数学", "ml/rl"] }, T1);
      await c.saveToLibrary(carol.id, p2, {}, T2);
      const page = await c.library(carol.id, { limit: 1, offset: 1 });
      assert.equal(page.total, 2);
      assert.deepEqual(
        page.items.map((i) => i.paperId),
        [p1],
      );
      assert.deepEqual(page.items[0]?.tags, ["ml/rl", "数学"]);
    });

    test("library: saving many at once adds the new, keeps first save times, sets tags, refuses unknown papers", async () => {
      await setup();
      const c = store.community;
      const dora = members[1] as User;
      await c.saveToLibrary(dora.id, p1, { tags: ["old"] }, T1);
      const added = await c.saveManyToLibrary(
        dora.id,
        [
          { paperId: p1, tags: ["old", "Imported"] },
          { paperId: p2, tags: ["imported"] },
        ],
        T2,
      );
      assert.deepEqual([...added], [p2]);
      const items = new Map((await c.library(dora.id)).items.map((i) => [i.paperId, i]));
      assert.equal(items.get(p1)?.savedAt, T1);
      assert.deepEqual(items.get(p1)?.tags, ["imported", "old"]);
      assert.equal(items.get(p2)?.savedAt, T2);
      await assert.rejects(
        c.saveManyToLibrary(dora.id, [{ paperId: "2401.00002" as ArxivId, tags: [] }], T2),
        refusedWith("not_found"),
      );
      assert.equal((await c.library(dora.id)).total, 2);
    });

    test("admins hide and unhide papers", async () => {
      await setup();
      const c = store.community;
      await c.hidePaper(p1, admin.id, "spam", T1);
      await c.hidePaper(p1, admin.id, "spam, really", T2);
      assert.deepEqual([...(await c.hiddenAmong([p1, p2]))], [p1]);
      assert.deepEqual(await c.listHidden(), [
        { paperId: p1, hiddenBy: admin.id, hiddenAt: T2, reason: "spam, really" },
      ]);
      assert.equal(await c.unhidePaper(p1), true);
      assert.equal(await c.unhidePaper(p1), false);
      assert.equal((await c.hiddenAmong([p1])).size, 0);
    });

    test("submissions: one claim per paper, released on failure, refused once done or featured", async () => {
      await setup();
      const c = store.community;
      const day = "2026-01-01" as IsoDate;
      const fresh = "2401.00002" as ArxivId;
      assert.deepEqual(await c.claimSubmission(fresh, alice.id, day, T1), { claimed: true });
      const busy = await c.claimSubmission(fresh, bob.id, day, T1);
      assert.equal(busy.claimed, false);
      if (!busy.claimed) assert.equal(busy.submission?.state, "pending");
      // The same member may retry; a claim left by a dead request expires.
      assert.deepEqual(await c.claimSubmission(fresh, alice.id, day, T1), { claimed: true });
      const later = new Date(Date.parse(T1) + STALE_CLAIM_MS + 1000).toISOString() as typeof T1;
      assert.deepEqual(await c.claimSubmission(fresh, bob.id, day, later), { claimed: true });
      await c.releaseSubmission(fresh, alice.id);
      assert.equal((await c.getSubmission(fresh))?.userId, bob.id);
      await c.releaseSubmission(fresh, bob.id);
      assert.equal(await c.getSubmission(fresh), null);

      assert.deepEqual(await c.claimSubmission(p2, alice.id, day, T2), { claimed: true });
      await c.completeSubmission(p2, alice.id);
      const again = await c.claimSubmission(p2, alice.id, day, T3);
      assert.equal(again.claimed, false);
      if (!again.claimed) assert.equal(again.submission?.state, "done");
      assert.deepEqual(
        (await c.submissionsBy(alice.id)).map((s) => s.paperId),
        [p2],
      );

      const featured = await c.claimSubmission(p1, bob.id, day, T1);
      assert.deepEqual(featured, { claimed: false, submission: null, featuredOn: "2024-05-27" });
    });
  });
}
