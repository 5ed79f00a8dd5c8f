// People inside a member: the member's administrator (its own on-chain key) links staff keys with desk roles,
// changes them and removes them. Every change records who and when; removal is kept as history.
import type { Router } from "express";
import { z } from "zod";
import { routesOn } from "../http/route.ts";
import type { AppContext } from "../http/context.ts";
import { Address, BaseUnits, Name } from "../http/validate.ts";
import { HttpError, forbidden, notFound } from "../errors.ts";
import type { Viewer } from "../receivables/visibility.ts";
import { DESK_ROLES, type DeskRole } from "../../common/desk-roles.ts";
import type { StaffRecord } from "./store.ts";

export const StaffJson = z.object({
  id: z.string(),
  member: z.string(),
  address: z.string().describe("the staff member's own key (signs in with SIWE)"),
  name: z.string(),
  deskRoles: z.array(z.enum(DESK_ROLES)),
  authorityAmount: z.string().nullable().describe("a credit approver's authority in base units of the settlement token"),
  active: z.boolean().describe("false once removed"),
  addedBy: z.string(),
  addedAt: z.string(),
  updatedBy: z.string(),
  updatedAt: z.string(),
  removedBy: z.string().nullable(),
  removedAt: z.string().nullable(),
});

export function staffJson(s: StaffRecord): z.infer<typeof StaffJson> {
  return {
    id: s.id,
    member: s.member,
    address: s.address,
    name: s.name,
    deskRoles: s.deskRoles,
    authorityAmount: s.authorityAmount === null ? null : s.authorityAmount.toString(),
    active: s.removedAt === null,
    addedBy: s.addedBy,
    addedAt: s.addedAt.toISOString(),
    updatedBy: s.updatedBy,
    updatedAt: s.updatedAt.toISOString(),
    removedBy: s.removedBy,
    removedAt: s.removedAt ? s.removedAt.toISOString() : null,
  };
}

const DeskRoles = z
  .array(z.enum(DESK_ROLES, { error: `must be one of ${DESK_ROLES.join(", ")}` }))
  .min(1, "give at least one desk role")
  .max(DESK_ROLES.length)
  .refine((a) => new Set(a).size === a.length, "lists a desk role twice");
const Authority = BaseUnits.describe("a credit approver's authority: the largest credit amount it may decide, base units (decimal string)");

/** A credit approver needs an authority amount; nobody else has one. */
function checkAuthority(roles: readonly DeskRole[], authority: string | null | undefined, ctx: z.RefinementCtx) {
  if (roles.includes("creditApprover") && (authority === undefined || authority === null)) {
    ctx.addIssue({ code: "custom", path: ["authorityAmount"], message: "a credit approver needs an authority amount (base units)" });
  }
  if (!roles.includes("creditApprover") && authority !== undefined && authority !== null) {
    ctx.addIssue({ code: "custom", path: ["authorityAmount"], message: "only a credit approver has an authority amount" });
  }
}

const AddBody = z
  .strictObject({ address: Address, name: Name(200), deskRoles: DeskRoles, authorityAmount: Authority.optional() })
  .superRefine((b, ctx) => checkAuthority(b.deskRoles, b.authorityAmount, ctx));

const ChangeBody = z
  .strictObject({ name: Name(200).optional(), deskRoles: DeskRoles.optional(), authorityAmount: Authority.nullable().optional() })
  .refine((b) => b.name !== undefined || b.deskRoles !== undefined || b.authorityAmount !== undefined, "give name, deskRoles or authorityAmount to change");

const MemberParams = z.strictObject({ address: Address });
const StaffParams = z.strictObject({ address: Address, staff: Address });

const ADMIN = "the member's administrator (its own admitted key; the operator for the consortium's desk); others 403";

/** The services these routes use (and nothing else of the context). */
export function staffRoutes(router: Router, ctx: Pick<AppContext, "auth" | "members" | "resolveViewer" | "staff">) {
  const r = routesOn(router, ctx.resolveViewer);

  /**
   * Staff changes: the member's own key, admitted on chain, or the registry's operator for the consortium's own
   * desk (it sets credit limits); a staff key never manages staff.
   */
  function requireAdministrator(v: Viewer, member: string) {
    if (!(v.administrator && v.address === member && (v.roles !== 0 || v.isOperator))) {
      throw forbidden(
        v.member === member ? "only the member's administrator (its own key) manages its staff" : `only ${member}'s administrator manages its staff`,
      );
    }
  }

  async function activeStaff(member: string, address: string): Promise<StaffRecord> {
    const s = (await ctx.staff.ofMember(member)).find((x) => x.address === address && x.removedAt === null);
    if (!s) throw notFound(`${address} is not on ${member}'s staff`);
    return s;
  }

  /** Staff changes take effect at once: cached viewers are forgotten. */
  const changed = () => ctx.auth.invalidate();

  r(
    {
      method: "get",
      path: "/api/members/:address/staff",
      tag: "members",
      auth: "session",
      summary: "A member's staff with their desk roles, current and removed, with who added, changed and removed them and when",
      params: MemberParams,
      access: "the member itself and its staff; others 404",
      response: z.object({ member: z.string(), items: z.array(StaffJson) }),
    },
    async ({ viewer, params }) => {
      if (viewer.member !== params.address) throw notFound(`no staff of ${params.address} visible to this session`);
      return { member: params.address, items: (await ctx.staff.ofMember(params.address)).map(staffJson) };
    },
  );

  r(
    {
      method: "post",
      path: "/api/members/:address/staff",
      tag: "members",
      auth: "session",
      summary: "Link a staff key to the member with desk roles (and a credit approver's authority amount)",
      params: MemberParams,
      body: AddBody,
      access: ADMIN,
      response: StaffJson,
    },
    async ({ viewer, params, body, res }) => {
      const v = viewer;
      requireAdministrator(v, params.address);
      const b = body as z.infer<typeof AddBody>;
      if (b.address === params.address) throw new HttpError(409, "staff_is_member", "address: the member's own key is its administrator, not its staff");
      if (await ctx.members.member(b.address))
        throw new HttpError(409, "staff_is_member", `address: ${b.address} is itself a consortium member; a member's key cannot be another member's staff`);
      const current = await ctx.staff.activeByAddress(b.address);
      if (current && current.member === params.address)
        throw new HttpError(409, "already_staff", `address: ${b.address} is already on this member's staff (change it with PATCH)`);
      if (current) throw new HttpError(409, "staff_of_another_member", `address: ${b.address} is already staff of another member (${current.member})`);
      const s = await ctx.staff.add({
        member: params.address,
        address: b.address,
        name: b.name,
        deskRoles: b.deskRoles,
        authorityAmount: b.authorityAmount === undefined ? null : BigInt(b.authorityAmount),
        by: v.address,
        at: new Date(),
      });
      changed();
      res.status(201);
      return staffJson(s);
    },
  );

  r(
    {
      method: "patch",
      path: "/api/members/:address/staff/:staff",
      tag: "members",
      auth: "session",
      summary: "Change a staff member's name, desk roles or authority amount",
      params: StaffParams,
      body: ChangeBody,
      access: ADMIN,
      response: StaffJson,
    },
    async ({ viewer, params, body }) => {
      const v = viewer;
      requireAdministrator(v, params.address);
      const b = body as z.infer<typeof ChangeBody>;
      const s = await activeStaff(params.address, params.staff);
      const deskRoles = b.deskRoles ?? s.deskRoles;
      // Dropping the credit approver drops its authority; otherwise the authority stays unless given.
      const authority =
        b.authorityAmount !== undefined ? b.authorityAmount : deskRoles.includes("creditApprover") ? (s.authorityAmount?.toString() ?? null) : null;
      const check = z
        .object({})
        .superRefine((_x, c) => checkAuthority(deskRoles, authority, c))
        .safeParse({});
      if (!check.success)
        throw new HttpError(400, "bad_request", `invalid body: ${check.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
      const updated = await ctx.staff.update(s.id, {
        name: b.name,
        deskRoles,
        authorityAmount: authority === null ? null : BigInt(authority),
        by: v.address,
        at: new Date(),
      });
      changed();
      return staffJson(updated);
    },
  );

  r(
    {
      method: "delete",
      path: "/api/members/:address/staff/:staff",
      tag: "members",
      auth: "session",
      summary: "Remove a staff member: its sessions end at once and it cannot sign in again (kept as history: who removed it, when)",
      params: StaffParams,
      access: ADMIN,
      response: StaffJson,
    },
    async ({ viewer, params }) => {
      const v = viewer;
      requireAdministrator(v, params.address);
      const s = await activeStaff(params.address, params.staff);
      const removed = await ctx.staff.remove(s.id, v.address, new Date());
      await ctx.staff.endSessionsOf(s.address);
      changed();
      ctx.auth.sessionsEnded(s.address);
      return staffJson(removed);
    },
  );
}
