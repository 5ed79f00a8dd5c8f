// Data access of sign-in: one-time nonces and sessions (tokens kept only as SHA-256 hashes). The only file that
// reads the AuthNonce and Session tables.
import { createHash } from "node:crypto";
import type { Database } from "../database/client.ts";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export function createSessionStore(db: Database) {
  const prisma = db.prisma;
  return {
    async saveNonce(nonce: string, expiresAt: Date) {
      await prisma.authNonce.deleteMany({ where: { expiresAt: { lt: new Date() } } });
      await prisma.authNonce.create({ data: { nonce, expiresAt } });
    },
    /** Removes the nonce; true when it existed and had not expired (each nonce signs in once). */
    async useNonce(nonce: string): Promise<boolean> {
      const r = await prisma.authNonce.deleteMany({ where: { nonce, expiresAt: { gt: new Date() } } });
      return r.count === 1;
    },
    async hasNonce(nonce: string): Promise<boolean> {
      return (await prisma.authNonce.count({ where: { nonce, expiresAt: { gt: new Date() } } })) === 1;
    },
    async createSession(token: string, address: string, expiresAt: Date) {
      await prisma.session.create({ data: { token: hashToken(token), address, expiresAt, createdAt: new Date() } });
    },
    /** The session's address and expiry, or null when there is no such session or it has expired. */
    async session(token: string): Promise<{ address: string; expiresAt: Date } | null> {
      const s = await prisma.session.findUnique({ where: { token: hashToken(token) } });
      return s && s.expiresAt > new Date() ? { address: s.address, expiresAt: s.expiresAt } : null;
    },
    async deleteSession(token: string) {
      await prisma.session.deleteMany({ where: { token: hashToken(token) } });
    },
  };
}
