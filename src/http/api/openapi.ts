import { z } from "zod";
import { SESSION_COOKIE } from "../accounts/session.ts";
import type { ApiRoute } from "./route.ts";
import { errorSchema } from "./schemas.ts";

type JsonObject = Record<string, unknown>;

/** `/papers/:id{.+}/similar` → `/papers/{id}/similar`. */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)(\{[^}]*\})?/g, "{$1}");
}

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonObject {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonObject;
  return rest;
}

/** One OpenAPI parameter per property of a path or query object schema. */
function parameters(schema: z.ZodObject<z.ZodRawShape> | undefined, where: "path" | "query"): JsonObject[] {
  if (!schema) return [];
  const object = jsonSchema(schema, "input");
  const properties = (object.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === "path" || required.has(name),
      ...(typeof description === "string" ? { description } : {}),
      schema: rest,
    };
  });
}

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: jsonSchema(errorSchema, "output") } },
});

/**
 * The OpenAPI 3.1 document, generated from the route table: the same zod schemas validate requests, type the
 * handlers and describe the operations, so the document cannot drift from the code.
 */
export function openApiDocument(routes: readonly ApiRoute[], serverUrl: string): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    const operation: JsonObject = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: route.tags,
      parameters: [...parameters(route.params, "path"), ...parameters(route.query, "query")],
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: jsonSchema(route.body, "input") } },
            },
          }
        : route.rawBody
          ? {
              requestBody: {
                required: true,
                description: route.rawBody.description,
                content: Object.fromEntries(
                  route.rawBody.mediaTypes.map((type) => [type, { schema: { type: "string" } }]),
                ),
              },
            }
          : {}),
      ...(route.auth ? { security: [{ bearerToken: [] }, { sessionCookie: [] }] } : {}),
      responses: {
        "200": {
          description: route.response.description,
          content: {
            [route.response.mediaType ?? "application/json"]: {
              schema: jsonSchema(route.response.schema, "output"),
            },
          },
        },
        "400": errorResponse("invalid input; `error.field` names the parameter"),
        ...(route.auth ? { "401": errorResponse("not signed in") } : {}),
        ...(route.params ? { "404": errorResponse("not found") } : {}),
        ...(route.rawBody
          ? { "413": errorResponse("the body is over the size limit; nothing was stored") }
          : {}),
        "500": errorResponse("internal error"),
      },
    };
    paths[path] = { ...(paths[path] ?? {}), [route.method]: operation };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Paperboy API",
      version: "1",
      description:
        "Shaped like the Hugging Face papers API (daily_papers, papers/{id}, papers/search): existing clients " +
        'work by changing only the base URL. Errors are JSON: {"error": {"code", "message"}}.',
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      securitySchemes: {
        bearerToken: {
          type: "http",
          scheme: "bearer",
          description: "a per-user API token from your account page",
        },
        sessionCookie: { type: "apiKey", in: "cookie", name: SESSION_COOKIE },
      },
    },
  };
}
