import { existsSync, statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import type { Embedder } from "./embedder.ts";
import { EmbedderError } from "./openai-embedder.ts";

export interface OnnxEmbedderOptions {
  /**
   * A model folder (config.json, tokenizer.json, onnx/model.onnx: the layout of the ONNX exports on the
   * Hugging Face hub) or, with `allowRemote`, a hub name such as `Xenova/bge-small-en-v1.5`.
   */
  model: string;
  /** May fetch `model` from the hub when it is not a folder. Default false: nothing leaves the machine. */
  allowRemote: boolean;
  /** Where downloaded models are kept (with `allowRemote`); default transformers.js's own cache. */
  cacheDir?: string;
  /** Texts per model run. Default 32. */
  batchSize?: number;
}

/** The part of transformers.js's feature-extraction pipeline used here. */
type Extractor = (
  texts: string[],
  options: { pooling: "mean"; normalize: true },
) => Promise<{ dims: number[]; data: ArrayLike<number> }>;

/**
 * A sentence-embedding model run in-process by transformers.js on onnxruntime-node: feature extraction,
 * mean pooling over the attention mask, L2 normalisation (how sentence-transformers models such as MiniLM or
 * bge are meant to be used). Texts longer than the model's maximum length are truncated by its tokenizer.
 * transformers.js is loaded only when this embedder is, since it brings the native ONNX runtime with it.
 */
export class OnnxEmbedder implements Embedder {
  private constructor(
    private readonly extract: Extractor,
    readonly dimensions: number,
    private readonly batchSize: number,
  ) {}

  static async load(options: OnnxEmbedderOptions): Promise<OnnxEmbedder> {
    const folder = resolve(options.model);
    const isFolder = existsSync(folder) && statSync(folder).isDirectory();
    if (!isFolder && !options.allowRemote) {
      throw new EmbedderError(
        `no model folder at ${folder}; give a folder with config.json, tokenizer.json and onnx/model.onnx, ` +
          "or set PAPERBOY_EMBEDDER_ALLOW_REMOTE=true to download a hub model by name",
      );
    }
    const { env, pipeline } = await import("@huggingface/transformers");
    // transformers.js reads these process-wide settings when it resolves a model name: a folder is found as
    // <localModelPath>/<name>; the hub is only reachable when allowed.
    env.allowLocalModels = true;
    env.allowRemoteModels = options.allowRemote;
    if (options.cacheDir !== undefined) env.cacheDir = options.cacheDir;
    if (isFolder) env.localModelPath = `${dirname(folder)}/`;
    const name = isFolder ? basename(folder) : options.model;
    let extract: Extractor;
    try {
      const loaded = await pipeline("feature-extraction", name, {
        local_files_only: !options.allowRemote || isFolder,
        dtype: "fp32",
        device: "cpu",
      });
      extract = (texts, callOptions) => loaded(texts, callOptions);
    } catch (error) {
      throw new EmbedderError(`cannot load the ONNX model ${options.model}: ${(error as Error).message}`);
    }
    const probe = await extract(["dimension probe"], { pooling: "mean", normalize: true });
    const dimensions = probe.dims.at(-1);
    if (probe.dims.length !== 2 || dimensions === undefined || dimensions < 1) {
      throw new EmbedderError(
        `the ONNX model ${options.model} gives outputs of shape [${probe.dims.join(", ")}], not one vector per text`,
      );
    }
    return new OnnxEmbedder(extract, dimensions, Math.max(1, Math.floor(options.batchSize ?? 32)));
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      const batch = texts.slice(i, i + this.batchSize);
      const result = await this.extract(batch, { pooling: "mean", normalize: true });
      const data = Float32Array.from(result.data);
      if (data.length !== batch.length * this.dimensions) {
        throw new EmbedderError(`the ONNX model gave ${data.length} floats for ${batch.length} texts`);
      }
      for (let j = 0; j < batch.length; j++) {
        out.push(data.slice(j * this.dimensions, (j + 1) * this.dimensions));
      }
    }
    return out;
  }
}
