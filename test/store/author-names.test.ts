import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { lastNameOf, nameKeyMatcher, namePatterns } from "../../src/core/author-names.ts";

/** Whether a `name_key` is one a name filter's patterns take (the engine's predicate; the stores use LIKE). */
function takes(key: string, nameKey: string): boolean {
  const taken = nameKeyMatcher(key)(nameKey);
  if (taken) assert.equal(lastNameOf(nameKey), lastNameOf(key), "a taken key has the filter's last name");
  return taken;
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
