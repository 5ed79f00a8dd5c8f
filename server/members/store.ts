// Data access of the members: the indexed Member rows, their company profiles, and the people inside a member
// (staff accounts with desk roles). The only file that reads the Member, CompanyProfile and StaffMember tables.
// Staff are kept with history: a removal stamps removedAt/removedBy, a re-adding is a new row.
import { randomUUID } from "node:crypto";
import type { Database } from "../database/client.ts";
import { toDbAmount, fromDbAmount } from "../database/client.ts";
import { DESK_ROLES, type DeskRole } from "../../common/desk-roles.ts";
import type { MemberState } from "./projection.ts";

export interface StaffRecord {
  id: string;
  member: string;
  address: string;
  name: string;
  deskRoles: DeskRole[];
  /** base units; null unless a credit approver */
  authorityAmount: bigint | null;
  addedBy: string;
  addedAt: Date;
  updatedBy: string;
  updatedAt: Date;
  removedAt: Date | null;
  removedBy: string | null;
}

const fromRow = (r: any): StaffRecord => ({
  ...r,
  deskRoles: (JSON.parse(r.deskRoles) as string[]).filter((x): x is DeskRole => (DESK_ROLES as readonly string[]).includes(x)),
  authorityAmount: r.authorityAmount === null ? null : fromDbAmount(r.authorityAmount),
});

/** Desk roles in their canonical order, each once. */
const canonical = (roles: readonly DeskRole[]) => DESK_ROLES.filter((r) => roles.includes(r));

export function createStaffStore(db: Database) {
  const prisma = db.prisma;
  return {
    /** The staff link a key signs in with: its one unremoved row, if any. */
    async activeByAddress(address: string): Promise<StaffRecord | null> {
      const r = await prisma.staffMember.findFirst({ where: { address, removedAt: null } });
      return r && fromRow(r);
    },
    /** Whether the key was ever linked as staff (a removed staff key may not sign in on its own). */
    async everLinked(address: string): Promise<boolean> {
      return (await prisma.staffMember.count({ where: { address } })) > 0;
    },
    /** A member's staff, current and removed, oldest first. */
    async ofMember(member: string): Promise<StaffRecord[]> {
      return (await prisma.staffMember.findMany({ where: { member }, orderBy: [{ addedAt: "asc" }, { id: "asc" }] })).map(fromRow);
    },
    async add(s: {
      member: string;
      address: string;
      name: string;
      deskRoles: readonly DeskRole[];
      authorityAmount: bigint | null;
      by: string;
      at: Date;
    }): Promise<StaffRecord> {
      return fromRow(
        await prisma.staffMember.create({
          data: {
            id: randomUUID(),
            member: s.member,
            address: s.address,
            name: s.name,
            deskRoles: JSON.stringify(canonical(s.deskRoles)),
            authorityAmount: s.authorityAmount === null ? null : toDbAmount(s.authorityAmount),
            addedBy: s.by,
            addedAt: s.at,
            updatedBy: s.by,
            updatedAt: s.at,
          },
        }),
      );
    },
    async update(
      id: string,
      s: { name?: string | undefined; deskRoles: readonly DeskRole[]; authorityAmount: bigint | null; by: string; at: Date },
    ): Promise<StaffRecord> {
      return fromRow(
        await prisma.staffMember.update({
          where: { id },
          data: {
            ...(s.name !== undefined ? { name: s.name } : {}),
            deskRoles: JSON.stringify(canonical(s.deskRoles)),
            authorityAmount: s.authorityAmount === null ? null : toDbAmount(s.authorityAmount),
            updatedBy: s.by,
            updatedAt: s.at,
          },
        }),
      );
    },
    async remove(id: string, by: string, at: Date): Promise<StaffRecord> {
      return fromRow(await prisma.staffMember.update({ where: { id }, data: { removedAt: at, removedBy: by } }));
    },
    /** Ends every session of a key (a removed staff member's sessions stop at once). */
    async endSessionsOf(address: string): Promise<void> {
      await prisma.session.deleteMany({ where: { address } });
    },
  };
}

export type StaffStore = ReturnType<typeof createStaffStore>;

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
      const data = {
        legalName: p.legalName,
        taxId: p.taxId,
        contacts: JSON.stringify(p.contacts),
        updatedBy: p.updatedBy,
        actor: p.actor,
        updatedAt: new Date(),
      };
      return fromRow(await prisma.companyProfile.upsert({ where: { address: p.address }, create: { address: p.address, ...data }, update: data }));
    },
  };
}
