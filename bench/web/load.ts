/**
 * One autocannon run, in its own process so the load generator never shares a thread with the orchestrator:
 *
 *   node --import tsx bench/web/load.ts <url> <connections> <seconds>
 *
 * Prints one JSON line: requests/s, latency percentiles (from every response's time, so p95 is exact rather
 * than autocannon's nearest bucket), status classes and errors.
 */
import { createRequire } from "node:module";

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p97_5: number; p99: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  "2xx": number;
}

interface AutocannonInstance {
  on(event: "response", listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}

type Autocannon = (
  options: { url: string; connections: number; duration: number; pipelining: number },
  done: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

export interface LoadResult {
  url: string;
  connections: number;
  seconds: number;
  requestsPerSecond: number;
  requests: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  bytesPerResponse: number;
}

const [url, connectionsArg, secondsArg] = process.argv.slice(2);
if (!url || !connectionsArg || !secondsArg) {
  process.stderr.write("usage: load.ts <url> <connections> <seconds>\n");
  process.exit(2);
}
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;
const times: number[] = [];
let bytes = 0;

const result = await new Promise<AutocannonResult>((resolve, reject) => {
  const instance = autocannon(
    { url, connections: Number(connectionsArg), duration: Number(secondsArg), pipelining: 1 },
    (error, res) => (error ? reject(error) : resolve(res)),
  );
  instance.on("response", (_client, _status, size, ms) => {
    times.push(ms);
    bytes += size;
  });
});
times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
const out: LoadResult = {
  url,
  connections: Number(connectionsArg),
  seconds: result.duration,
  requestsPerSecond: times.length / result.duration,
  requests: times.length,
  latencyMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: times.at(-1) ?? 0 },
  non2xx: result.non2xx,
  errors: result.errors + result.timeouts,
  bytesPerResponse: times.length > 0 ? Math.round(bytes / times.length) : 0,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
