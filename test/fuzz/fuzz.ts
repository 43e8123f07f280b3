import fc from "fast-check";

/**
 * How the fuzz tests run: a fixed seed and a fixed number of runs per property, so `npm test` takes the same
 * time and finds the same inputs every time. A failure prints its seed and shrink path; to reproduce it or to
 * explore further, set `FUZZ_SEED=<seed>` (any integer) and `FUZZ_RUNS=<factor>` (runs are multiplied by it).
 */
export const FUZZ_SEED = Number.parseInt(process.env.FUZZ_SEED ?? "", 10) || 20_240_527;
const FACTOR = Number(process.env.FUZZ_RUNS ?? "1") || 1;

/** Checks a property with the suite's seed; `numRuns` is multiplied by `FUZZ_RUNS`. */
export function check<Ts extends [unknown, ...unknown[]]>(property: fc.IProperty<Ts>, numRuns: number): void {
  fc.assert(property, {
    seed: FUZZ_SEED,
    numRuns: Math.max(1, Math.round(numRuns * FACTOR)),
    // The runner prints the message, not the cause: put the failed assertion in the message.
    includeErrorInReport: true,
  });
}

/** `check` for properties that await (the importer writes to a store). */
export async function checkAsync<Ts extends [unknown, ...unknown[]]>(
  property: fc.IAsyncProperty<Ts>,
  numRuns: number,
): Promise<void> {
  await fc.assert(property, {
    seed: FUZZ_SEED,
    numRuns: Math.max(1, Math.round(numRuns * FACTOR)),
    includeErrorInReport: true,
  });
}

/** Any UTF-16 code unit, lone surrogates included: what a string can hold, not only what is well formed. */
export const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));

/** Characters that are odd in text: controls, NUL, separators, BOM, bidi overrides, combining marks. */
const ODD = [
  "\u0000",
  "\u0001",
  "\u0007",
  "\b",
  "\t",
  "\n",
  "\r",
  "\u000b",
  "\f",
  "\u001b",
  "\u007f",
  "\u0085",
  "\u00a0",
  "\u00ad",
  "\u200b",
  "\u200d",
  "\u2028",
  "\u2029",
  "\u202e",
  "\u2066",
  "\ufeff",
  "\ufffd",
  "\ufffe",
  "\uffff",
  "\ud800",
  "\udfff",
  "\u0301",
  "\u0300\u0301\u0302",
  "😀",
  "👩‍🔬",
  "🇫🇷",
  "ﬃ",
  "﷽",
  "ﷺ",
  "İ",
  "ß",
  "Σ",
  "ς",
  "α-β",
  "①",
  "²",
  "٣",
  "Ⅻ",
];

/**
 * Text made of `pieces` (the syntax of the parser under test), odd characters and random code units, in any
 * order: most of the inputs that break parsers are a little syntax in an unexpected place.
 */
export function textOf(pieces: readonly string[], maxPieces = 40): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...pieces) },
    { weight: 2, arbitrary: fc.constantFrom(...ODD) },
    { weight: 2, arbitrary: fc.string({ maxLength: 6 }) },
    { weight: 1, arbitrary: fc.string({ unit: codeUnit, maxLength: 4 }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 4 }) },
  );
  return fc.array(piece, { maxLength: maxPieces }).map((parts) => parts.join(""));
}

/** Strings a fuzzer should always try: empty, blank, only syntax, very long. */
export function edgeStrings(pieces: readonly string[]): string[] {
  return [
    "",
    " ",
    "\n\n\n",
    "\u0000",
    ...pieces,
    pieces.join(""),
    pieces.join(" ").repeat(50),
    "a".repeat(10_000),
    "word ".repeat(500),
  ];
}
