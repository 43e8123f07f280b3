/**
 * Fails when the static imports of src/ form a cycle, listing each one (`npm run check` runs it):
 *
 *   node --import tsx scripts/check-cycles.ts
 *
 * Type-only imports count: a cycle of types still means modules that cannot be read, moved or layered apart.
 * Break one by moving what both sides need into a leaf module that imports neither.
 */
import { join } from "node:path";
import { describeCycle, findCycles, importGraph, sourceFiles } from "./import-graph.ts";
import { repoRoot } from "./paths.ts";

const graph = importGraph(sourceFiles(join(repoRoot, "src")));
const cycles = findCycles(graph);
if (cycles.length > 0) {
  console.error(`check-cycles: ${cycles.length} import cycle(s) in src/:`);
  for (const cycle of cycles) console.error(`  ${describeCycle(cycle, repoRoot)}`);
  process.exitCode = 1;
} else {
  console.log(`check-cycles: no import cycles among ${graph.size} modules in src/`);
}
