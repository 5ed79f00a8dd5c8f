// Declares a route once: its zod schemas validate the request AND describe it in the OpenAPI document.
import type { Request, Response, NextFunction, Router } from "express";
import { z } from "zod";
import { parse } from "./validate.ts";
import type { Viewer } from "../receivables/visibility.ts";
import { unauthorized } from "../errors.ts";

export interface RouteSpec {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** Express path, e.g. /api/receivables/:id */
  path: string;
  summary: string;
  tag: string;
  /** "session": needs a SIWE session (cookie or Bearer token). */
  auth: "public" | "session";
  params?: z.ZodObject<any>;
  query?: z.ZodObject<any>;
  body?: z.ZodType;
  /** Raw body upload (documents): content type shown in OpenAPI. */
  rawBody?: string;
  response?: z.ZodType;
  /** Non-JSON response content type(s) (documents, event stream, HTML, exports). */
  produces?: string | string[];
  /** Who may call it and what they see (shown in the docs). */
  access?: string;
  /** What the answer means: definitions of its figures (shown in the docs after `access`). */
  description?: string;
}

export interface RouteContext<P = any, Q = any, B = any> {
  req: Request;
  res: Response;
  viewer: Viewer | null;
  params: P;
  query: Q;
  body: B;
}

export const ROUTES: RouteSpec[] = [];

/** What a schema parses to, or `D` when the spec has none. */
type Parsed<T, D> = T extends z.ZodType ? z.output<T> : D;
/** A handler's context typed from its spec: params, query and body from the zod schemas, the viewer present on
 * session routes. */
export type TypedContext<S extends RouteSpec> = RouteContext<
  Parsed<S["params"], Record<string, string>>,
  Parsed<S["query"], Record<string, never>>,
  Parsed<S["body"], undefined>
> & { viewer: S["auth"] extends "session" ? Viewer : Viewer | null };

export function route<const S extends RouteSpec>(
  router: Router,
  resolveViewer: (req: Request) => Promise<Viewer | null>,
  spec: S,
  handler: (ctx: TypedContext<S>) => Promise<unknown>,
) {
  if (!ROUTES.some((r) => r.method === spec.method && r.path === spec.path)) ROUTES.push(spec);
  router[spec.method](spec.path, async (req: Request, res: Response, next: NextFunction) => {
    try {
      const params = spec.params ? parse(spec.params, req.params, "path") : req.params;
      const query = parse(spec.query ?? z.strictObject({}), { ...(req.query as object) }, "query");
      let body: unknown = undefined;
      if (spec.body) body = parse(spec.body, req.body, "body");
      const viewer = await resolveViewer(req);
      if (spec.auth === "session" && !viewer) throw unauthorized();
      const out = await handler({ req, res, viewer, params, query, body } as TypedContext<S>);
      if (out !== undefined && !res.headersSent) res.json(out);
    } catch (err) {
      next(err);
    }
  });
}

/** A route module's declarer: `const r = routesOn(router, resolveViewer)`, then `r(spec, handler)` with the
 * handler's params, query, body and viewer typed from the spec. */
export function routesOn(router: Router, resolveViewer: (req: Request) => Promise<Viewer | null>) {
  return <const S extends RouteSpec>(spec: S, handler: (ctx: TypedContext<S>) => Promise<unknown>) => route(router, resolveViewer, spec, handler);
}

export type Handler = (ctx: RouteContext<any, any, any>) => Promise<unknown>;
