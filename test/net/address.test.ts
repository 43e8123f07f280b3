import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  type AddressKind,
  classifyAddress,
  describeAddress,
  isPublicAddress,
} from "../../src/net/address.ts";

/** Every address Paperboy must not call, in the spellings an attacker would try, with the kind it is. */
const REFUSED: [string, AddressKind][] = [
  // Loopback, however 127.0.0.1 is written.
  ["127.0.0.1", "loopback"],
  ["127.1", "loopback"],
  ["0x7f000001", "loopback"],
  ["2130706433", "loopback"],
  ["0177.0.0.1", "loopback"],
  ["127.255.255.254", "loopback"],
  ["::1", "loopback"],
  ["[::1]", "loopback"],
  ["0:0:0:0:0:0:0:1", "loopback"],
  // Unspecified.
  ["0.0.0.0", "unspecified"],
  ["0", "unspecified"],
  ["0.1.2.3", "unspecified"],
  ["::", "unspecified"],
  // RFC 1918, CGNAT, link-local (cloud metadata), ULA, site-local.
  ["10.0.0.3", "private"],
  ["172.16.0.1", "private"],
  ["172.31.255.255", "private"],
  ["192.168.1.1", "private"],
  ["100.64.0.1", "sharedCgnat"],
  ["100.127.255.255", "sharedCgnat"],
  ["169.254.169.254", "linkLocal"],
  ["169.254.0.1", "linkLocal"],
  ["fe80::1", "linkLocal"],
  ["fe80::1%eth0", "linkLocal"],
  ["fc00::1", "uniqueLocal"],
  ["fd12:3456:789a::1", "uniqueLocal"],
  ["fec0::1", "siteLocal"],
  ["64:ff9b:1::a00:1", "private"],
  // Multicast and broadcast.
  ["224.0.0.1", "multicast"],
  ["239.255.255.250", "multicast"],
  ["ff02::1", "multicast"],
  ["255.255.255.255", "broadcast"],
  // Reserved, benchmarking, documentation.
  ["240.0.0.1", "reserved"],
  ["192.0.0.8", "reserved"],
  ["192.88.99.1", "reserved"],
  ["198.18.0.1", "benchmarking"],
  ["198.19.255.255", "benchmarking"],
  ["2001:2::1", "benchmarking"],
  ["192.0.2.1", "documentation"],
  ["198.51.100.7", "documentation"],
  ["203.0.113.9", "documentation"],
  ["2001:db8::1", "documentation"],
  ["3fff::1", "documentation"],
  ["100::1", "reserved"],
  ["2001:10::1", "reserved"],
  ["::ffff:0:7f00:1", "reserved"],
  // IPv6 forms that carry a refused IPv4 address.
  ["::ffff:127.0.0.1", "loopback"],
  ["::ffff:7f00:1", "loopback"],
  ["[::ffff:127.0.0.1]", "loopback"],
  ["::ffff:169.254.169.254", "linkLocal"],
  ["::ffff:10.0.0.1", "private"],
  ["::7f00:1", "loopback"],
  ["::a00:1", "private"],
  ["64:ff9b::7f00:1", "loopback"],
  ["64:ff9b::a9fe:a9fe", "linkLocal"],
  ["2002:7f00:1::1", "loopback"],
  ["2002:a00:1::1", "private"],
  ["2002:a9fe:a9fe::", "linkLocal"],
  ["2001:0:7f00:1::", "loopback"], // Teredo whose server is 127.0.0.1
  ["2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"], // Teredo whose client is 127.0.0.1 (bits flipped)
  // Not addresses at all.
  ["localhost", "invalid"],
  ["example.com", "invalid"],
  ["999.1.1.1", "invalid"],
  ["", "invalid"],
];

const PUBLIC = [
  "8.8.8.8",
  "1.1.1.1",
  "93.184.216.34",
  "100.63.255.255",
  "100.128.0.0",
  "172.15.255.255",
  "172.32.0.0",
  "192.169.0.1",
  "198.17.255.255",
  "198.20.0.0",
  "223.255.255.255",
  "2606:4700:4700::1111",
  "2001:4860:4860::8888",
  "2a00:1450:4001::1",
  "::ffff:8.8.8.8",
  "64:ff9b::808:808",
  "2002:808:808::1",
  "2001:0:4136:e378:8000:63bf:f7f7:f7f7", // Teredo: server 65.54.227.120, client 8.8.8.8
];

describe("outbound address rules", () => {
  test("refuses every address that is not public unicast, in every spelling", () => {
    for (const [address, kind] of REFUSED) {
      assert.equal(classifyAddress(address).kind, kind, address);
      assert.equal(isPublicAddress(address), false, address);
    }
  });

  test("accepts public unicast addresses, IPv6 forms carrying a public IPv4 included", () => {
    for (const address of PUBLIC) assert.equal(classifyAddress(address).kind, "public", address);
  });

  test("an IPv6 form carrying an IPv4 address is judged as that IPv4 address", () => {
    const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
    fc.assert(
      fc.property(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)), ([a, b, c, d]) => {
        const v4 = classifyAddress(`${a}.${b}.${c}.${d}`).kind;
        const [high, low] = [hex(a, b), hex(c, d)];
        for (const v6 of [
          `::ffff:${a}.${b}.${c}.${d}`,
          `64:ff9b::${high}:${low}`,
          `2002:${high}:${low}::1`,
        ]) {
          assert.equal(classifyAddress(v6).kind, v4, v6);
        }
      }),
    );
  });

  test("names what an address is, and the IPv4 address an IPv6 form carries", () => {
    assert.equal(describeAddress(classifyAddress("10.0.0.3")), "a private address (10.0.0.3)");
    assert.equal(describeAddress(classifyAddress("2130706433")), "a loopback address (127.0.0.1)");
    assert.equal(
      describeAddress(classifyAddress("::ffff:169.254.169.254")),
      "a link-local address (::ffff:a9fe:a9fe, i.e. 169.254.169.254)",
    );
  });
});
