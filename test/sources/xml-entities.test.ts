import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decodeXmlEntities } from "../../src/sources/arxiv/atom.ts";

describe("XML entities in feed text", () => {
  test("the five named entities and numeric references are decoded", () => {
    assert.equal(
      decodeXmlEntities("a &lt; b &amp;&amp; c &gt; d &quot;q&quot; &apos;s"),
      `a < b && c > d "q" 's`,
    );
    assert.equal(decodeXmlEntities("&#233;t&#xE9;"), "été");
  });

  test("unknown names, out-of-range codes and Object.prototype's member names stay as written", () => {
    for (const text of ["&nbsp;", "&constructor;", "&toString;", "&hasOwnProperty;", "&#x110000;"]) {
      assert.equal(decodeXmlEntities(text), text);
    }
  });
});
