import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { namePatterns } from "../../src/store/search/filters.ts";

/** Whether a `name_key` is one a name filter's patterns take (LIKE as both stores read it). */
function takes(key: string, nameKey: string): boolean {
  const { exact, like } = namePatterns(key);
  const regex = (pattern: string) => new RegExp(`^${pattern.replaceAll("%", ".*")}$`);
  return exact.includes(nameKey) || like.some((p) => regex(p).test(nameKey));
}

describe("author name patterns", () => {
  test("one word is a last name", () => {
    assert.ok(takes("pfister", "tomas pfister"));
    assert.ok(takes("pfister", "t pfister"));
    assert.ok(takes("pfister", "pfister"));
    assert.ok(!takes("pfister", "pfister tomas"));
    assert.ok(!takes("pfister", "tomas pfisterer"));
  });

  test("first names match in full or as initials, middle names allowed, never as a last name", () => {
    assert.ok(takes("tomas pfister", "tomas pfister"));
    assert.ok(takes("tomas pfister", "t pfister"));
    assert.ok(takes("tomas pfister", "tomas j pfister"));
    assert.ok(takes("t pfister", "tomas pfister"));
    assert.ok(takes("t pfister", "t j pfister"));
    assert.ok(!takes("tomas pfister", "r tomas"), "R. Tomàs is another person");
    assert.ok(!takes("tomas pfister", "thomas pfister"), "another first name");
    assert.ok(!takes("tomas pfister", "tomasz pfister"));
    assert.ok(!takes("tomas pfister", "pfister"));
  });

  test("many first names are matched only in full", () => {
    assert.deepEqual(namePatterns("a b c d smith"), { exact: ["a b c d smith"], like: [] });
  });
});
