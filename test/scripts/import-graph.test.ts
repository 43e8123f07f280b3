import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { findCycles, type ImportGraph, importGraph, staticSpecifiers } from "../../scripts/import-graph.ts";

describe("staticSpecifiers", () => {
  test("reads every static import and re-export form, type-only ones included", () => {
    const source = [
      `import a from "./default.ts";`,
      `import b, { c } from "./default-and-named.ts";`,
      `import * as d from "./namespace.ts";`,
      `import type { E } from "./type-only.ts";`,
      `import {`,
      `  f,`,
      `  type G,`,
      `} from "./multi-line.ts";`,
      `import "./side-effect.ts";`,
      `export * from "./star.ts";`,
      `export * as h from "./star-as.ts";`,
      `export { i } from "./named.ts";`,
      `export type { J } from "./type-reexport.ts";`,
      `import { z } from "zod";`,
    ].join("\n");
    assert.deepEqual(staticSpecifiers(source), [
      "./default.ts",
      "./default-and-named.ts",
      "./namespace.ts",
      "./type-only.ts",
      "./multi-line.ts",
      "./side-effect.ts",
      "./star.ts",
      "./star-as.ts",
      "./named.ts",
      "./type-reexport.ts",
      "zod",
    ]);
  });

  test("skips dynamic imports, local exports and import-like text in comments and nested code", () => {
    const source = [
      `/**`,
      ` * import { x } from "./in-a-comment.ts";`,
      ` */`,
      `export const y = 1;`,
      `export function load() {`,
      `  return import("./dynamic.ts");`,
      `}`,
      `const text = "import { w } from './in-a-string.ts'";`,
    ].join("\n");
    assert.deepEqual(staticSpecifiers(source), []);
  });
});

describe("importGraph", () => {
  test("follows relative specifiers to known files only", () => {
    const sources: Record<string, string> = {
      "/r/src/a.ts": `import { b } from "./b.ts";\nimport { z } from "zod";\nimport { gone } from "./gone.ts";`,
      "/r/src/b.ts": `export type { C } from "./sub/c.ts";`,
      "/r/src/sub/c.ts": `import type { A } from "../a.ts";`,
    };
    const graph = importGraph(Object.keys(sources), (file) => sources[file] ?? "");
    assert.deepEqual(Object.fromEntries(graph), {
      "/r/src/a.ts": ["/r/src/b.ts"],
      "/r/src/b.ts": ["/r/src/sub/c.ts"],
      "/r/src/sub/c.ts": ["/r/src/a.ts"],
    });
  });
});

describe("findCycles", () => {
  const graphOf = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

  test("no cycles in a graph without them", () => {
    assert.deepEqual(findCycles(graphOf({ a: ["b", "c"], b: ["c"], c: [] })), []);
  });

  test("lists each cycle once, from its first module, and a module importing itself", () => {
    const graph = graphOf({ a: ["b"], b: ["c"], c: ["a"], d: ["d"], e: ["a"] });
    assert.deepEqual(findCycles(graph), [["a", "b", "c"], ["d"]]);
  });

  test("two cycles through one module are both listed", () => {
    const graph = graphOf({ hub: ["x", "y"], x: ["hub"], y: ["hub"] });
    assert.deepEqual(findCycles(graph), [
      ["hub", "x"],
      ["hub", "y"],
    ]);
  });
});
