import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { absUrl, isArxivId, parseArxivId, pdfUrl, toArxivId } from "../../src/core/index.ts";

describe("parseArxivId", () => {
  const cases: [string, string, number | null][] = [
    ["2405.15738", "2405.15738", null],
    ["2405.15738v2", "2405.15738", 2],
    ["arXiv:2405.15738v12", "2405.15738", 12],
    ["  2405.15738 ", "2405.15738", null],
    ["0704.0001", "0704.0001", null],
    ["1412.9999v3", "1412.9999", 3],
    ["hep-th/9901001", "hep-th/9901001", null],
    ["hep-th/9901001v1", "hep-th/9901001", 1],
    ["acc-phys/9411001", "acc-phys/9411001", null],
    ["quant-ph/0201082v1", "quant-ph/0201082", 1],
    ["math.GT/0309136", "math/0309136", null],
    ["cond-mat.stat-mech/0101001", "cond-mat/0101001", null],
    ["https://arxiv.org/abs/2405.15738v2", "2405.15738", 2],
    ["http://export.arxiv.org/abs/hep-th/9901001", "hep-th/9901001", null],
    ["https://arxiv.org/pdf/2405.15738v1.pdf", "2405.15738", 1],
    ["https://arxiv.org/pdf/2405.15738", "2405.15738", null],
    ["https://huggingface.co/papers/2405.15738", "2405.15738", null],
    ["https://arxiv.org/abs/2405.15738?context=cs", "2405.15738", null],
  ];
  for (const [input, id, version] of cases) {
    test(`reads ${JSON.stringify(input)}`, () => {
      assert.deepEqual(parseArxivId(input), { id, version });
    });
  }

  const bad: [string, RegExp][] = [
    ["", /empty/],
    ["abc", /expected YYMM/],
    ["0000.0000", /month 00/],
    ["2413.00001", /month 13/],
    ["0612.0001", /start in 0704/],
    ["1501.0001", /five digits/],
    ["1412.00001", /four digits/],
    ["2405.15738v0", /version/],
    ["2405.157", /expected/],
    ["HEP-TH/9901001", /expected/],
    ["hep-th/990100", /expected/],
    ["2405.15738; drop table papers", /expected/],
    ["x".repeat(500), /too long/],
  ];
  for (const [input, why] of bad) {
    test(`rejects ${JSON.stringify(input.slice(0, 30))} with a reason naming it`, () => {
      assert.throws(
        () => parseArxivId(input),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, "invalid_arxiv_id");
          assert.match(error.message, why);
          assert.ok(error.message.includes(input.slice(0, 20)), "the message names the input");
          return true;
        },
      );
    });
  }

  test("toArxivId accepts only the canonical form", () => {
    assert.equal(toArxivId("2405.15738"), "2405.15738");
    assert.throws(() => toArxivId("2405.15738v2"), /canonical form is "2405.15738"/);
    assert.throws(() => toArxivId("arXiv:2405.15738"), /canonical/);
  });

  test("isArxivId and links", () => {
    assert.equal(isArxivId("hep-th/9901001"), true);
    assert.equal(isArxivId("nope"), false);
    const { id } = parseArxivId("2405.15738");
    assert.equal(absUrl(id), "https://arxiv.org/abs/2405.15738");
    assert.equal(pdfUrl(id, 2), "https://arxiv.org/pdf/2405.15738v2");
  });
});
