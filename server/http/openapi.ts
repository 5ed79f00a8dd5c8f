// OpenAPI 3.1 from the routes' zod schemas, and a self-contained documentation page rendered from it.
import { z } from "zod";
import type { RouteSpec } from "./route.ts";

const jsonSchema = (s: z.ZodType) => {
  const out = z.toJSONSchema(s, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as Record<string, unknown>;
  delete out["$schema"];
  return out;
};

export function openApiDocument(routes: RouteSpec[], info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, "{$1}");
    const parameters: unknown[] = [];
    for (const [where, obj] of [
      ["path", r.params],
      ["query", r.query],
    ] as const) {
      if (!obj) continue;
      for (const [name, field] of Object.entries(obj.shape as Record<string, z.ZodType>)) {
        const schema = jsonSchema(field);
        parameters.push({
          name,
          in: where,
          required: where === "path" || !field.safeParse(undefined).success,
          ...(schema["description"] ? { description: schema["description"] } : {}),
          schema,
        });
      }
    }
    const op: Record<string, unknown> = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method}${path.replace(/[{}]/g, "").replace(/[^a-zA-Z0-9]+(.)/g, (_m, c: string) => c.toUpperCase())}`,
      ...(r.access || r.description ? { description: [r.access, r.description].filter(Boolean).join("\n\n") } : {}),
      ...(r.auth === "session" ? { security: [{ session: [] }, { bearer: [] }] } : {}),
      parameters,
      responses: {
        "200": {
          description: "OK",
          content: r.produces
            ? Object.fromEntries([r.produces].flat().map((t) => [t, {}]))
            : { "application/json": { schema: r.response ? jsonSchema(r.response) : {} } },
        },
        "400": {
          description: "Malformed request (the message names the problem)",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
        ...(r.auth === "session" ? { "401": { description: "No session" } } : {}),
      },
    };
    if (r.body) op["requestBody"] = { required: true, content: { "application/json": { schema: jsonSchema(r.body) } } };
    if (r.rawBody) op["requestBody"] = { required: true, content: { [r.rawBody]: { schema: { type: "string", format: "binary" } } } };
    (paths[path] ??= {})[r.method] = op;
  }
  return {
    openapi: "3.1.0",
    info: { ...info, description: "Receivables ledger API. Every data response says up to which block (number, hash, final) it is current." },
    paths,
    components: {
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "session" },
        bearer: { type: "http", scheme: "bearer", description: "the token returned by POST /api/auth/login" },
      },
      schemas: {
        Error: {
          type: "object",
          properties: { error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" }, details: {} } } },
        },
      },
    },
  };
}

const esc = (s: unknown) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** A browsable page rendered on the server from the OpenAPI document (no CDN: the machine may be offline). */
export function docsPage(doc: ReturnType<typeof openApiDocument>): string {
  const sections: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops) as [string, any][]) {
      const params = (op.parameters as any[])
        .map(
          (p) =>
            `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required ? "yes" : ""}</td><td><code>${esc(JSON.stringify(p.schema))}</code></td></tr>`,
        )
        .join("");
      const body = op.requestBody ? `<details><summary>Request body</summary><pre>${esc(JSON.stringify(op.requestBody.content, null, 2))}</pre></details>` : "";
      const resp = `<details><summary>Response</summary><pre>${esc(JSON.stringify(op.responses["200"].content, null, 2))}</pre></details>`;
      sections.push(
        `<section id="${esc(op.operationId)}"><h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>` +
          `<p>${esc(op.summary)}${op.security ? ' <span class="auth">session</span>' : ""}</p>` +
          (op.description ? `<p class="access">${esc(op.description)}</p>` : "") +
          (params ? `<table><tr><th>name</th><th>in</th><th>required</th><th>schema</th></tr>${params}</table>` : "") +
          body +
          resp +
          `</section>`,
      );
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(doc.info.title)} — API</title>
<style>body{font:14px/1.45 system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}
code,pre{font:12px ui-monospace,monospace}pre{background:#f6f6f6;padding:.6em;overflow:auto}
section{border-top:1px solid #ddd;padding:.4em 0}.m{display:inline-block;min-width:3.5em;text-align:center;color:#fff;border-radius:3px;padding:0 .3em}
.get{background:#2b7}.post{background:#27b}.put{background:#b72}.auth{background:#eee;border-radius:3px;padding:0 .4em;font-size:12px}
.access{color:#555}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}</style></head>
<body><h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1><p>${esc(doc.info.description)}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${esc(doc.openapi)}).</p>
${sections.join("\n")}</body></html>`;
}
