/**
 * Why a call to an outside service failed, read back from the message `HttpClient` gave its `SourceError`
 * (the message is what the store keeps as a source's last error), so pages and `paperboy status` can say
 * "DNS", "timeout" or "HTTP 503" rather than quote a stack of words.
 */
export type FailureKind = "dns" | "refused" | "network" | "timeout" | "http" | "bad-answer" | "other";

export interface FailureReason {
  kind: FailureKind;
  /** The host called, when the message names it. */
  host: string | null;
  /** The HTTP status, for `http`. */
  status: number | null;
  /** A short phrase for people, e.g. `DNS: huggingface.co could not be resolved`. */
  summary: string;
}

const NETWORK_CODES: Record<string, { kind: FailureKind; say: (host: string) => string }> = {
  ENOTFOUND: { kind: "dns", say: (h) => `DNS: ${h} could not be resolved` },
  EAI_AGAIN: { kind: "dns", say: (h) => `DNS: no answer resolving ${h} (no DNS server reachable?)` },
  ECONNREFUSED: { kind: "refused", say: (h) => `connection refused by ${h}` },
  ECONNRESET: { kind: "network", say: (h) => `connection to ${h} reset` },
  ENETUNREACH: { kind: "network", say: (h) => `network unreachable (${h})` },
  EHOSTUNREACH: { kind: "network", say: (h) => `host unreachable (${h})` },
  ETIMEDOUT: { kind: "timeout", say: (h) => `timeout: connecting to ${h} took too long` },
  UND_ERR_CONNECT_TIMEOUT: { kind: "timeout", say: (h) => `timeout: connecting to ${h} took too long` },
};

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

export function classifyFailure(message: string): FailureReason {
  const reach = /cannot reach (\S+): (.+)$/.exec(message);
  if (reach) {
    const host = hostOf(reach[1] ?? "");
    const detail = (reach[2] ?? "").trim();
    const code = Object.keys(NETWORK_CODES).find((c) => detail.includes(c));
    const known = code ? NETWORK_CODES[code] : undefined;
    if (known) return { kind: known.kind, host, status: null, summary: known.say(host ?? "the host") };
    return {
      kind: "network",
      host,
      status: null,
      summary: `network error reaching ${host ?? "the host"}: ${detail}`,
    };
  }
  const timeout = /no answer from (\S+) within (\d+) ms/.exec(message);
  if (timeout) {
    const host = hostOf(timeout[1] ?? "");
    const seconds = Math.round(Number(timeout[2]) / 100) / 10;
    return {
      kind: "timeout",
      host,
      status: null,
      summary: `timeout: no answer from ${host} within ${seconds} s`,
    };
  }
  const http = /HTTP (\d{3}) from (\S+)/.exec(message);
  if (http) {
    const status = Number(http[1]);
    const host = hostOf(http[2] ?? "");
    return { kind: "http", host, status, summary: `HTTP ${status} from ${host}` };
  }
  const answer = /expected .* from (\S+), got/.exec(message);
  if (answer) {
    const host = hostOf(answer[1] ?? "");
    return { kind: "bad-answer", host, status: null, summary: `unexpected answer from ${host}` };
  }
  return { kind: "other", host: null, status: null, summary: message.split("\n")[0]?.slice(0, 200) ?? "" };
}
