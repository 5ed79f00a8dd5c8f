// Response schemas of the members, companies and sign-in APIs (/api/members, /api/companies, /api/auth). The
// server documents its responses with them; the client infers its types from them.
import { z } from "zod";
import { ROLE_NAMES, type RoleName } from "../roles.ts";
import { AddressJson, BlockStamp } from "./json.ts";

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
  updatedBy: z.string(),
});

/** The signed-in account: its roles from the chain and its company. */
export const SessionJson = z.object({
  address: AddressJson,
  roles: z.array(z.string()),
  active: z.boolean(),
  suspended: z.boolean(),
  expiresAt: z.string().nullable(),
  company: CompanyRefJson.optional(),
});
export const LoginResponse = SessionJson.extend({ token: z.string() });
