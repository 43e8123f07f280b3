/** How the client's address is read: the socket's, or through trusted proxies only. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { proxyRanges, rateLimitBucket, resolveClientAddress } from "../../src/http/client-address.ts";

describe("client address", () => {
  const none = proxyRanges([]);
  const loopback = proxyRanges(["loopback"]);
  const chain = proxyRanges(["10.0.0.0/8", "192.0.2.7"]);

  test("without trusted proxies the socket is the client and forwarded headers are ignored", () => {
    assert.equal(resolveClientAddress("203.0.113.9", "198.51.100.1", none), "203.0.113.9");
    assert.equal(resolveClientAddress("127.0.0.1", "198.51.100.1", none), "127.0.0.1");
    assert.equal(resolveClientAddress("::ffff:203.0.113.9", undefined, none), "203.0.113.9");
    assert.equal(resolveClientAddress(undefined, "198.51.100.1", none), "unknown");
  });

  test("a trusted proxy's header is read from the right; what the client wrote on the left is not believed", () => {
    assert.equal(resolveClientAddress("127.0.0.1", "198.51.100.1", loopback), "198.51.100.1");
    assert.equal(resolveClientAddress("::1", "1.1.1.1, 198.51.100.1", loopback), "198.51.100.1");
    assert.equal(
      resolveClientAddress("10.1.2.3", "6.6.6.6, 198.51.100.1, 192.0.2.7, 10.9.9.9", chain),
      "198.51.100.1",
    );
    // An untrusted socket's header is ignored entirely.
    assert.equal(resolveClientAddress("203.0.113.9", "198.51.100.1", loopback), "203.0.113.9");
    // Ports some proxies add are dropped; garbage ends the chain at the last good hop.
    assert.equal(resolveClientAddress("127.0.0.1", "198.51.100.1:5555", loopback), "198.51.100.1");
    assert.equal(resolveClientAddress("127.0.0.1", "[2001:db8::1]:443", loopback), "2001:db8::1");
    assert.equal(resolveClientAddress("127.0.0.1", "unknown", loopback), "127.0.0.1");
  });

  test("rate limits count IPv4 addresses whole and IPv6 by their /64", () => {
    assert.equal(rateLimitBucket("198.51.100.1"), "198.51.100.1");
    assert.equal(rateLimitBucket("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
    assert.equal(rateLimitBucket("2001:db8:1:2:ffff::9"), "2001:db8:1:2::/64");
    assert.equal(rateLimitBucket("unknown"), "unknown");
  });
});
