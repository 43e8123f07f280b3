/**
 * Requests to URLs that users typed (webhooks, Slack), made so they cannot reach what the server itself can:
 * the URL's host is resolved and every address it resolves to must be public (see `address.ts`) unless the
 * operator allow-listed the host name; the connection then goes to those checked addresses only (a custom
 * `lookup` hands the socket nothing else), so a name that resolves differently a moment later (DNS
 * rebinding) changes nothing. TLS still verifies the certificate against the host name. Redirects are never
 * followed, connecting and answering are bounded in time, and at most `maxBodyBytes` of the answer are read.
 */
import { lookup } from "node:dns/promises";
import * as http from "node:http";
import * as https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { classifyAddress, describeAddress } from "./address.ts";

/** What the operator lets outbound requests reach beyond public addresses. */
export interface OutboundPolicy {
  /**
   * Host names (or IP literals) exempt from the address check, e.g. an internal webhook receiver. Matched
   * exactly against the URL's host, case-insensitively; nothing else is exempt.
   */
  allowHosts: readonly string[];
}

export interface OutboundLimits {
  /** Time to resolve the host name, and again to open the TCP connection. */
  connectTimeoutMs: number;
  /** Time for the whole exchange, from resolving the name to the last byte read. */
  timeoutMs: number;
  /** Bytes of the answer kept; the connection is closed once they are read. */
  maxBodyBytes: number;
}

export const OUTBOUND_LIMITS: OutboundLimits = {
  connectTimeoutMs: 5_000,
  timeoutMs: 10_000,
  maxBodyBytes: 64 * 1024,
};

export interface OutboundOptions extends Partial<OutboundLimits> {
  /** Resolves a host name to its addresses; the system resolver (`dns.lookup`, all addresses) by default. */
  resolve?: (host: string) => Promise<string[]>;
}

export type OutboundErrorCode =
  | "invalid_url"
  | "refused_address"
  | "unresolved"
  | "redirect"
  | "timeout"
  | "network";

/** An outbound request refused or failed. The message is meant for the member who gave the URL. */
export class OutboundError extends Error {
  constructor(
    message: string,
    readonly code: OutboundErrorCode,
  ) {
    super(message);
    this.name = "OutboundError";
  }

  /** Trying again cannot help: the URL itself is refused (a bad URL, a refused address, a redirect). */
  get hard(): boolean {
    return this.code === "invalid_url" || this.code === "refused_address" || this.code === "redirect";
  }
}

export interface CheckedTarget {
  url: URL;
  /** The URL's host without IPv6 brackets. */
  host: string;
  /** The addresses the host resolved to, all checked; connections go to these only. */
  addresses: { address: string; family: 4 | 6 }[];
  /** The host is in the policy's allow-list, so its addresses were not checked. */
  allowListed: boolean;
}

export interface GuardedResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** At most `maxBodyBytes` of the answer. */
  body: Buffer;
  /** The answer was longer than `maxBodyBytes` and was cut. */
  truncated: boolean;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

/** Host names compare without case, IPv6 brackets or a final dot. */
function sameHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "");
}

export function isAllowListed(url: URL, policy: OutboundPolicy): boolean {
  const host = sameHost(bareHost(url));
  return policy.allowHosts.some((allowed) => sameHost(allowed) === host);
}

async function systemResolve(host: string): Promise<string[]> {
  return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
}

/**
 * Parses and checks a URL before anything is sent to it: http or https, no user name or password, and a
 * host whose every address is public (or a host in the allow-list). Throws `OutboundError` with a sentence
 * a member can act on; resolves to the checked target.
 */
export async function checkOutboundUrl(
  url: string | URL,
  policy: OutboundPolicy,
  options: Pick<OutboundOptions, "resolve" | "connectTimeoutMs"> = {},
): Promise<CheckedTarget> {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    throw new OutboundError("That is not a URL.", "invalid_url");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new OutboundError("The URL must start with http:// or https://.", "invalid_url");
  }
  if (parsed.username || parsed.password) {
    throw new OutboundError("The URL must not contain a user name or password.", "invalid_url");
  }
  const host = bareHost(parsed);
  const allowListed = isAllowListed(parsed, policy);
  let found: string[];
  if (isIP(host)) {
    found = [host];
  } else {
    const resolveMs = options.connectTimeoutMs ?? OUTBOUND_LIMITS.connectTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new OutboundError(`${host} could not be resolved within ${seconds(resolveMs)}.`, "unresolved"),
        );
      }, resolveMs);
    });
    try {
      found = await Promise.race([(options.resolve ?? systemResolve)(host), deadline]);
    } catch (error) {
      if (error instanceof OutboundError) throw error;
      found = [];
    } finally {
      clearTimeout(timer);
    }
    if (found.length === 0) throw new OutboundError(`${host} could not be found (DNS).`, "unresolved");
  }
  if (!allowListed) {
    for (const address of found) {
      const verdict = classifyAddress(address);
      if (verdict.kind === "public") continue;
      const where = isIP(host) ? "The URL points at" : `${host} resolves to`;
      throw new OutboundError(
        `${where} ${describeAddress(verdict)}, which Paperboy does not call.`,
        "refused_address",
      );
    }
  }
  const addresses = found.map((address) => ({ address, family: isIP(address) === 6 ? 6 : 4 }) as const);
  return { url: parsed, host, addresses, allowListed };
}

/** A `lookup` for the socket that answers with the checked addresses and nothing else. */
function pinnedLookup(addresses: CheckedTarget["addresses"]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = options.family === 4 || options.family === 6 ? options.family : 0;
    const usable = addresses.filter((a) => family === 0 || a.family === family);
    if (options.all) {
      callback(null, usable);
      return;
    }
    const first = usable[0];
    if (first) callback(null, first.address, first.family);
    else callback(Object.assign(new Error("no checked address of that family"), { code: "ENOTFOUND" }), "");
  };
}

export interface GuardedRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/**
 * Checks `url` (see `checkOutboundUrl`), then sends one request to the checked addresses. Resolves with any
 * answer that is not a redirect; throws `OutboundError` for a refused URL, a redirect, a timeout or a
 * network failure.
 */
export async function guardedRequest(
  url: string | URL,
  init: GuardedRequestInit,
  policy: OutboundPolicy,
  options: OutboundOptions = {},
): Promise<GuardedResponse> {
  const limits: OutboundLimits = {
    connectTimeoutMs: options.connectTimeoutMs ?? OUTBOUND_LIMITS.connectTimeoutMs,
    timeoutMs: options.timeoutMs ?? OUTBOUND_LIMITS.timeoutMs,
    maxBodyBytes: options.maxBodyBytes ?? OUTBOUND_LIMITS.maxBodyBytes,
  };
  const started = Date.now();
  const target = await checkOutboundUrl(url, policy, options);
  return send(target, init, { ...limits, timeoutMs: Math.max(1, limits.timeoutMs - (Date.now() - started)) });
}

export function guardedPost(
  url: string | URL,
  init: Omit<GuardedRequestInit, "method">,
  policy: OutboundPolicy,
  options: OutboundOptions = {},
): Promise<GuardedResponse> {
  return guardedRequest(url, { ...init, method: "POST" }, policy, options);
}

function send(
  target: CheckedTarget,
  init: GuardedRequestInit,
  limits: OutboundLimits,
): Promise<GuardedResponse> {
  const { url, host } = target;
  return new Promise((resolve, reject) => {
    const timers: NodeJS.Timeout[] = [];
    let settled = false;
    const settle = (outcome: GuardedResponse | OutboundError, close: boolean) => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      if (close) request.destroy();
      if (outcome instanceof OutboundError) reject(outcome);
      else resolve(outcome);
    };
    const request = (url.protocol === "https:" ? https : http).request({
      protocol: url.protocol,
      hostname: host,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: init.method ?? "GET",
      headers: {
        ...init.headers,
        ...(init.body === undefined ? {} : { "content-length": String(Buffer.byteLength(init.body)) }),
      },
      // One fresh connection per request: no pooled socket opened for another check is reused.
      agent: false,
      lookup: pinnedLookup(target.addresses),
    });
    timers.push(
      setTimeout(
        () =>
          settle(
            new OutboundError(`${host} did not answer within ${seconds(limits.timeoutMs)}.`, "timeout"),
            true,
          ),
        limits.timeoutMs,
      ),
    );
    request.once("socket", (socket) => {
      if (!socket.connecting) return;
      const timer = setTimeout(() => {
        const message = `${host} did not accept a connection within ${seconds(limits.connectTimeoutMs)}.`;
        settle(new OutboundError(message, "timeout"), true);
      }, limits.connectTimeoutMs);
      timers.push(timer);
      socket.once("connect", () => clearTimeout(timer));
    });
    request.on("error", (error) => {
      settle(new OutboundError(`Could not reach ${host}: ${error.message}.`, "network"), true);
    });
    request.on("response", (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        const message = `${host} answered ${status}, a redirect, which Paperboy does not follow.`;
        settle(new OutboundError(message, "redirect"), true);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (truncated: boolean) =>
        settle({ status, headers: response.headers, body: Buffer.concat(chunks), truncated }, truncated);
      response.on("data", (chunk: Buffer) => {
        const room = limits.maxBodyBytes - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          size += room;
          done(true);
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      response.on("end", () => done(false));
      response.on("error", (error) => {
        settle(new OutboundError(`Could not read ${host}'s answer: ${error.message}.`, "network"), true);
      });
    });
    request.end(init.body);
  });
}
