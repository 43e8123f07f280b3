import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Random } from "../../src/search/vector/random.ts";

/*
 * A tiny sentence-embedding model written from scratch, so the ONNX embedder is tested without downloading
 * one: a graph with a single Gather (token embedding table, indexed by input_ids, giving last_hidden_state),
 * encoded as ONNX protobuf bytes by the minimal encoder below, plus a BERT-style config.json and a WordPiece
 * tokenizer.json over a small vocabulary.
 */

/** Protobuf wire format: varints and length-delimited fields are all an ONNX model needs here. */
function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}
const intField = (field: number, value: number): number[] => [...varint(field << 3), ...varint(value)];
function bytesField(field: number, bytes: Uint8Array | number[]): number[] {
  return [...varint((field << 3) | 2), ...varint(bytes.length), ...bytes];
}
const stringField = (field: number, text: string) => bytesField(field, [...Buffer.from(text, "utf8")]);

const FLOAT = 1;
const INT64 = 7;

/** ValueInfoProto of a tensor; a string dimension is symbolic (batch, sequence), a number fixed. */
function valueInfo(name: string, elemType: number, dims: (string | number)[]): number[] {
  const shape = dims.flatMap((d) =>
    bytesField(1, typeof d === "number" ? intField(1, d) : stringField(2, d)),
  );
  const tensorType = [...intField(1, elemType), ...bytesField(2, shape)];
  return [...stringField(1, name), ...bytesField(2, bytesField(1, tensorType))];
}

/** ModelProto bytes: last_hidden_state = Gather(embeddings, input_ids, axis 0). */
export function gatherModelBytes(table: Float32Array, vocabulary: number, dimensions: number): Uint8Array {
  const initializer = [
    ...intField(1, vocabulary),
    ...intField(1, dimensions),
    ...intField(2, FLOAT),
    ...stringField(8, "embeddings"),
    ...bytesField(9, new Uint8Array(table.buffer, table.byteOffset, table.byteLength)),
  ];
  const axis = [...stringField(1, "axis"), ...intField(3, 0), ...intField(20, 2)];
  const node = [
    ...stringField(1, "embeddings"),
    ...stringField(1, "input_ids"),
    ...stringField(2, "last_hidden_state"),
    ...stringField(3, "lookup"),
    ...stringField(4, "Gather"),
    ...bytesField(5, axis),
  ];
  const graph = [
    ...bytesField(1, node),
    ...stringField(2, "tiny-embedder"),
    ...bytesField(5, initializer),
    ...bytesField(11, valueInfo("input_ids", INT64, ["batch", "sequence"])),
    ...bytesField(12, valueInfo("last_hidden_state", FLOAT, ["batch", "sequence", dimensions])),
  ];
  const opset = [...stringField(1, ""), ...intField(2, 13)];
  return Uint8Array.from([
    ...intField(1, 8),
    ...stringField(2, "paperboy-test"),
    ...bytesField(7, graph),
    ...bytesField(8, opset),
  ]);
}

const SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"];

/**
 * Writes a model folder (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx) for `words`
 * (lower-case) with a seeded random `dimensions`-float vector per token. Returns the vocabulary and the
 * token vectors (row = token id), to work out what the model must answer.
 */
export function writeTinyModel(
  dir: string,
  words: readonly string[],
  dimensions: number,
  seed = 1,
): { vocab: Record<string, number>; table: Float32Array } {
  const vocab: Record<string, number> = {};
  for (const token of [...SPECIAL, ...words]) vocab[token] ??= Object.keys(vocab).length;
  const size = Object.keys(vocab).length;
  const random = new Random(seed);
  const table = Float32Array.from({ length: size * dimensions }, () => random.gaussian());
  mkdirSync(join(dir, "onnx"), { recursive: true });
  writeFileSync(join(dir, "onnx", "model.onnx"), gatherModelBytes(table, size, dimensions));
  writeFileSync(
    join(dir, "config.json"),
    JSON.stringify({
      model_type: "bert",
      architectures: ["BertModel"],
      hidden_size: dimensions,
      vocab_size: size,
    }),
  );
  const special = (token: string) => ({
    id: vocab[token],
    content: token,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const templateToken = (token: string) => ({ SpecialToken: { id: token, type_id: 0 } });
  writeFileSync(
    join(dir, "tokenizer.json"),
    JSON.stringify({
      version: "1.0",
      truncation: null,
      padding: null,
      added_tokens: SPECIAL.map(special),
      normalizer: {
        type: "BertNormalizer",
        clean_text: true,
        handle_chinese_chars: true,
        strip_accents: null,
        lowercase: true,
      },
      pre_tokenizer: { type: "BertPreTokenizer" },
      post_processor: {
        type: "TemplateProcessing",
        single: [templateToken("[CLS]"), { Sequence: { id: "A", type_id: 0 } }, templateToken("[SEP]")],
        pair: [
          templateToken("[CLS]"),
          { Sequence: { id: "A", type_id: 0 } },
          templateToken("[SEP]"),
          { Sequence: { id: "B", type_id: 1 } },
          templateToken("[SEP]"),
        ],
        special_tokens: Object.fromEntries(
          ["[CLS]", "[SEP]"].map((t) => [t, { id: t, ids: [vocab[t]], tokens: [t] }]),
        ),
      },
      decoder: { type: "WordPiece", prefix: "##", cleanup: true },
      model: {
        type: "WordPiece",
        unk_token: "[UNK]",
        continuing_subword_prefix: "##",
        max_input_chars_per_word: 100,
        vocab,
      },
    }),
  );
  writeFileSync(
    join(dir, "tokenizer_config.json"),
    JSON.stringify({
      tokenizer_class: "BertTokenizer",
      do_lower_case: true,
      model_max_length: 64,
      pad_token: "[PAD]",
      unk_token: "[UNK]",
      cls_token: "[CLS]",
      sep_token: "[SEP]",
    }),
  );
  return { vocab, table };
}
