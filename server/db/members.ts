// Data access for members, sessions, nonces, company profiles and documents.
import { createHash } from "node:crypto";
import type { Database } from "../database/client.ts";
import type { MemberState } from "../members/projection.ts";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export function createMemberQueries(db: Database) {
  const prisma = db.prisma;
  return {
    async member(address: string): Promise<MemberState | null> {
      return await prisma.member.findUnique({ where: { address } });
    },
    async members(): Promise<MemberState[]> {
      return await prisma.member.findMany({ orderBy: { admittedAtBlock: "asc" } });
    },
  };
}

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

export interface CompanyProfileRecord {
  address: string;
  legalName: string;
  taxId: string;
  contacts: unknown;
  updatedAt: Date;
  /** the member (company) */
  updatedBy: string;
  /** the person (the member's own key or one of its staff); null on rows from before staff existed */
  actor: string | null;
}

export function createCompanyStore(db: Database) {
  const prisma = db.prisma;
  const fromRow = (r: any): CompanyProfileRecord => ({ ...r, contacts: JSON.parse(r.contacts) });
  return {
    async get(address: string): Promise<CompanyProfileRecord | null> {
      const r = await prisma.companyProfile.findUnique({ where: { address } });
      return r && fromRow(r);
    },
    async all(): Promise<CompanyProfileRecord[]> {
      return (await prisma.companyProfile.findMany()).map(fromRow);
    },
    async put(p: Omit<CompanyProfileRecord, "updatedAt">): Promise<CompanyProfileRecord> {
      const data = { legalName: p.legalName, taxId: p.taxId, contacts: JSON.stringify(p.contacts), updatedBy: p.updatedBy, actor: p.actor, updatedAt: new Date() };
      return fromRow(await prisma.companyProfile.upsert({ where: { address: p.address }, create: { address: p.address, ...data }, update: data }));
    },
  };
}

export interface DocumentRecord {
  receivableId: string;
  contentType: string;
  bytes: Uint8Array;
  hash: string;
  uploadedBy: string;
  /** the person who uploaded it (null on rows from before staff existed) */
  actor: string | null;
  uploadedAt: Date;
}

export function createDocumentStore(db: Database) {
  const prisma = db.prisma;
  return {
    async get(receivableId: string): Promise<DocumentRecord | null> {
      return await prisma.document.findUnique({ where: { receivableId } });
    },
    async put(d: DocumentRecord) {
      const data = { contentType: d.contentType, bytes: Buffer.from(d.bytes) as any, hash: d.hash, uploadedBy: d.uploadedBy, actor: d.actor, uploadedAt: d.uploadedAt };
      await prisma.document.upsert({ where: { receivableId: d.receivableId }, create: { receivableId: d.receivableId, ...data }, update: data });
    },
  };
}
