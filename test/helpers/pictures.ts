import { deflateSync } from "node:zlib";
import type { IsoDate } from "../../src/core/index.ts";
import { parseHfDailyEntry } from "../../src/sources/hf/entry.ts";
import type { Store } from "../../src/store/store.ts";
import { recordedEntries } from "../fakes/hf.ts";
import { type FakeServer, startFakeServer } from "../fakes/server.ts";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real PNG of one colour (RGB), so a browser draws it; `seed` varies the colour and so the hash. */
export function solidPng(width: number, height: number, seed: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // RGB
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) {
    row[1 + x * 3] = (seed * 37) % 256;
    row[2 + x * 3] = (seed * 91) % 256;
    row[3 + x * 3] = 200;
  }
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/**
 * A stand-in for Hugging Face's picture CDNs on loopback: `/ok/<n>.png` is a real PNG, and a few paths are
 * what a CDN should never give us: `/html.png` (an HTML page declared as a PNG), `/page.png` (declared as
 * text/html), `/huge.png` (3 MB), `/missing.png` (404).
 */
export async function startFakeCdn(): Promise<FakeServer> {
  return startFakeServer((url) => {
    const ok = /^\/ok\/(\d+)\.png$/.exec(url.pathname);
    if (ok) {
      return { headers: { "content-type": "image/png" }, body: solidPng(320, 180, Number(ok[1])) };
    }
    if (url.pathname === "/html.png") {
      return { headers: { "content-type": "image/png" }, body: "<html><script>alert(1)</script></html>" };
    }
    if (url.pathname === "/page.png") return { headers: { "content-type": "text/html" }, body: "<p>hi</p>" };
    if (url.pathname === "/huge.png") {
      const big = Buffer.concat([solidPng(4, 4, 1), Buffer.alloc(3 * 1024 * 1024)]);
      return { headers: { "content-type": "image/png" }, body: big };
    }
    if (url.pathname === "/missing.png") return { status: 404, body: "not found" };
    return undefined;
  });
}

/**
 * Ingests a recorded Hugging Face day with its pictures moved to the fake CDN: entry i's thumbnail becomes
 * `/ok/<i>.png`, its avatars `/ok/<1000+i>.png` and `/ok/<2000+i>.png`, except that the first four thumbnails
 * are the CDN's bad answers. Returns how many entries were ingested.
 */
export async function ingestDayWithPictures(store: Store, date: string, cdnUrl: string): Promise<number> {
  const bad = ["html.png", "page.png", "huge.png", "missing.png"];
  const entries = recordedEntries(date).map((entry, i) => {
    const copy = structuredClone(entry) as Record<string, unknown> & {
      submittedBy?: { avatarUrl?: string };
      organization?: { avatar?: string };
    };
    copy.thumbnail = `${cdnUrl}/${bad[i] ?? `ok/${i}.png`}`;
    if (copy.submittedBy) copy.submittedBy.avatarUrl = `${cdnUrl}/ok/${1000 + i}.png`;
    if (copy.organization) copy.organization.avatar = `${cdnUrl}/ok/${2000 + i}.png`;
    return copy;
  });
  const items = entries.map((e) => parseHfDailyEntry(e, date as IsoDate));
  await store.ingest({ papers: items.map((i) => i.paper), daily: items.map((i) => i.daily) });
  return items.length;
}
