import { readFileSync, renameSync, writeFileSync } from "node:fs";

/**
 * A file of named typed arrays plus a JSON header, so an index loads as views on one buffer without parsing:
 *
 *   "PBSI" | u32 version | u32 header bytes | header JSON | padding to 8 | array bytes (each 8-aligned)
 *
 * The header holds the caller's metadata and where each array lies.
 */
const MAGIC = "PBSI";
const VERSION = 1;

export type StoredArray = Uint8Array | Uint16Array | Uint32Array | Float32Array;
const KINDS = { Uint8Array, Uint16Array, Uint32Array, Float32Array } as const;
type Kind = keyof typeof KINDS;

interface Header {
  meta: unknown;
  arrays: Record<string, { kind: Kind; offset: number; length: number }>;
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** Writes arrays and metadata to `path` atomically (a temporary file renamed into place). */
export function writeContainer(path: string, meta: unknown, arrays: Record<string, StoredArray>): void {
  const header: Header = { meta, arrays: {} };
  let offset = 0;
  for (const [name, array] of Object.entries(arrays)) {
    header.arrays[name] = { kind: array.constructor.name as Kind, offset, length: array.length };
    offset = align8(offset + array.byteLength);
  }
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const start = align8(12 + json.length);
  const out = Buffer.alloc(start + offset);
  out.write(MAGIC, 0, "latin1");
  out.writeUInt32LE(VERSION, 4);
  out.writeUInt32LE(json.length, 8);
  json.copy(out, 12);
  for (const [name, array] of Object.entries(arrays)) {
    const at = start + (header.arrays[name] as { offset: number }).offset;
    Buffer.from(array.buffer, array.byteOffset, array.byteLength).copy(out, at);
  }
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, out);
  renameSync(temporary, path);
}

/** Reads a container; arrays are views on one buffer read from the file. Throws on a foreign or newer file. */
export function readContainer(path: string): { meta: unknown; arrays: Record<string, StoredArray> } {
  const file = readFileSync(path);
  if (file.length < 12 || file.toString("latin1", 0, 4) !== MAGIC) {
    throw new Error(`${path} is not a Paperboy search index file`);
  }
  const version = file.readUInt32LE(4);
  if (version !== VERSION)
    throw new Error(`${path} has index format ${version}; this version reads ${VERSION}`);
  const headerLength = file.readUInt32LE(8);
  const header = JSON.parse(file.toString("utf8", 12, 12 + headerLength)) as Header;
  const start = align8(12 + headerLength);
  // Typed arrays need aligned offsets: copy into a fresh buffer unless the file's buffer is 8-aligned.
  const bytes = file.byteOffset % 8 === 0 ? file : Buffer.from(file);
  const arrays: Record<string, StoredArray> = {};
  for (const [name, { kind, offset, length }] of Object.entries(header.arrays)) {
    const make = KINDS[kind];
    if (!make) throw new Error(`${path}: unknown array kind ${kind}`);
    arrays[name] = new make(bytes.buffer, bytes.byteOffset + start + offset, length);
  }
  return { meta: header.meta, arrays };
}
