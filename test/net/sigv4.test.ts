import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EMPTY_SHA256, signV4, uriEncode } from "../../src/net/sigv4.ts";

/** The example credentials of the Amazon S3 Signature Version 4 documentation. */
const EXAMPLE = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  region: "us-east-1",
};
const AT = new Date("2013-05-24T00:00:00Z");

describe("AWS Signature Version 4 against the S3 documentation's examples", () => {
  test("GET object with a Range header signs to the published signature", () => {
    const { signature, authorization } = signV4(
      {
        method: "GET",
        path: "/test.txt",
        headers: {
          Host: "examplebucket.s3.amazonaws.com",
          Range: "bytes=0-9",
          "x-amz-content-sha256": EMPTY_SHA256,
          "x-amz-date": "20130524T000000Z",
        },
        payloadHash: EMPTY_SHA256,
      },
      EXAMPLE,
      AT,
    );
    assert.equal(signature, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    assert.equal(
      authorization,
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request," +
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date," +
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
    );
  });

  test("any change to what is signed changes the signature", () => {
    const base = {
      method: "GET",
      path: "/test.txt",
      headers: { host: "examplebucket.s3.amazonaws.com", "x-amz-date": "20130524T000000Z" },
      payloadHash: EMPTY_SHA256,
    };
    const sig = (r: typeof base & { query?: Record<string, string> }, secret = EXAMPLE.secretAccessKey) =>
      signV4(r, { ...EXAMPLE, secretAccessKey: secret }, AT).signature;
    const reference = sig(base);
    assert.notEqual(sig({ ...base, method: "PUT" }), reference);
    assert.notEqual(sig({ ...base, path: "/test.txT" }), reference);
    assert.notEqual(sig({ ...base, query: { prefix: "a" } }), reference);
    assert.notEqual(sig(base, `${EXAMPLE.secretAccessKey}x`), reference);
    // Query order does not matter: parameters are sorted before signing.
    assert.equal(
      sig({ ...base, query: { "list-type": "2", prefix: "a b" } }),
      sig({ ...base, query: { prefix: "a b", "list-type": "2" } }),
    );
  });

  test("keys are encoded as SigV4 wants: unreserved characters kept, slashes kept in paths, spaces as %20", () => {
    assert.equal(uriEncode("builds/build-1/engine.pbs", true), "builds/build-1/engine.pbs");
    assert.equal(uriEncode("a b+c=d/é", true), "a%20b%2Bc%3Dd/%C3%A9");
    assert.equal(uriEncode("a/b"), "a%2Fb");
  });
});
