/**
 * Who the client is, network-wise. Without trusted proxies the socket's address is the client's and forwarded
 * headers are ignored (anyone can send them). With `PAPERBOY_TRUSTED_PROXIES`, a request whose socket address is
 * one of those proxies is read through its `X-Forwarded-For`: from the right, skipping the trusted hops, the
 * first address that is not a trusted proxy is the client (the left part of the header is whatever the client
 * wrote, so it is never believed). Rate limits, logs and anything else that needs the address use this.
 */
import type { MiddlewareHandler } from "hono";
import ipaddr from "ipaddr.js";
import type { AppEnv } from "./env.ts";

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

/** Parses an address, folding IPv4-mapped IPv6 (`::ffff:1.2.3.4`) into IPv4; null when it is none. */
function parseAddress(text: string): Address | null {
  // Some proxies write the client's port too: `[v6]:port`, `v4:port`.
  const bare = text
    .trim()
    .replace(/^\[(.*)\](?::\d+)?$/, "$1")
    .replace(/^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/, "$1")
    .replace(/%.*$/, "");
  if (!ipaddr.isValid(bare)) return null;
  return ipaddr.process(bare);
}

/** The trusted-proxy list as ranges; `loopback` stands for 127.0.0.0/8 and ::1. */
export function proxyRanges(entries: readonly string[]): Range[] {
  const ranges: Range[] = [];
  for (const entry of entries) {
    if (entry === "loopback") {
      ranges.push(ipaddr.parseCIDR("127.0.0.0/8"), ipaddr.parseCIDR("::1/128"));
      continue;
    }
    if (entry.includes("/")) {
      const [address, bits] = ipaddr.parseCIDR(entry);
      ranges.push([address.kind() === "ipv6" ? ipaddr.process(address.toString()) : address, bits]);
      if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
        ranges.push([(address as ipaddr.IPv6).toIPv4Address(), Math.max(0, bits - 96)]);
      }
      continue;
    }
    const address = parseAddress(entry);
    if (address) ranges.push([address, address.kind() === "ipv4" ? 32 : 128]);
  }
  return ranges;
}

function trusted(address: Address, ranges: readonly Range[]): boolean {
  return ranges.some(([base, bits]) => base.kind() === address.kind() && address.match(base, bits));
}

/**
 * The client's address for a request that arrived from `socketAddress` with `forwardedFor` (the
 * X-Forwarded-For header, possibly several joined by commas). "unknown" when the socket gave none.
 */
export function resolveClientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
  ranges: readonly Range[],
): string {
  const socket = socketAddress ? parseAddress(socketAddress) : null;
  if (!socket) return socketAddress ?? "unknown";
  if (ranges.length === 0 || !trusted(socket, ranges) || !forwardedFor) return socket.toString();
  const hops = forwardedFor
    .split(",")
    .map((hop) => hop.trim())
    .filter((hop) => hop !== "");
  let client: Address = socket;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseAddress(hops[i] as string);
    // A hop that is no address (garbage, "unknown") ends the trusted chain: the last good one answers.
    if (!hop) break;
    client = hop;
    if (!trusted(hop, ranges)) break;
  }
  return client.toString();
}

/**
 * The share of the address space one client controls, as rate limits count it: an IPv4 address whole, an
 * IPv6 address by its /64 (a home or a server gets a whole /64, so counting single addresses would hand
 * every client 2^64 fresh counters).
 */
export function rateLimitBucket(address: string): string {
  const parsed = parseAddress(address);
  if (!parsed || parsed.kind() === "ipv4") return address;
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(":")}::/64`;
}

/** Sets `clientIp` for every request, once; mount first. */
export function clientAddress(trustedProxies: readonly string[]): MiddlewareHandler<AppEnv> {
  const ranges = proxyRanges(trustedProxies);
  return async (c, next) => {
    const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
    c.set(
      "clientIp",
      resolveClientAddress(env?.incoming?.socket?.remoteAddress, c.req.header("x-forwarded-for"), ranges),
    );
    await next();
  };
}
