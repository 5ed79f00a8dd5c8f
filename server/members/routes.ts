// Membership (operator and auditors) and company profiles (off-chain records linked to member addresses).
import type { Router } from "express";
import { z } from "zod";
import { routesOn } from "../http/route.ts";
import { readStamped } from "../http/stamp.ts";
import type { AppContext } from "../http/context.ts";
import { Address, Name, Phone, TaxId } from "../http/validate.ts";
import { canSeeMembers, isMember } from "../receivables/visibility.ts";
import { roleNames } from "../../common/roles.ts";
import { forbidden, notFound } from "../errors.ts";
import { CompanyJson, MemberListResponse } from "../../common/api/members.ts";

const Company = CompanyJson;
import { requireDesk } from "./desk.ts";

const CompanyBody = z.strictObject({
  legalName: Name(200),
  taxId: TaxId,
  contacts: z
    .array(z.strictObject({ name: Name(200), email: z.email().max(200).optional(), phone: Phone.optional(), role: Name(100).optional() }))
    .max(20)
    .default([]),
});

/** The services these routes use (and nothing else of the context). */
export function memberRoutes(
  router: Router,
  ctx: Pick<AppContext, "chainNow" | "companies" | "finalityDepth" | "members" | "receivableQueries" | "resolveViewer">,
) {
  const r = routesOn(router, ctx.resolveViewer);

  r(
    {
      method: "get",
      path: "/api/members",
      tag: "members",
      auth: "session",
      summary: "Consortium members as the MemberRegistry says, with company profiles",
      access: "operator and auditors",
      response: MemberListResponse,
    },
    async ({ viewer }) => {
      if (!canSeeMembers(viewer)) throw forbidden("the member list is for the operator and auditors");
      // The members and their "current to block" from one consistent read (see http/stamp.ts).
      const {
        data: [members, companies],
        block,
      } = await readStamped(ctx.receivableQueries.indexedBlock, ctx.finalityDepth, () => Promise.all([ctx.members.members(), ctx.companies.all()]));
      const byAddress = new Map(companies.map((c) => [c.address, c]));
      const nowS = await ctx.chainNow(); // the ledger's time, not the wall clock
      return {
        items: members.map((m) => ({
          address: m.address,
          roles: roleNames(m.roles),
          rolesBits: m.roles,
          expiresAt: new Date(m.expiresAt * 1000).toISOString(),
          suspended: m.suspended,
          active: !m.suspended && m.expiresAt > nowS,
          admittedAtBlock: m.admittedAtBlock,
          updatedAtBlock: m.updatedAtBlock,
          company: byAddress.get(m.address) ? { legalName: byAddress.get(m.address)!.legalName, taxId: byAddress.get(m.address)!.taxId } : null,
        })),
        block,
      };
    },
  );

  r(
    {
      method: "get",
      path: "/api/companies/:address",
      tag: "companies",
      auth: "session",
      summary: "A member's company profile",
      params: z.strictObject({ address: Address }),
      response: Company,
      access: "members of the consortium (admitted, not suspended or expired) and the operator; any other session 403",
    },
    async ({ viewer, params }) => {
      if (!isMember(viewer)) throw forbidden("company profiles (with their contacts) are for members of the consortium");
      const c = await ctx.companies.get(params.address);
      if (!c) throw notFound(`no company profile for ${params.address}`);
      return { ...c, updatedAt: c.updatedAt.toISOString() };
    },
  );

  r(
    {
      method: "put",
      path: "/api/companies/:address",
      tag: "companies",
      auth: "session",
      summary: "Create or replace a company profile",
      params: z.strictObject({ address: Address }),
      body: CompanyBody,
      response: Company,
      access: "the member itself (admitted) or the operator",
    },
    async ({ viewer, params, body }) => {
      const v = viewer;
      const own = v.member === params.address && v.roles !== 0;
      if (!own && !v.isOperator) throw forbidden("only the member itself or the operator edits a company profile");
      requireDesk(v, "companyProfile", "editing the company profile");
      const b = body as z.infer<typeof CompanyBody>;
      const c = await ctx.companies.put({
        address: params.address,
        legalName: b.legalName,
        taxId: b.taxId,
        contacts: b.contacts,
        updatedBy: v.member,
        actor: v.address,
      });
      return { ...c, updatedAt: c.updatedAt.toISOString() };
    },
  );
}
