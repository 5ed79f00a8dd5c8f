// SIWE endpoints: nonce, login (sets an HttpOnly cookie and returns a bearer token for scripts), logout, me.
import type { Router } from "express";
import { z } from "zod";
import { routesOn } from "../http/route.ts";
import { SESSION_COOKIE, sessionToken, type AppContext } from "../http/context.ts";
import { SESSION_TTL_MS } from "./service.ts";
import { LoginResponse, SessionJson } from "../../common/api/members.ts";

const Me = SessionJson;

/** The services these routes use (and nothing else of the context). */
export function authRoutes(router: Router, ctx: Pick<AppContext, "auth" | "resolveViewer">) {
  const r = routesOn(router, ctx.resolveViewer);

  r(
    {
      method: "get",
      path: "/api/auth/nonce",
      tag: "auth",
      auth: "public",
      summary: "A fresh nonce for a SIWE message (valid 10 minutes, once)",
      response: z.object({ nonce: z.string() }),
    },
    async () => ({ nonce: await ctx.auth.nonce() }),
  );

  r(
    {
      method: "post",
      path: "/api/auth/login",
      tag: "auth",
      auth: "public",
      summary: "Sign in with a signed EIP-4361 message; sets the session cookie and returns a bearer token",
      body: z.strictObject({ message: z.string().min(1).max(4096), signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, "must be a 65-byte 0x hex signature") }),
      response: LoginResponse,
    },
    async ({ res, body }) => {
      const out = await ctx.auth.login(body as { message: string; signature: string });
      res.cookie(SESSION_COOKIE, out.token, { httpOnly: true, sameSite: "strict", path: "/", maxAge: SESSION_TTL_MS });
      return out.body;
    },
  );

  r(
    { method: "post", path: "/api/auth/logout", tag: "auth", auth: "public", summary: "Ends the session", response: z.object({ ok: z.boolean() }) },
    async ({ req, res }) => {
      await ctx.auth.logout(sessionToken(req));
      res.clearCookie(SESSION_COOKIE, { path: "/" });
      return { ok: true };
    },
  );

  r(
    {
      method: "get",
      path: "/api/auth/me",
      tag: "auth",
      auth: "session",
      summary: "The signed-in person, the member it acts for, the member's roles from the chain, its company and the person's desk roles",
      response: Me,
    },
    async ({ viewer }) => await ctx.auth.describe(viewer),
  );
}
