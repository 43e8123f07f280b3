import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env.ts";
import { ApiError, fromZodError } from "./errors.ts";

type ObjectSchema = z.ZodObject<z.ZodRawShape>;
type Input<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

/** One API operation: its contract (documented in /api/openapi.json) and its handler. */
export interface ApiRoute {
  method: "get" | "post" | "put" | "delete";
  /** Hono syntax, relative to /api: `/papers/:id`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  params?: ObjectSchema;
  query?: ObjectSchema;
  body?: z.ZodType;
  /** A body the handler reads itself (a file, not JSON): documented as these media types. */
  rawBody?: { description: string; mediaTypes: string[] };
  /** Needs a signed-in user (session cookie or `Authorization: Bearer <token>`). */
  auth: boolean;
  /** `mediaType`: what a 200 is when it is not JSON (a file download); `schema` then describes it as text. */
  response: { description: string; schema: z.ZodType; mediaType?: string };
  /** Validates, authorizes and runs the handler. */
  handle(c: Context<AppEnv>): Promise<Response>;
}

interface RouteDefinition<P, Q, B> extends Omit<ApiRoute, "handle" | "params" | "query" | "body" | "auth"> {
  params?: P;
  query?: Q;
  body?: B;
  auth?: boolean;
  handler(
    c: Context<AppEnv>,
    input: { params: Input<P>; query: Input<Q>; body: Input<B> },
  ): Promise<Response>;
}

/** Query strings repeat keys (`?cat=a&cat=b`); schemas see a string for one value and an array for several. */
function queryObject(c: Context<AppEnv>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, values] of Object.entries(c.req.queries())) {
    out[key] = values.length === 1 ? (values[0] ?? "") : values;
  }
  return out;
}

function parse<S extends z.ZodType | undefined>(
  schema: S,
  value: unknown,
  where: "query" | "path" | "body",
): Input<S> {
  if (!schema) return {} as Input<S>;
  const result = schema.safeParse(value);
  if (!result.success) throw fromZodError(result.error, where);
  return result.data as Input<S>;
}

/** Declares a route: the schemas type the handler's input and document the operation. */
export function defineRoute<
  P extends ObjectSchema | undefined = undefined,
  Q extends ObjectSchema | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(def: RouteDefinition<P, Q, B>): ApiRoute {
  const { handler, ...contract } = def;
  return {
    ...contract,
    params: def.params,
    query: def.query,
    body: def.body,
    auth: def.auth ?? false,
    async handle(c) {
      if (def.auth && !c.get("user")) {
        throw new ApiError("unauthorized", "sign in or send Authorization: Bearer <API token>");
      }
      const params = parse(def.params, c.req.param(), "path") as Input<P>;
      const query = parse(def.query, queryObject(c), "query") as Input<Q>;
      let body: Input<B> = {} as Input<B>;
      if (def.body) {
        let raw: unknown;
        try {
          raw = await c.req.json();
        } catch {
          throw new ApiError("invalid_request", "the body must be JSON");
        }
        body = parse(def.body, raw, "body");
      }
      return handler(c, { params, query, body });
    },
  };
}

/** Query helpers shared by the routes. */
export const pageNumber = (fallback: number) => z.coerce.number().int().min(0).max(100_000).default(fallback);
export const limitNumber = (fallback: number, max = 100) =>
  z.coerce.number().int().min(1).max(max).default(fallback);
/** A repeated or comma-separated list parameter. */
export const listParam = z.union([z.string(), z.array(z.string())]).transform((v) =>
  (Array.isArray(v) ? v : [v])
    .flatMap((s) => s.split(","))
    .map((s) => s.trim())
    .filter(Boolean),
);
