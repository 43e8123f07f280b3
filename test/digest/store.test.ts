import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { DigestContents } from "../../src/core/digest.ts";
import { runDigests } from "../../src/jobs/digests.ts";
import { silentLogger } from "../../src/log.ts";
import type { MailMessage } from "../../src/mail/mailer.ts";
import { DigestStoreError, HARD_FAILURE_LIMIT } from "../../src/store/digests/index.ts";
import type { Store } from "../../src/store/store.ts";
import { seedDigestPapers } from "../helpers/digest-seed.ts";
import { type StoreKind, useFreshStore } from "../helpers/stores.ts";
import { createRecordingMailer } from "../helpers/web.ts";

const T0 = new Date("2026-11-25T00:00:00Z");
const DAILY_UTC = { frequency: "daily" as const, hour: 8, weekday: 1, timeZone: "UTC" };
const TRENDING_ONLY: DigestContents = {
  trending: 5,
  searches: [],
  categories: [],
  authors: [],
  recommendations: true,
};

async function member(store: Store, email: string) {
  return store.accounts.createUser({
    email,
    name: email,
    password: "correct horse battery",
    role: "member",
    verified: true,
  });
}

for (const kind of ["sqlite", "postgres"] as StoreKind[]) {
  describe(`digests store and runs, on ${kind}`, () => {
    let store: Store;
    const fresh = useFreshStore(kind, (s) => {
      store = s;
    });

    const run = async (at: string, outbox: MailMessage[], mailer = createRecordingMailer(outbox)) =>
      runDigests(
        {
          store,
          mailer,
          secret: "s".repeat(40),
          baseUrl: "http://paperboy.test",
          outbound: { allowHosts: [] },
          logger: silentLogger,
          now: () => new Date(at),
        },
        { concurrency: 2 },
      );

    test("double opt-in, planning once per period, unsubscribing skips what is not sent", async () => {
      await fresh();
      await seedDigestPapers(store, 3);
      const sub = await store.digests.subscribe(
        { email: "A@Example.org", schedule: DAILY_UTC, contents: TRENDING_ONLY },
        T0,
      );
      assert.equal(sub.state, "pending");
      assert.equal(sub.email, "a@example.org");
      const outbox: MailMessage[] = [];
      assert.equal((await run("2026-11-26T09:00:00Z", outbox)).planned, 0, "pending gets nothing");

      const active = await store.digests.confirm(sub.id, new Date("2026-11-25T09:00:00Z"));
      assert.equal(active?.state, "active");
      assert.equal(active?.nextDueAt, "2026-11-26T08:00:00.000Z");
      assert.equal((await store.digests.plan(new Date("2026-11-26T09:00:00Z"))).planned, 1);
      assert.equal((await store.digests.plan(new Date("2026-11-26T09:30:00Z"))).planned, 0, "planned once");
      const result = await run("2026-11-26T09:30:00Z", outbox);
      assert.equal(result.sent, 1);
      assert.equal(outbox.length, 1);
      assert.equal(outbox[0]?.headers?.["Message-ID"], `<digest.${sub.id}.2026-11-26.email@paperboy.test>`);

      // The next day's row is planned, then the reader unsubscribes before it goes out.
      assert.equal((await store.digests.plan(new Date("2026-11-27T08:00:00Z"))).planned, 1);
      await store.digests.unsubscribe(sub.id, new Date("2026-11-27T08:00:01Z"));
      const after = await run("2026-11-27T08:05:00Z", outbox);
      assert.equal(after.sent, 0);
      assert.equal(outbox.length, 1);
      const rows = await store.digests.deliveries({ subscriptionId: sub.id });
      assert.deepEqual(
        rows.map((r) => [r.periodKey, r.state, r.reason]),
        [
          ["2026-11-26", "sent", null],
          ["2026-11-27", "skipped", "unsubscribed"],
        ],
      );
    });

    test("a member keeps at most maxPerUser live subscriptions, even when asking all at once", async () => {
      await fresh();
      const m = await member(store, "cap@example.org");
      const other = await member(store, "other@example.org");
      const ask = (userId: string) =>
        store.digests.subscribe(
          { email: "cap@example.org", userId, schedule: DAILY_UTC, contents: TRENDING_ONLY, maxPerUser: 3 },
          T0,
        );
      const outcomes = await Promise.allSettled([1, 2, 3, 4, 5].map(() => ask(m.id)));
      assert.equal(outcomes.filter((o) => o.status === "fulfilled").length, 3);
      for (const o of outcomes.filter((o) => o.status === "rejected")) {
        assert.ok(
          o.reason instanceof DigestStoreError && o.reason.code === "limit_reached",
          String(o.reason),
        );
      }
      await ask(other.id); // the cap is per member
      // An unsubscribed digest no longer counts.
      const [first] = await store.digests.ofUser(m.id);
      await store.digests.unsubscribe(first?.id ?? "", T0);
      await ask(m.id);
      await assert.rejects(ask(m.id), /already keeps 3 subscriptions/);
      assert.equal((await store.digests.ofUser(m.id)).length, 4);
    });

    test("hard failures disable the address after the threshold; soft ones retry with back-off", async () => {
      await fresh();
      await seedDigestPapers(store, 2);
      const sub = await store.digests.subscribe(
        { email: "gone@example.org", schedule: DAILY_UTC, contents: TRENDING_ONLY, confirmed: true },
        T0,
      );
      const refusing = {
        async send(): Promise<{ messageId: string }> {
          throw Object.assign(new Error("550 mailbox unavailable"), { responseCode: 550 });
        },
        async close() {},
      };
      for (let day = 25; day < 25 + HARD_FAILURE_LIMIT; day++) {
        const r = await run(`2026-11-${day}T09:00:00Z`, [], refusing);
        assert.equal(r.failed, 1, `day ${day}`);
      }
      const disabled = await store.digests.get(sub.id);
      assert.equal(disabled?.state, "disabled");
      assert.equal(disabled?.hardFailures, HARD_FAILURE_LIMIT);
      assert.equal((await run("2026-11-29T09:00:00Z", [])).planned, 0, "a disabled address gets nothing");

      const flaky = await store.digests.subscribe(
        { email: "flaky@example.org", schedule: DAILY_UTC, contents: TRENDING_ONLY, confirmed: true },
        new Date("2026-11-28T00:00:00Z"),
      );
      let calls = 0;
      const outbox: MailMessage[] = [];
      const once = {
        async send(m: MailMessage) {
          calls++;
          if (calls === 1) throw Object.assign(new Error("421 try later"), { responseCode: 421 });
          outbox.push(m);
          return { messageId: "x" };
        },
        async close() {},
      };
      const first = await run("2026-11-28T09:00:00Z", [], once);
      assert.equal(first.retried, 1);
      const [row] = await store.digests.deliveries({ subscriptionId: flaky.id });
      assert.equal(row?.state, "pending");
      assert.ok(row && Date.parse(row.nextAttemptAt) > Date.parse("2026-11-28T09:00:00Z"), "backed off");
      // The retry goes out once its time has come, with the same content fixed at the first attempt.
      const second = await run(new Date(Date.parse(row?.nextAttemptAt ?? "") + 1).toISOString(), [], once);
      assert.equal(second.sent, 1);
      assert.equal(outbox.length, 1);
    });

    test("a reader with no signals gets trending only; signals bring recommendations with reasons, once", async () => {
      await fresh();
      const papers = await seedDigestPapers(store, 6);
      const quiet = await member(store, "quiet@example.org");
      const keen = await member(store, "keen@example.org");
      const rl = papers.filter((p) => p.topic === "rl");
      const diffusion = papers.filter((p) => p.topic === "diffusion");
      await store.community.setVote(keen.id, rl[0]?.id as never, true);
      await store.community.saveToLibrary(keen.id, rl[1]?.id as never, { tags: ["rl"] });
      await store.digests.dismiss(keen.id, diffusion[0]?.id as string);
      for (const u of [quiet, keen]) {
        await store.digests.subscribe(
          { email: u.email, userId: u.id, schedule: DAILY_UTC, contents: TRENDING_ONLY, confirmed: true },
          T0,
        );
      }
      const outbox: MailMessage[] = [];
      assert.equal((await run("2026-11-26T09:00:00Z", outbox)).sent, 2);
      const quietMail = outbox.find((m) => m.to === "quiet@example.org");
      const keenMail = outbox.find((m) => m.to === "keen@example.org");
      assert.ok(quietMail && keenMail);
      assert.doesNotMatch(quietMail.text, /Recommended for you/, "no signals: no guesses");
      assert.match(quietMail.text, /^Trending$/m);

      const section = keenMail.text.split("Recommended for you")[1]?.split("Trending")[0] ?? "";
      assert.ok(section.length > 0, "the keen reader gets recommendations");
      const recommended = [...section.matchAll(/papers\/(2611\.\d{5})/g)].map((m) => m[1] as string);
      const topicOf = new Map(papers.map((p) => [p.id, p.topic]));
      assert.ok(recommended.length >= 3);
      assert.ok(
        recommended.slice(0, 3).every((id) => topicOf.get(id) === "rl"),
        `rl first: ${recommended.join(" ")}`,
      );
      assert.ok(
        !recommended.includes(rl[0]?.id as string) && !recommended.includes(rl[1]?.id as string),
        "not their own",
      );
      assert.ok(!recommended.includes(diffusion[0]?.id as string), "not a dismissed paper");
      assert.match(
        section,
        /Why: (Like “[^”]+”.* (in your library|you upvoted)|In your tag “[^”]+”, like “[^”]+”) \(matched: [^)]+\)/,
      );

      // The next day's digest never suggests the same papers again.
      assert.equal((await run("2026-11-27T09:00:00Z", outbox)).sent, 2);
      const nextKeen = outbox.filter((m) => m.to === "keen@example.org")[1];
      const again = [
        ...(nextKeen?.text.split("Recommended for you")[1]?.split("Trending")[0] ?? "").matchAll(
          /papers\/(2611\.\d{5})/g,
        ),
      ].map((m) => m[1] as string);
      assert.deepEqual(
        again.filter((id) => recommended.includes(id)),
        [],
      );
      const suggested = await store.digests.suggested(keen.id);
      assert.ok(recommended.every((id) => suggested.has(id)));
    });
  });
}
