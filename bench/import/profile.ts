/**
 * Summarises a V8 CPU profile (what `node --cpu-prof` writes; `npm run bench:import -- --cpu-prof` puts one
 * per run under bench/out/profiles/): where the time goes, by package or source folder and by function.
 *
 *   node --import tsx bench/import/profile.ts FILE.cpuprofile [--top 25]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";

const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
      children: z.array(z.number()).optional(),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

type Profile = z.infer<typeof profileSchema>;
type Frame = Profile["nodes"][number]["callFrame"];

/** Where code lives, coarse: an npm package, a folder of ours, Node's internals, or V8's own entries. */
function area(frame: Frame): string {
  const { url, functionName } = frame;
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  if (url.startsWith("node:")) return "node internals";
  const ours = /\/((?:src|bench|scripts)\/(?:[^/]+\/)?)[^/]*$/.exec(url);
  return ours?.[1] ?? url;
}

function functionKey(frame: Frame): string {
  const file = frame.url.replace(/^.*\/(node_modules\/|src\/|bench\/)/, "$1");
  return `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber + 1}`;
}

function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

/** Self time by area and function, and inclusive ("total") time by function, in milliseconds. */
function summarise(profile: Profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfByArea = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  const totalByFunction = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node) return;
    totalMs += ms;
    add(selfByArea, area(node.callFrame), ms);
    add(selfByFunction, functionKey(node.callFrame), ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame) break;
      const key = functionKey(frame);
      if (!seen.has(key)) add(totalByFunction, key, ms);
      seen.add(key);
    }
  });
  return { totalMs, selfByArea, selfByFunction, totalByFunction };
}

function printTop(title: string, map: Map<string, number>, totalMs: number, top: number): void {
  console.log(`\n${title}`);
  const rows = [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [key, ms] of rows) {
    console.log(
      `${(ms / 1000).toFixed(1).padStart(8)}s ${((100 * ms) / totalMs).toFixed(1).padStart(5)}%  ${key}`,
    );
  }
}

const { values, positionals } = parseArgs({
  options: { top: { type: "string", default: "25" } },
  allowPositionals: true,
});
const [file] = positionals;
if (!file) {
  console.error("usage: profile.ts FILE.cpuprofile [--top N]");
  process.exit(2);
}
const top = Number(values.top);
const summary = summarise(profileSchema.parse(JSON.parse(readFileSync(file, "utf8"))));
console.log(`${file}: ${(summary.totalMs / 1000).toFixed(1)}s sampled`);
printTop("Self time by area", summary.selfByArea, summary.totalMs, top);
printTop("Self time by function", summary.selfByFunction, summary.totalMs, top);
printTop("Total time by function (self + callees)", summary.totalByFunction, summary.totalMs, top);
