import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import type { IsoDate } from "../../src/core/index.ts";
import { ManualClock } from "../../src/net/clock.ts";
import { HttpClient, SourceError } from "../../src/net/http-client.ts";
import { HfDailyClient, type HfDay } from "../../src/sources/hf/client.ts";
import {
  type FakeHf,
  forDay,
  JSON_HEADERS,
  jsonReply,
  recordedDay,
  recordedEntries,
  startFakeHf,
} from "../fakes/hf.ts";

const day = (s: string) => s as IsoDate;

/** A recorded day and one of its entries with every enrichment filled in. */
const KNOWN_DAY = day("2025-10-08");
const KNOWN_ID = "2509.26328";

function recordedLength(date: string): number {
  return recordedEntries(date).length;
}

describe("HfDailyClient", () => {
  let server: FakeHf;
  let clock: ManualClock;

  /** A client on the fake, with a manual clock for the back-off and `random` pinned so waits are exact. */
  function client(timeoutMs = 5_000): HfDailyClient {
    const http = new HttpClient({ clock, timeoutMs, random: () => 1 });
    return new HfDailyClient({ baseUrl: server.url, http });
  }

  beforeEach(async () => {
    server = await startFakeHf();
    clock = new ManualClock();
  });
  afterEach(async () => {
    assert.deepEqual(server.unplanned, []);
    await server.close();
  });

  test("a recorded day parses into one item per entry, with every field of a known entry", async () => {
    const result = await client().fetchDay(KNOWN_DAY);
    assert.equal(result.date, KNOWN_DAY);
    assert.deepEqual(result.problems, []);
    assert.equal(result.items.length, recordedLength(KNOWN_DAY));
    assert.equal(result.items.length, 23);

    const item = result.items.find((i) => i.paper.id === KNOWN_ID);
    assert.ok(item, `${KNOWN_ID} is on ${KNOWN_DAY}`);
    assert.deepEqual(item.daily, {
      date: KNOWN_DAY,
      paperId: KNOWN_ID,
      source: "hf-daily",
      submitter: { name: "WuChengyue", fullname: "Wu Chengyue" },
      organization: { name: "nvidia", fullname: "NVIDIA" },
      // The submitter's avatar is a relative, generated SVG: left out (cards draw their own placeholder).
      media: {
        thumbnail: "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2509.26328.png",
        submitterAvatar: null,
        organizationAvatar:
          "https://cdn-uploads.huggingface.co/production/uploads/1613114437487-60262a8e0703121c822a80b6.png",
      },
      upvotes: 20,
      numComments: 4,
    });
    assert.equal(item.paper.title, "Fast-dLLM v2: Efficient Block-Diffusion LLM");
    assert.equal(item.paper.codeUrl, "https://github.com/NVlabs/Fast-dLLM");
    assert.equal(item.paper.githubStars, 512);
    assert.equal(item.paper.projectUrl, "https://nvlabs.github.io/Fast-dLLM/v2/");
    assert.match(
      item.paper.aiSummary ?? "",
      /^Fast-dLLM v2, a block diffusion language model, efficiently converts/,
    );
    assert.equal(item.paper.aiKeywords?.length, 10);
    assert.equal(item.paper.aiKeywords?.[0], "autoregressive models");
    assert.equal(item.paper.authors?.length, 10);
    assert.deepEqual(item.paper.sources, ["hf-daily"]);
    assert.deepEqual(server.datesRequested(), [KNOWN_DAY]);
  });

  test("a date with no list is an empty day, whether the API answers [] or 404", async () => {
    const empty = await client().fetchDay(day("2024-06-01"));
    assert.deepEqual(empty, { date: "2024-06-01", items: [], problems: [] });

    server.inject(forDay("2024-06-02"), jsonReply({ error: "Not Found" }, 404));
    const missing = await client().fetchDay(day("2024-06-02"));
    assert.deepEqual(missing, { date: "2024-06-02", items: [], problems: [] });
    assert.deepEqual(clock.sleeps, []);
  });

  test("a range runs oldest first, one request a day, across a weekend with no lists", async () => {
    const days: HfDay[] = [];
    for await (const d of client().fetchRange(day("2024-05-31"), day("2024-06-03"))) days.push(d);
    assert.deepEqual(
      days.map((d) => [d.date, d.items.length, d.problems.length]),
      [
        ["2024-05-31", 11, 0],
        ["2024-06-01", 0, 0],
        ["2024-06-02", 0, 0],
        ["2024-06-03", 6, 0],
      ],
    );
    assert.deepEqual(server.datesRequested(), ["2024-05-31", "2024-06-01", "2024-06-02", "2024-06-03"]);
    assert.ok(days[3]?.items.every((i) => i.daily.date === "2024-06-03"));
  });

  test("a range of one day, and a range that ends before it starts", async () => {
    const one: string[] = [];
    for await (const d of client().fetchRange(KNOWN_DAY, KNOWN_DAY)) one.push(d.date);
    assert.deepEqual(one, [KNOWN_DAY]);
    await assert.rejects(async () => {
      for await (const _ of client().fetchRange(day("2024-06-03"), day("2024-05-31")))
        assert.fail("no day expected");
    }, /starts \(2024-06-03\) after it ends \(2024-05-31\)/);
  });

  test("fetching a day again picks up changed upvote and comment counts", async () => {
    const before = await client().fetchDay(KNOWN_DAY);
    assert.equal(before.items.find((i) => i.paper.id === KNOWN_ID)?.daily.upvotes, 20);

    const entries = recordedEntries(KNOWN_DAY);
    const entry = entries.find((e) => (e.paper as { id: string }).id === KNOWN_ID);
    assert.ok(entry);
    (entry.paper as { upvotes: number }).upvotes = 57;
    entry.numComments = 9;
    server.setDay(KNOWN_DAY, jsonReply(entries));

    const after = await client().fetchDay(KNOWN_DAY);
    const updated = after.items.find((i) => i.paper.id === KNOWN_ID);
    assert.equal(updated?.daily.upvotes, 57);
    assert.equal(updated?.daily.numComments, 9);
    assert.equal(after.items.length, before.items.length);
  });

  test("a bad entry is a problem with its position and reason; the others still parse", async () => {
    const entries: unknown[] = recordedEntries(KNOWN_DAY);
    entries[2] = { paper: { id: "not-an-arxiv-id", title: "x" } };
    entries[5] = { title: "no paper object" };
    server.setDay(KNOWN_DAY, jsonReply(entries));
    const result = await client().fetchDay(KNOWN_DAY);
    assert.equal(result.items.length, 21);
    assert.deepEqual(
      result.problems.map((p) => p.entry),
      [3, 6],
    );
    assert.match(result.problems[0]?.reason ?? "", /not-an-arxiv-id/);
    assert.match(result.problems[1]?.reason ?? "", /^paper: /);
  });

  test("a 503 with Retry-After is waited out exactly, then the day is read", async () => {
    server.inject(forDay(KNOWN_DAY), {
      status: 503,
      headers: { "retry-after": "7" },
      body: "Service Unavailable",
    });
    const result = await client().fetchDay(KNOWN_DAY);
    assert.equal(result.items.length, 23);
    assert.deepEqual(clock.sleeps, [7_000]);
    assert.deepEqual(server.datesRequested(), [KNOWN_DAY, KNOWN_DAY]);
  });

  test("a 429 with Retry-After is waited out too", async () => {
    server.inject(forDay(KNOWN_DAY), {
      status: 429,
      headers: { "retry-after": "30" },
      body: "Too Many Requests",
    });
    const result = await client().fetchDay(KNOWN_DAY);
    assert.equal(result.items.length, 23);
    assert.deepEqual(clock.sleeps, [30_000]);
  });

  test("a request that hangs past the timeout is retried after the back-off", async () => {
    server.inject(forDay(KNOWN_DAY), { hang: true });
    const result = await client(100).fetchDay(KNOWN_DAY);
    assert.equal(result.items.length, 23);
    // First retry: the base delay of 1 s (the jitter is pinned to its maximum).
    assert.deepEqual(clock.sleeps, [1_000]);
    assert.deepEqual(server.datesRequested(), [KNOWN_DAY, KNOWN_DAY]);
  });

  test("a connection cut half way through the body is retried", async () => {
    server.inject(forDay(KNOWN_DAY), {
      headers: JSON_HEADERS,
      body: recordedDay(KNOWN_DAY) ?? "",
      truncate: true,
    });
    const result = await client().fetchDay(KNOWN_DAY);
    assert.equal(result.items.length, 23);
    assert.equal(clock.sleeps.length, 1);
  });

  test("the wrapped {status, date, count, data} file with string entries gives problems and no items", async () => {
    const wrappedDay = "2025-01-10";
    server.setDay(wrappedDay, { headers: JSON_HEADERS, body: recordedDay(wrappedDay, "malformed") ?? "" });
    const result = await client().fetchDay(day(wrappedDay));
    assert.deepEqual(result.items, []);
    assert.equal(result.problems.length, 9);
    assert.deepEqual(
      result.problems.map((p) => p.entry),
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    for (const p of result.problems) assert.match(p.reason, /entry is a string, not an object/);
  });

  test("a list of Python-repr strings gives one problem per entry and no items", async () => {
    const reprDay = "2024-12-11";
    server.setDay(reprDay, { headers: JSON_HEADERS, body: recordedDay(reprDay, "malformed") ?? "" });
    const result = await client().fetchDay(day(reprDay));
    assert.deepEqual(result.items, []);
    assert.equal(result.problems.length, 26);
  });

  test("a wrapper for another day is refused rather than filed under the wrong date", async () => {
    server.setDay("2025-01-11", {
      headers: JSON_HEADERS,
      body: recordedDay("2025-01-10", "malformed") ?? "",
    });
    await assert.rejects(client().fetchDay(day("2025-01-11")), (error: unknown) => {
      assert.ok(error instanceof SourceError);
      assert.equal(error.kind, "parse");
      assert.match(error.message, /wrapped with date "2025-01-10", not the 2025-01-11 asked for/);
      return true;
    });
  });

  test("an HTML page with status 200 is a clear parse error, not an empty day", async () => {
    server.setDay(KNOWN_DAY, {
      headers: { "content-type": "text/html; charset=utf-8" },
      body: "<!DOCTYPE html><html><body><h1>We'll be right back</h1></body></html>",
    });
    await assert.rejects(client().fetchDay(KNOWN_DAY), (error: unknown) => {
      assert.ok(error instanceof SourceError);
      assert.equal(error.kind, "parse");
      assert.equal(error.retryable, false);
      assert.match(
        error.message,
        /expected a JSON array of daily papers from .*, got an HTML page \(text\/html/,
      );
      return true;
    });
    assert.deepEqual(clock.sleeps, []);
  });

  test("a body cut short but delivered whole, or a JSON object, is a clear parse error", async () => {
    const body = recordedDay(KNOWN_DAY) ?? Buffer.alloc(0);
    server.setDay(KNOWN_DAY, { headers: JSON_HEADERS, body: body.subarray(0, 5_000) });
    await assert.rejects(client().fetchDay(KNOWN_DAY), /got a body that is not JSON/);

    server.setDay(KNOWN_DAY, jsonReply({ error: "Invalid date" }));
    await assert.rejects(client().fetchDay(KNOWN_DAY), /got an object with keys error/);

    server.setDay(KNOWN_DAY, { headers: JSON_HEADERS, body: "" });
    await assert.rejects(client().fetchDay(KNOWN_DAY), /got an empty body/);
  });
});
