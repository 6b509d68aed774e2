import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { Identity } from '../../server/identity';
import { ApiError, badRequest, forbidden } from './errors';
import { DEFAULT_BODY_LIMIT_BYTES, jsonBodyReader } from './json-body';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call a route: admins configure and run; members (sellers) read. */
export type Access = 'admin' | 'member';

export interface RouteResponse {
  status?: number;
  body?: unknown;
  /** For non-JSON bodies (e.g. CSV exports). */
  contentType?: string;
  headers?: Record<string, string>;
}

export interface HandlerInput<P, Q, B, S> {
  params: P;
  query: Q;
  body: B;
  identity: Identity;
  services: S;
  req: Request;
}

export interface RouteDefinition<P = unknown, Q = unknown, B = unknown, S = unknown> {
  method: Method;
  /** Express-style path under the API root, e.g. `/runs/:runId`. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Largest JSON body accepted, in bytes (default 1 MB); bigger bodies get 413. */
  maxBodyBytes?: number;
  /** Documented responses: status → description and, for JSON, the schema. */
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  handler(input: HandlerInput<P, Q, B, S>): Promise<RouteResponse>;
}

/** Keeps each route's types checked while letting a list hold routes of different shapes. */
export function defineRoute<P, Q, B, S>(route: RouteDefinition<P, Q, B, S>): RouteDefinition<P, Q, B, S> {
  return route;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute<S> = RouteDefinition<any, any, any, S>;

function parsePart<T>(
  schema: z.ZodType<T> | undefined,
  value: unknown,
  part: 'body' | 'query' | 'params',
): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value ?? (part === 'body' ? undefined : {}));
  if (!result.success) throw badRequest(result.error, part);
  return result.data;
}

function sendError(res: Response, error: unknown): void {
  if (error instanceof ApiError) {
    res.status(error.status).json(error.toJSON());
    return;
  }
  console.error(`[api] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  res
    .status(500)
    .json({ error: { code: 'InternalError', message: 'Something went wrong on our side. Try again.' } });
}

/** Mounts routes on an Express router: validation first, then access, then the handler. */
export function mountRoutes<S>(router: Router, routes: readonly AnyRoute<S>[], services: S): void {
  for (const route of routes) {
    // Bodies are read only after access is checked, up to the route's own limit.
    const readBody = route.body ? jsonBodyReader(route.maxBodyBytes ?? DEFAULT_BODY_LIMIT_BYTES) : undefined;
    router[route.method](route.path, (req: Request, res: Response) => {
      void (async () => {
        try {
          const identity = req.identity;
          if (!identity) throw new ApiError(401, 'Unauthorized', 'A valid sign-in is required.');
          if (route.access === 'admin' && !identity.isAdmin) {
            throw forbidden('Only an Account engagement admin can do this.');
          }
          if (readBody) await readBody(req, res);
          const input = {
            params: parsePart(route.params, req.params, 'params'),
            query: parsePart(route.query, req.query, 'query'),
            body: parsePart(route.body, req.body, 'body'),
            identity,
            services,
            req,
          };
          const result = await route.handler(input);
          for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
          res.status(result.status ?? 200);
          if (result.contentType) res.type(result.contentType).send(result.body);
          else if (result.body === undefined) res.end();
          else res.json(result.body);
        } catch (error) {
          sendError(res, error);
        }
      })();
    });
  }
}

const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  });
  return rest;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (object.required ?? []).includes(name),
    schema: property,
  }));
}

/** The OpenAPI 3.1 document, generated from the very schemas that validate the requests. */
export function openApiDocument<S>(routes: readonly AnyRoute<S>[], info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = `/api${route.path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema
          ? {
              content: {
                [response.contentType ?? 'application/json']: {
                  schema: jsonSchema(response.schema, 'output'),
                },
              },
            }
          : {}),
      };
    }
    responses.default = {
      description: 'An error, naming the fields at fault',
      content: { 'application/json': { schema: jsonSchema(errorSchema, 'output') } },
    };
    paths[path] = {
      ...paths[path],
      [route.method]: {
        summary: route.summary,
        tags: [route.tag],
        operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
        'x-access': route.access,
        parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
        ...(route.body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
              },
            }
          : {}),
        responses,
        security: [{ teamsSso: [] }],
      },
    };
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        teamsSso: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A Teams SSO token for this app',
        },
      },
    },
  };
}
