import { z } from "zod";
import type { Logger } from "../../log.ts";
import type { Clock } from "../../net/clock.ts";
import { HttpClient, type RetryPolicy } from "../../net/http-client.ts";
import { type Embedder, normalize } from "./embedder.ts";

export interface OpenAiEmbedderOptions {
  /** The server, e.g. `https://api.openai.com` or `http://localhost:11434`; a URL ending in `/v1` works too. */
  url: string;
  model: string;
  /** Sent as `Authorization: Bearer <key>`; null for servers without keys (Ollama, a local vLLM). */
  apiKey: string | null;
  /** Vector length the model is expected to give; null: learned from the first answer. */
  dimensions: number | null;
  /** Texts per request. Default 64. */
  batchSize?: number;
  /**
   * Texts are cut to this many characters before sending, so a long abstract never overflows the model's
   * context (8,192 characters are at most ~8k tokens even for odd text). Default 8,192.
   */
  maxChars?: number;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  clock?: Clock;
  logger?: Logger;
}

/** The embedding server refused or garbled a request; the message says which and how to fix it. */
export class EmbedderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EmbedderError";
  }
}

const responseSchema = z.object({
  data: z.array(z.object({ index: z.number().int().min(0), embedding: z.array(z.number()) })),
});

/** `error.message` (OpenAI, vLLM) or `error` (Ollama) of an error body, if there is one. */
function serverMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown };
    const error = parsed.error;
    if (typeof error === "string") return error;
    if (error && typeof error === "object" && typeof (error as { message?: unknown }).message === "string") {
      return (error as { message: string }).message;
    }
    if (typeof parsed.message === "string") return parsed.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.slice(0, 200);
}

/**
 * Embeds through any OpenAI-compatible server: `POST {url}/v1/embeddings {model, input: [...]}` (OpenAI,
 * Ollama, vLLM, llama.cpp, text-embeddings-inference, LM Studio...). Texts go in batches; 429 and 5xx are
 * retried with back-off (honouring Retry-After); every answer is checked (one vector per text, of the
 * expected length, numbers only) and normalised. An empty text gets the zero vector without a request, as
 * servers refuse empty input.
 */
export class OpenAiEmbedder implements Embedder {
  private readonly endpoint: string;
  private readonly batchSize: number;
  private readonly maxChars: number;
  private readonly http: HttpClient;
  private known: number | null;

  private constructor(private readonly options: OpenAiEmbedderOptions) {
    if (!/^https?:\/\/[^\s/]+/i.test(options.url))
      throw new EmbedderError(`not an http(s) URL: ${options.url}`);
    if (options.model.trim() === "") throw new EmbedderError("no embedding model given");
    const base = options.url.replace(/\/+$/, "");
    this.endpoint = `${/\/v1$/.test(base) ? base : `${base}/v1`}/embeddings`;
    this.batchSize = Math.max(1, Math.floor(options.batchSize ?? 64));
    this.maxChars = Math.max(1, Math.floor(options.maxChars ?? 8192));
    this.known = options.dimensions;
    this.http = new HttpClient({
      userAgent: "Paperboy embedder",
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.retry === undefined ? {} : { retry: options.retry }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
  }

  /**
   * Connects: embeds one probe text, so a wrong URL, key or model, or a vector length other than the
   * configured one, fails here with a clear message rather than in the middle of indexing.
   */
  static async connect(options: OpenAiEmbedderOptions): Promise<OpenAiEmbedder> {
    const embedder = new OpenAiEmbedder(options);
    await embedder.embed(["dimension probe"]);
    return embedder;
  }

  get dimensions(): number {
    if (this.known === null)
      throw new EmbedderError("the embedder's dimensions are unknown before it connects");
    return this.known;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = new Array(texts.length);
    const sent: { at: number; text: string }[] = [];
    texts.forEach((text, at) => {
      // Cut, but never between the two halves of a surrogate pair (a lone half is not valid UTF-8 to send).
      const end = /[\uD800-\uDBFF]/.test(text.charAt(this.maxChars - 1)) ? this.maxChars - 1 : this.maxChars;
      const cut = text.slice(0, end);
      if (cut.trim() === "") out[at] = new Float32Array(this.known ?? 0);
      else sent.push({ at, text: cut });
    });
    for (let i = 0; i < sent.length; i += this.batchSize) {
      const batch = sent.slice(i, i + this.batchSize);
      const vectors = await this.request(batch.map((b) => b.text));
      batch.forEach((b, j) => {
        out[b.at] = vectors[j] as Float32Array;
      });
    }
    // Zero vectors made before the length was known (an empty text first) get it now.
    return out.map((v) => (v.length === 0 && this.known !== null ? new Float32Array(this.known) : v));
  }

  private async request(input: string[]): Promise<Float32Array[]> {
    const { apiKey, model } = this.options;
    const response = await this.http.postJson(
      this.endpoint,
      { model, input, encoding_format: "float" },
      {
        headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
        // The server explains a refusal (a wrong model, a bad key) in its body: read it, do not retry.
        acceptStatus: (status) => status < 500 && status !== 429,
      },
    );
    if (response.status >= 400) throw this.refusal(response.status, response.body);
    let parsed: z.infer<typeof responseSchema>;
    try {
      parsed = responseSchema.parse(JSON.parse(response.body));
    } catch (error) {
      const why = error instanceof z.ZodError ? (error.issues[0]?.message ?? "bad shape") : "not JSON";
      throw new EmbedderError(
        `malformed answer from ${this.endpoint} (${why}): expected {"data": [{"index", "embedding"}]}`,
      );
    }
    if (parsed.data.length !== input.length) {
      throw new EmbedderError(
        `${this.endpoint} returned ${parsed.data.length} vectors for ${input.length} texts`,
      );
    }
    const vectors: Float32Array[] = new Array(input.length);
    for (const item of parsed.data) {
      if (item.index >= input.length || vectors[item.index] !== undefined) {
        throw new EmbedderError(
          `malformed answer from ${this.endpoint}: bad or repeated index ${item.index}`,
        );
      }
      this.checkLength(item.embedding.length);
      vectors[item.index] = normalize(Float32Array.from(item.embedding));
    }
    return vectors;
  }

  private checkLength(length: number): void {
    if (length === 0) throw new EmbedderError(`malformed answer from ${this.endpoint}: an empty embedding`);
    if (this.known === null) {
      this.known = length;
      return;
    }
    if (length !== this.known) {
      const expected = this.options.dimensions === null ? "earlier answers had" : "configured dimensions are";
      throw new EmbedderError(
        `model "${this.options.model}" at ${this.endpoint} gives ${length}-dimensional vectors; the ${expected} ${this.known}`,
      );
    }
  }

  private refusal(status: number, body: string): EmbedderError {
    const message = serverMessage(body);
    if (status === 401 || status === 403) {
      return new EmbedderError(`${this.endpoint} refused the API key (HTTP ${status}): ${message}`);
    }
    if (status === 404 && /model/i.test(message)) {
      return new EmbedderError(
        `${this.endpoint} has no model "${this.options.model}" (HTTP 404): ${message}`,
      );
    }
    if (status === 404) {
      return new EmbedderError(
        `${this.endpoint} is not an embeddings endpoint (HTTP 404): check the server URL`,
      );
    }
    return new EmbedderError(
      `${this.endpoint} refused the request for model "${this.options.model}" (HTTP ${status}): ${message}`,
    );
  }
}
