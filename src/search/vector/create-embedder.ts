import { join } from "node:path";
import type { EmbedderConfig } from "../../config/config.ts";
import type { Logger } from "../../log.ts";
import type { Embedder } from "./embedder.ts";
import { OnnxEmbedder } from "./onnx-embedder.ts";
import { OpenAiEmbedder } from "./openai-embedder.ts";

export interface CreateEmbedderOptions {
  /** Downloaded ONNX models are kept in `<dataDir>/models` (only with allowRemote). */
  dataDir?: string;
  /** Per request to an embedding server. Default 60 s. */
  timeoutMs?: number;
  logger?: Logger;
}

/**
 * The embedder the configuration names, ready to use (a served model is contacted once, so a wrong URL, key,
 * model or vector length fails here). Pass the result as `embedder` to `SearchEngine.build` and `loadEngine`:
 *
 * - `corpus` (the default): undefined, which tells the engine to train its own embedder on the library's
 *   titles and abstracts when it builds, and to load it from the engine file. Offline, no model needed; it
 *   only knows words the library uses, and is retrained on every rebuild.
 * - `onnx`: a sentence-embedding model run in-process by transformers.js (`OnnxEmbedder`), from a local folder,
 *   or from the Hugging Face hub by name when `allowRemote` is set.
 * - `openai`: any server speaking OpenAI's `/v1/embeddings` (`OpenAiEmbedder`): OpenAI, Ollama, vLLM,
 *   llama.cpp, text-embeddings-inference. Texts leave the machine if the server is elsewhere.
 *
 * Changing the embedder needs a rebuild: the engine's document vectors come from the embedder it was built with.
 */
export async function createEmbedder(
  config: EmbedderConfig,
  options: CreateEmbedderOptions = {},
): Promise<Embedder | undefined> {
  switch (config.kind) {
    case "corpus":
      return undefined;
    case "onnx":
      return OnnxEmbedder.load({
        model: config.model,
        allowRemote: config.allowRemote,
        cacheDir: options.dataDir === undefined ? undefined : join(options.dataDir, "models"),
      });
    case "openai":
      return OpenAiEmbedder.connect({
        url: config.url,
        model: config.model,
        apiKey: config.apiKey,
        dimensions: config.dimensions,
        timeoutMs: options.timeoutMs,
        logger: options.logger,
      });
  }
}

/** How the embedder is shown to operators (status pages, logs); never includes the API key. */
export function describeEmbedder(config: EmbedderConfig): string {
  switch (config.kind) {
    case "corpus":
      return "corpus";
    case "onnx":
      return `onnx:${config.model}`;
    case "openai":
      return `openai:${config.url} (${config.model})`;
  }
}
