/**
 * Which IP addresses Paperboy's outbound requests may reach: public unicast only. Everything else (this host,
 * the operator's private networks, cloud metadata at 169.254.169.254, multicast, ranges kept for
 * documentation or benchmarks) is refused, in every spelling: `127.1`, `0x7f000001` and `2130706433` are
 * 127.0.0.1, and IPv6 forms that carry an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible
 * `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`, Teredo `2001::/32`) are judged by the IPv4 address
 * they carry. Pure functions; the tables below are the whole rule.
 */
import ipaddr from "ipaddr.js";

export type AddressKind =
  | "public"
  | "unspecified"
  | "loopback"
  | "private"
  | "sharedCgnat"
  | "linkLocal"
  | "uniqueLocal"
  | "siteLocal"
  | "multicast"
  | "broadcast"
  | "benchmarking"
  | "documentation"
  | "reserved"
  | "invalid";

export interface AddressVerdict {
  /** The address as ipaddr.js writes it (dotted quad, compressed IPv6), or the input when it is not one. */
  address: string;
  kind: AddressKind;
  /** For an IPv6 form carrying an IPv4 address: the IPv4 address that was judged instead. */
  embedded?: string;
}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];
const table = (rows: [string, AddressKind][]): [Cidr, AddressKind][] =>
  rows.map(([cidr, kind]) => [ipaddr.parseCIDR(cidr), kind]);

/** IPv4 ranges that are not public unicast; the first match names the kind. */
const IPV4_REFUSED = table([
  ["0.0.0.0/8", "unspecified"], // "this network", RFC 791
  ["10.0.0.0/8", "private"], // RFC 1918
  ["100.64.0.0/10", "sharedCgnat"], // carrier-grade NAT, RFC 6598
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "linkLocal"], // RFC 3927; cloud metadata lives at 169.254.169.254
  ["172.16.0.0/12", "private"],
  ["192.0.0.0/24", "reserved"], // IETF protocol assignments, RFC 6890
  ["192.0.2.0/24", "documentation"], // TEST-NET-1, RFC 5737
  ["192.88.99.0/24", "reserved"], // former 6to4 relay anycast, RFC 7526
  ["192.168.0.0/16", "private"],
  ["198.18.0.0/15", "benchmarking"], // RFC 2544
  ["198.51.100.0/24", "documentation"], // TEST-NET-2
  ["203.0.113.0/24", "documentation"], // TEST-NET-3
  ["224.0.0.0/4", "multicast"],
  ["255.255.255.255/32", "broadcast"],
  ["240.0.0.0/4", "reserved"], // class E, RFC 1112
]);

/**
 * IPv6 ranges that are not public unicast, checked after the forms that carry an IPv4 address. Whatever lies
 * outside 2000::/3, the only block IANA hands out as global unicast, is refused as reserved.
 */
const IPV6_REFUSED = table([
  ["64:ff9b:1::/48", "private"], // local-use NAT64, RFC 8215
  ["fc00::/7", "uniqueLocal"], // RFC 4193
  ["fe80::/10", "linkLocal"],
  ["fec0::/10", "siteLocal"], // deprecated, RFC 3879
  ["ff00::/8", "multicast"],
  ["2001:2::/48", "benchmarking"], // RFC 5180
  ["2001:db8::/32", "documentation"], // RFC 3849
  ["3fff::/20", "documentation"], // RFC 9637
  ["2001::/23", "reserved"], // IETF protocol assignments, RFC 2928
]);
const GLOBAL_UNICAST = ipaddr.parseCIDR("2000::/3");

function firstMatch(ip: ipaddr.IPv4 | ipaddr.IPv6, rows: [Cidr, AddressKind][]): AddressKind | null {
  for (const [cidr, kind] of rows) if (ip.kind() === cidr[0].kind() && ip.match(cidr)) return kind;
  return null;
}

function ipv4From(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/** The IPv4 addresses an IPv6 address carries (none for a plain IPv6 address). */
function embeddedIpv4(ip: ipaddr.IPv6): ipaddr.IPv4[] {
  const p = ip.parts as [number, number, number, number, number, number, number, number];
  const zeroes = (from: number, to: number) => p.slice(from, to).every((x) => x === 0);
  // IPv4-mapped ::ffff:a.b.c.d and IPv4-compatible ::a.b.c.d (deprecated, RFC 4291).
  if (zeroes(0, 5) && (p[5] === 0xffff || p[5] === 0)) return [ipv4From(p[6], p[7])];
  // NAT64 well-known prefix, RFC 6052.
  if (p[0] === 0x64 && p[1] === 0xff9b && zeroes(2, 6)) return [ipv4From(p[6], p[7])];
  // 6to4, RFC 3056: the site's IPv4 address follows the prefix.
  if (p[0] === 0x2002) return [ipv4From(p[1], p[2])];
  // Teredo, RFC 4380: the server's IPv4 address, then the client's with every bit flipped.
  if (p[0] === 0x2001 && p[1] === 0) return [ipv4From(p[2], p[3]), ipv4From(~p[6] & 0xffff, ~p[7] & 0xffff)];
  return [];
}

function classifyIpv4(ip: ipaddr.IPv4): AddressKind {
  return firstMatch(ip, IPV4_REFUSED) ?? "public";
}

/**
 * What kind of address `text` is. Accepts every spelling ipaddr.js reads (dotted, shortened, hex, octal or
 * one number for IPv4; IPv6 with or without brackets and zone); anything else is `invalid`.
 */
export function classifyAddress(text: string): AddressVerdict {
  const bare = text.trim().replace(/^\[(.*)\]$/, "$1");
  if (!ipaddr.isValid(bare)) return { address: text, kind: "invalid" };
  const ip = ipaddr.parse(bare);
  const address = ip.toString();
  if (ip.kind() === "ipv4") return { address, kind: classifyIpv4(ip as ipaddr.IPv4) };
  const v6 = ip as ipaddr.IPv6;
  if (v6.parts.every((x) => x === 0)) return { address, kind: "unspecified" };
  if (v6.parts.slice(0, 7).every((x) => x === 0) && v6.parts[7] === 1) return { address, kind: "loopback" };
  const carried = embeddedIpv4(v6);
  if (carried.length > 0) {
    for (const v4 of carried) {
      const kind = classifyIpv4(v4);
      if (kind !== "public") return { address, kind, embedded: v4.toString() };
    }
    return { address, kind: "public", embedded: carried.map(String).join(", ") };
  }
  const kind = firstMatch(v6, IPV6_REFUSED) ?? (v6.match(GLOBAL_UNICAST) ? "public" : "reserved");
  return { address, kind };
}

export function isPublicAddress(text: string): boolean {
  return classifyAddress(text).kind === "public";
}

const KIND_NAMES: Record<AddressKind, string> = {
  public: "a public address",
  unspecified: "an unspecified address",
  loopback: "a loopback address",
  private: "a private address",
  sharedCgnat: "a carrier-grade NAT address",
  linkLocal: "a link-local address",
  uniqueLocal: "a unique local (private) address",
  siteLocal: "a site-local address",
  multicast: "a multicast address",
  broadcast: "a broadcast address",
  benchmarking: "a benchmarking address",
  documentation: "a documentation address",
  reserved: "a reserved address",
  invalid: "not an IP address",
};

/** A phrase for messages: "a private address (10.0.0.3)", "a loopback address (::ffff:7f00:1, i.e. 127.0.0.1)". */
export function describeAddress(verdict: AddressVerdict): string {
  const carried = verdict.embedded ? `, i.e. ${verdict.embedded}` : "";
  return `${KIND_NAMES[verdict.kind]} (${verdict.address}${carried})`;
}
