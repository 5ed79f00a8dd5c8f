// Sign-In with Ethereum (EIP-4361): nonces, message verification, sessions. Roles come from the chain (the
// indexed MemberRegistry), never from the client.
import { randomBytes } from "node:crypto";
import { SiweMessage, generateNonce } from "siwe";
import { HttpError, badRequest, unauthorized } from "../errors.ts";
import { roleNames } from "../../common/roles.ts";
import { isActive } from "../members/projection.ts";
import type { Viewer } from "../receivables/visibility.ts";
import type { DeskRole } from "../../common/desk-roles.ts";

export const NONCE_TTL_MS = 10 * 60_000;
export const SESSION_TTL_MS = 12 * 3_600_000;

export interface AuthDeps {
  sessions: {
    saveNonce(nonce: string, expiresAt: Date): Promise<void>;
    useNonce(nonce: string): Promise<boolean>;
    hasNonce(nonce: string): Promise<boolean>;
    createSession(token: string, address: string, expiresAt: Date): Promise<void>;
    session(token: string): Promise<{ address: string; expiresAt: Date } | null>;
    deleteSession(token: string): Promise<void>;
  };
  members: { member(address: string): Promise<{ roles: number; expiresAt: number; suspended: boolean } | null> };
  companies: { get(address: string): Promise<{ legalName: string; taxId: string } | null> };
  /** Staff links (server/members/store.ts): a staff key signs in as a person of its member. */
  staff: {
    activeByAddress(address: string): Promise<{ member: string; name: string; deskRoles: DeskRole[]; authorityAmount: bigint | null } | null>;
    everLinked(address: string): Promise<boolean>;
  };
  chainId: number;
  operator: () => string | null;
  /** The origins ("https://ledger.example.com", "http://127.0.0.1:3000") users reach this server at. */
  origins: () => readonly string[];
  /** Chain time (unix seconds) of the indexed head. */
  chainNow: () => Promise<number>;
}

/** How long a resolved session (token → viewer with roles) is reused before the database is asked again. */
export const VIEWER_CACHE_MS = 5_000;

export function createAuthService(deps: AuthDeps) {
  const cache = new Map<string, { viewer: Viewer; until: number }>();
  const endedListeners = new Set<(address: string) => void>();
  /**
   * The viewer of a signed-in key: a member's own key (or any key never linked as staff) acts for itself as its
   * administrator; a staff key acts for its member with its desk roles; a key whose staff links were all removed
   * has no viewer (its sessions end, it cannot sign in).
   */
  async function viewerOf(address: string): Promise<Viewer | null> {
    // The ledger judges admission by block time, so the server does too (never the wall clock).
    const own = await deps.members.member(address);
    const link = own ? null : await deps.staff.activeByAddress(address);
    if (!own && !link && (await deps.staff.everLinked(address))) return null;
    const member = link ? link.member : address;
    const m = link ? await deps.members.member(member) : own;
    const nowS = await deps.chainNow();
    return {
      address,
      member,
      roles: m?.roles ?? 0,
      active: isActive(m ? { address: member, admittedAtBlock: 0, updatedAtBlock: 0, ...m } : undefined, nowS),
      isOperator: deps.operator() === member,
      administrator: !link,
      deskRoles: link ? link.deskRoles : [],
      authority: link ? (link.deskRoles.includes("creditApprover") ? (link.authorityAmount ?? 0n) : 0n) : null,
    };
  }

  async function describe(viewer: Viewer) {
    const m = await deps.members.member(viewer.member);
    const company = await deps.companies.get(viewer.member);
    const link = viewer.administrator ? null : await deps.staff.activeByAddress(viewer.address);
    const roles: string[] = roleNames(viewer.roles);
    if (viewer.isOperator) roles.push("Operator");
    return {
      address: viewer.address,
      member: viewer.member,
      roles,
      active: viewer.active || viewer.isOperator,
      suspended: m?.suspended ?? false,
      expiresAt: m ? new Date(m.expiresAt * 1000).toISOString() : null,
      ...(company ? { company: { legalName: company.legalName, taxId: company.taxId } } : {}),
      person: {
        address: viewer.address,
        name: link?.name ?? null,
        administrator: viewer.administrator,
        deskRoles: [...viewer.deskRoles],
        authority: viewer.authority === null ? null : viewer.authority.toString(),
      },
    };
  }

  return {
    viewerOf,
    describe,
    async nonce() {
      const nonce = generateNonce();
      await deps.sessions.saveNonce(nonce, new Date(Date.now() + NONCE_TTL_MS));
      return nonce;
    },
    /**
     * Verifies a signed SIWE message for this server: its domain and URI must be one of the server's public
     * origins (configuration, never the request's Host header, which a relaying phishing site sets at will).
     */
    async login(input: { message: string; signature: string }) {
      let msg: SiweMessage;
      try {
        msg = new SiweMessage(input.message);
      } catch (err) {
        throw badRequest(`message is not an EIP-4361 (SIWE) message: ${(err as Error).message ?? String(err)}`);
      }
      const origins = deps.origins();
      const domains = origins.map((o) => new URL(o).host);
      if (!domains.includes(msg.domain))
        throw new HttpError(
          401,
          "siwe_domain",
          `SIWE message is for domain "${msg.domain}"; this server signs in for ${domains.map((d) => `"${d}"`).join(", ")}`,
        );
      let uriOrigin: string | null = null;
      try {
        uriOrigin = new URL(msg.uri).origin;
      } catch {
        uriOrigin = null;
      }
      if (!uriOrigin || !origins.includes(uriOrigin) || new URL(uriOrigin).host !== msg.domain) {
        throw new HttpError(401, "siwe_uri", `SIWE message URI "${msg.uri}" is not on this server's origin for "${msg.domain}"`);
      }
      if (msg.chainId !== deps.chainId)
        throw new HttpError(401, "siwe_chain", `SIWE message is for chain ${msg.chainId}, this ledger is on chain ${deps.chainId}`);
      if (!(await deps.sessions.hasNonce(msg.nonce)))
        throw new HttpError(401, "siwe_nonce", "SIWE nonce is unknown, expired or already used: get a fresh one from /api/auth/nonce");
      try {
        await msg.verify({ signature: input.signature, domain: msg.domain, nonce: msg.nonce, time: new Date().toISOString() }, { suppressExceptions: false });
      } catch (err: any) {
        const type = err?.error?.type ?? err?.type ?? (err as Error)?.message ?? "invalid";
        throw new HttpError(401, "siwe_invalid", `SIWE verification failed: ${type}`);
      }
      if (!(await deps.sessions.useNonce(msg.nonce))) throw new HttpError(401, "siwe_nonce", "SIWE nonce already used");
      const address = msg.address.toLowerCase();
      const viewer = await viewerOf(address);
      if (!viewer) throw new HttpError(401, "staff_removed", `${address} was removed from its member's staff and no longer signs in`);
      const token = randomBytes(32).toString("hex");
      await deps.sessions.createSession(token, address, new Date(Date.now() + SESSION_TTL_MS));
      return { token, viewer, body: { ...(await describe(viewer)), token } };
    },
    async sessionViewer(token: string | undefined): Promise<Viewer | null> {
      if (!token) return null;
      const hit = cache.get(token);
      if (hit && hit.until > Date.now()) return hit.viewer;
      const session = await deps.sessions.session(token);
      const viewer = session ? await viewerOf(session.address) : null;
      if (viewer) {
        if (cache.size > 10_000) cache.clear();
        // Never past the session's own expiry: an expired token is refused at once, not up to 5 s later.
        cache.set(token, { viewer, until: Math.min(Date.now() + VIEWER_CACHE_MS, session!.expiresAt.getTime()) });
      } else cache.delete(token);
      return viewer;
    },
    async logout(token: string | undefined) {
      if (token) {
        cache.delete(token);
        await deps.sessions.deleteSession(token);
      }
    },
    /**
     * A key's sessions were ended (a removed staff member): its cached viewers go at once and listeners (the live
     * stream) close what that key has open.
     */
    sessionsEnded(address: string) {
      for (const [token, hit] of cache) if (hit.viewer.address === address) cache.delete(token);
      for (const f of endedListeners) f(address);
    },
    onSessionsEnded(f: (address: string) => void): () => void {
      endedListeners.add(f);
      return () => endedListeners.delete(f);
    },
    /** Forgets cached roles (called when the indexer sees membership change or the operator move, and when staff change). */
    invalidate() {
      cache.clear();
    },
    requireViewer(v: Viewer | null): Viewer {
      if (!v) throw unauthorized();
      return v;
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
