import fc from "fast-check";
import { HOSTILE_VALUES } from "./xml.ts";

/** JSON values and a way to break one record of a file on purpose: drop, retype or replace a field. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type JsonMutation =
  | { kind: "drop" | "wrap" | "stringify"; at: number }
  | { kind: "set"; at: number; value: Json }
  | { kind: "add"; at: number; key: string; value: Json };

/** Values of every JSON type, the wrong ones included, and strings that trouble parsers. */
const wrongValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, 1e308, -0, 2 ** 53, [], {}, [null], { "": 1 }),
  fc.constantFrom<Json>(...HOSTILE_VALUES),
  fc.constantFrom<Json>("javascript:alert(1)", "http://x.y/ space", "https://github.com/o/r", "v1", "v0"),
  fc.string({ maxLength: 10 }),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);

export const jsonMutation: fc.Arbitrary<JsonMutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom("drop", "wrap", "stringify"), at: fc.nat() }),
  { arbitrary: fc.record({ kind: fc.constant("set"), at: fc.nat(), value: wrongValue }), weight: 3 },
  fc.record({
    kind: fc.constant("add"),
    at: fc.nat(),
    key: fc.constantFrom("__proto__", "constructor", "toString", "type", "id", "paper", "data", "x"),
    value: wrongValue,
  }),
);

type Slot = { parent: Json[] | { [key: string]: Json }; key: string | number };

/** Every place in a value that holds a value, depth first. */
function slotsOf(value: Json, out: Slot[] = []): Slot[] {
  if (Array.isArray(value)) {
    value.forEach((child, i) => {
      out.push({ parent: value, key: i });
      slotsOf(child, out);
    });
  } else if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      out.push({ parent: value, key });
      slotsOf(child, out);
    }
  }
  return out;
}

function objectsOf(value: Json, out: { [key: string]: Json }[] = []): { [key: string]: Json }[] {
  if (Array.isArray(value)) for (const child of value) objectsOf(child, out);
  else if (value !== null && typeof value === "object") {
    out.push(value);
    for (const child of Object.values(value)) objectsOf(child, out);
  }
  return out;
}

/** A copy of `value` with the mutations applied in turn (each picks its place modulo the places left). */
export function mutateJson(value: Json, mutations: readonly JsonMutation[]): Json {
  const copy = JSON.parse(JSON.stringify(value)) as Json;
  for (const m of mutations) {
    if (m.kind === "add") {
      const objects = objectsOf(copy);
      const target = objects[m.at % Math.max(1, objects.length)];
      // defineProperty, as JSON.parse does: `__proto__` becomes an own key, not the prototype.
      if (target)
        Object.defineProperty(target, m.key, {
          value: m.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      continue;
    }
    const slots = slotsOf(copy);
    const slot = slots[m.at % Math.max(1, slots.length)];
    if (!slot) continue;
    const { parent, key } = slot;
    const next = replacement(m, (parent as Record<string | number, Json>)[key] as Json);
    if (Array.isArray(parent)) {
      if (next === undefined) parent.splice(key as number, 1);
      else parent[key as number] = next;
    } else if (next === undefined) delete parent[key];
    else parent[key] = next;
  }
  return copy;
}

/** What a mutation puts in place of `current`; undefined removes it. */
function replacement(m: Exclude<JsonMutation, { kind: "add" }>, current: Json): Json | undefined {
  switch (m.kind) {
    case "drop":
      return undefined;
    case "wrap":
      return [current];
    case "stringify":
      return typeof current === "string" ? current : JSON.stringify(current);
    case "set":
      return m.value;
  }
}
