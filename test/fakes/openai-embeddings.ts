import type { IncomingMessage } from "node:http";
import { hashEmbedding } from "../helpers/hash-embedding.ts";
import { type FakeReply, type FakeServer, startFakeServer } from "./server.ts";

export interface FakeEmbeddingOptions {
  /** Vector length it answers with. Default 32. */
  dimensions?: number;
  /** Models it knows. Default ["fake-embed"]. */
  models?: string[];
  /** A bearer key it requires; null: none. Default null. */
  apiKey?: string | null;
}

export interface FakeEmbeddingServer extends FakeServer {
  /** The `input` arrays received, in order. */
  inputs: string[][];
}

const json = (status: number, body: unknown): FakeReply => ({
  status,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * An OpenAI-compatible embeddings server on loopback: `POST /v1/embeddings {model, input}` answers one
 * deterministic vector per input (`hashEmbedding`, scaled by 3 so clients must normalise), with OpenAI's error
 * bodies for a wrong key (401), an unknown model (404) and bad input (400); a POST elsewhere gets a plain 404.
 * Anything else is unplanned.
 */
export async function startFakeEmbeddingServer(
  options: FakeEmbeddingOptions = {},
): Promise<FakeEmbeddingServer> {
  const dimensions = options.dimensions ?? 32;
  const models = options.models ?? ["fake-embed"];
  const apiKey = options.apiKey ?? null;
  const inputs: string[][] = [];
  const server = await startFakeServer(async (url, request) => {
    if (request.method !== "POST") return undefined;
    // What a real server answers a POST to a path it does not serve (a client given the wrong base URL).
    if (url.pathname !== "/v1/embeddings") return { status: 404, body: "404 page not found" };
    if (apiKey !== null && request.headers.authorization !== `Bearer ${apiKey}`) {
      return json(401, { error: { message: "Incorrect API key provided", type: "invalid_request_error" } });
    }
    let body: { model?: unknown; input?: unknown };
    try {
      body = JSON.parse(await readBody(request)) as typeof body;
    } catch {
      return json(400, { error: { message: "We could not parse the JSON body of your request." } });
    }
    if (typeof body.model !== "string" || !models.includes(body.model)) {
      return json(404, {
        error: { message: `The model \`${String(body.model)}\` does not exist`, code: "model_not_found" },
      });
    }
    const input = body.input;
    if (!Array.isArray(input) || input.some((t) => typeof t !== "string" || t === "")) {
      return json(400, { error: { message: "'input' must be an array of non-empty strings" } });
    }
    inputs.push(input as string[]);
    return json(200, {
      object: "list",
      model: body.model,
      data: (input as string[]).map((text, index) => ({
        object: "embedding",
        index,
        embedding: Array.from(hashEmbedding(text, dimensions), (x) => x * 3),
      })),
    });
  });
  return Object.assign(server, { inputs });
}
