/**
 * The static import graph of our own modules, and the cycles in it. Used by `check-cycles.ts`.
 *
 * Only static imports count: `import ... from`, `import type ... from`, `import "x"`, `export ... from` and
 * `export type ... from`. A dynamic `import()` runs after its module has loaded, so it cannot take part in an
 * initialisation cycle and is left out. Only relative specifiers are followed (packages are not ours).
 *
 * Imports are read with patterns, not a parser: Biome formats every file, so a top-level import or re-export
 * starts at column 0, where comments and nested code never do (a line of a template literal could; keep such
 * text out of src/, or switch to a parser).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const IMPORT_FROM =
  /^import\s+(?:type\s+)?(?:[\w$]+\s*,?\s*)?(?:\*\s*as\s+[\w$]+|\{[^}]*\})?\s*from\s*["']([^"']+)["']/gm;
const IMPORT_BARE = /^import\s*["']([^"']+)["']/gm;
const EXPORT_FROM = /^export\s+(?:type\s+)?(?:\*(?:\s*as\s+[\w$]+)?|\{[^}]*\})\s*from\s*["']([^"']+)["']/gm;

const SOURCE_FILE = /\.(?:ts|tsx|mts|mjs|js)$/;

/** The specifiers a module's source imports or re-exports statically, in order of appearance. */
export function staticSpecifiers(source: string): string[] {
  const found: { at: number; specifier: string }[] = [];
  for (const pattern of [IMPORT_FROM, IMPORT_BARE, EXPORT_FROM]) {
    for (const match of source.matchAll(pattern)) {
      found.push({ at: match.index, specifier: match[1] as string });
    }
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.specifier);
}

/** Every source file under `dir`, as absolute paths, sorted. */
export function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (SOURCE_FILE.test(entry.name)) files.push(path);
  }
  return files.sort();
}

/** Module -> the modules of `files` it imports statically. Imports of files outside `files` are dropped. */
export type ImportGraph = Map<string, string[]>;

export function importGraph(files: readonly string[], read = (file: string) => readFileSync(file, "utf8")) {
  const known = new Set(files);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const targets = staticSpecifiers(read(file))
      .filter((specifier) => specifier.startsWith("."))
      .map((specifier) => resolve(dirname(file), specifier))
      .filter((target) => known.has(target));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Strongly connected components with more than one module, or one module that imports itself (Tarjan). */
function tangledComponents(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) as number, low.get(target) as number));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) as number, index.get(target) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = (graph.get(node) ?? []).includes(node);
      if (component.length > 1 || selfLoop) components.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components;
}

/** The shortest cycle from `start` back to itself inside `members` (breadth-first), as modules in order. */
function shortestCycle(graph: ImportGraph, start: string, members: ReadonlySet<string>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as string;
    for (const target of graph.get(node) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(cameFrom.get(path[0] as string) as string);
        return path;
      }
      if (!cameFrom.has(target) && target !== start) {
        cameFrom.set(target, node);
        queue.push(target);
      }
    }
  }
  return [start];
}

/**
 * The cycles of the graph: for each module in a tangle, the shortest cycle through it, each cycle listed once
 * (starting from its alphabetically first module). Breaking every cycle listed untangles the graph.
 */
export function findCycles(graph: ImportGraph): string[][] {
  const cycles = new Map<string, string[]>();
  for (const component of tangledComponents(graph)) {
    const members = new Set(component);
    for (const start of component) {
      const cycle = shortestCycle(graph, start, members);
      const first = cycle.indexOf([...cycle].sort()[0] as string);
      const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
      cycles.set(rotated.join("\n"), rotated);
    }
  }
  return [...cycles.values()].sort((a, b) => a.join().localeCompare(b.join()));
}

/** A cycle as `a -> b -> a`, with paths relative to `root`. */
export function describeCycle(cycle: readonly string[], root: string): string {
  return [...cycle, cycle[0] as string].map((file) => relative(root, file)).join(" -> ");
}
