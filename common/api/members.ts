// Response schemas of the members, companies and sign-in APIs (/api/members, /api/companies, /api/auth). The
// server documents its responses with them; the client infers its types from them.
import { z } from "zod";
import { ROLE_NAMES, type RoleName } from "../roles.ts";
import { AddressJson, BlockStamp } from "./json.ts";
import { DESK_ROLES } from "../desk-roles.ts";

export const RoleNameJson = z.enum(ROLE_NAMES as [RoleName, ...RoleName[]]).describe("a MemberRegistry role");

/** A company's name and tax id, as lists show it beside an address. */
export const CompanyRefJson = z.object({ legalName: z.string(), taxId: z.string() });

/** A member as the MemberRegistry says (chain time decides `active`), with its company profile. */
export const MemberJson = z.object({
  address: AddressJson,
  roles: z.array(RoleNameJson),
  rolesBits: z.number().int().describe("the registry's role bits"),
  expiresAt: z.string().describe("ISO 8601: end of the admission"),
  suspended: z.boolean(),
  active: z.boolean().describe("not suspended and not expired by the chain's time"),
  admittedAtBlock: z.number().int(),
  updatedAtBlock: z.number().int(),
  company: CompanyRefJson.nullable(),
});
export const MemberListResponse = z.object({ items: z.array(MemberJson), block: BlockStamp });

export const ContactJson = z.object({ name: z.string(), email: z.string().optional(), phone: z.string().optional(), role: z.string().optional() });

/** A member's company profile (off-chain, written by the member or the operator). */
export const CompanyJson = z.object({
  address: AddressJson,
  legalName: z.string(),
  taxId: z.string(),
  contacts: z.unknown(),
  updatedAt: z.string(),
  updatedBy: z.string().describe("the member whose key (or staff) made the last change"),
  actor: z.string().nullable().describe("the person who made the last change (the member's own key or one of its staff)"),
});

/** The signed-in account: its roles from the chain and its company. */
export const PersonJson = z.object({
  address: AddressJson,
  name: z.string().nullable().describe("the staff member's name; null for the member's own key"),
  administrator: z.boolean().describe("the member's own key: manages staff, may do all its member may do"),
  deskRoles: z.array(z.enum(DESK_ROLES)),
  authority: z.string().nullable().describe("a credit approver's authority in base units; null for the administrator (no cap)"),
});
export const SessionJson = z.object({
  address: AddressJson.describe("the person: the key that signed in"),
  member: AddressJson.describe("the member the person acts for (the same address for the member's own key)"),
  roles: z.array(z.string()).describe("the member's roles on chain"),
  active: z.boolean(),
  suspended: z.boolean(),
  expiresAt: z.string().nullable(),
  company: CompanyRefJson.optional().describe("the member's company profile"),
  person: PersonJson,
});
export const LoginResponse = SessionJson.extend({ token: z.string() });
