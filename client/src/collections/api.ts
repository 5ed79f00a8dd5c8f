// The collections API (server/collections/routes.ts, issue 12) as the client reads it: the answers' shapes (written
// after server/collections/service.ts; amounts are decimal strings in base units, days "YYYY-MM-DD"), the calls,
// who may do what on the client (common/desk-roles.ts, the same rules the server enforces), and one hook that
// fetches an answer and keeps the previous one while the next loads.
import { useEffect, useState } from "react";
import { mayDo, type DeskRole } from "../../../common/desk-roles.ts";
import { ApiError, request } from "../api.ts";
import { errorText } from "../i18n/errors.ts";
import { useSession } from "../session.tsx";

export const TIERS = ["A", "B", "C"] as const;
export type Tier = (typeof TIERS)[number];
export const CHANNELS = ["email", "inapp", "webhook", "letter", "call"] as const;
export type Channel = (typeof CHANNELS)[number];
/** What a contact may have gone through: the dunning channels and a visit or meeting. */
export const CONTACT_CHANNELS = [...CHANNELS, "visit", "meeting"] as const;
export const OUTCOMES = ["reached", "noAnswer", "promised", "disputed", "refused", "wrongContact", "other"] as const;

export interface NextAction {
  action: "approve" | "call" | "promiseDue" | "level";
  level: number | null;
  date: string;
}

export interface CaseSummary {
  id: string;
  receivableId: string;
  creditor: string;
  buyer: string;
  seller: string;
  tier: Tier;
  collector: string | null;
  status: "open" | "closed";
  suppressed: string | null;
  outstanding: string;
  dueDate: string;
  daysPastDue: number;
  level: number | null;
  brokenPromises: number;
  pausedUntil: string | null;
  score: { total: number; amount: number; daysPastDue: number; risk: number; brokenPromises: number };
  nextAction: NextAction | null;
  finalBlock: number;
}

export interface Worklist {
  creditor: string;
  collector: string | null;
  total: number;
  offset: number;
  limit: number;
  items: CaseSummary[];
}

export interface CaseDetail extends CaseSummary {
  levels: {
    level: number;
    channels: string[];
    status: string;
    decidedOn: string;
    decidedBlock: number;
    approvedBy: string | null;
    cancelReason: string | null;
    messages: {
      channel: string;
      status: string | null;
      recipient: string | null;
      subject: string | null;
      sentAt: string | null;
      cancelReason: string | null;
    }[];
  }[];
  charges: { level: number; kind: "fixed" | "interest"; amount: string; chargedAt: string }[];
  contacts: { channel: string; outcome: string; note: string; person: string; at: string }[];
  promises: {
    id: string;
    amount: string;
    date: string;
    graceDays: number;
    receivables: string[];
    status: "active" | "kept" | "broken";
    createdBy: string;
    resolvedOn: string | null;
  }[];
}

export type Fee = { kind: "fixed"; amount: string } | { kind: "interest"; bps: number };
export interface PolicyLevel {
  days: number;
  name: string;
  channels: Channel[];
  templates: Record<"en" | "zh-CN", { subject: string; body: string }>;
  fee: Fee | null;
  needsApproval: boolean;
}
export interface Policy {
  tier: Tier;
  source: "custom" | "default";
  levels: PolicyLevel[];
  promiseGraceDays: number;
  brokenPromiseLevel: number | null;
}

export interface CollectorKpis {
  casesWorked: number;
  actionsDue: number;
  actionsDone: number;
  amountCollected: string;
  promisesSecured: number;
  promisesFellDue: number;
  promisesKept: number;
  promiseKeptRate: number | null;
}
export interface KpiAnswer {
  creditor: string;
  from: string;
  to: string;
  collectors: (CollectorKpis & { collector: string })[];
  team?: CollectorKpis;
}

export interface StaffMember {
  address: string;
  name: string;
  deskRoles: DeskRole[];
  active: boolean;
}

const q = (params: Record<string, string | number | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
};

export const collectionsApi = {
  worklistPath: (p: { collector?: string; status?: "open" | "closed"; limit?: number; offset?: number }) => `/api/collections/worklist${q(p)}`,
  casePath: (id: string) => `/api/collections/cases/${id}`,
  kpisPath: (from: string, to: string) => `/api/collections/kpis${q({ from, to })}`,
  policiesPath: "/api/collections/policies",
  reassign: (id: string, collector: string | null) => request<CaseDetail>("PUT", `/api/collections/cases/${id}/collector`, { collector }),
  logContact: (id: string, body: { channel: string; outcome: string; note: string }) =>
    request<CaseDetail>("POST", `/api/collections/cases/${id}/contacts`, body),
  addPromise: (id: string, body: { amount: string; date: string }) => request<CaseDetail>("POST", `/api/collections/cases/${id}/promises`, body),
  approve: (id: string, level: number) => request<CaseDetail>("POST", `/api/collections/cases/${id}/approvals`, { level }),
  putPolicy: (tier: Tier, body: { levels: PolicyLevel[]; promiseGraceDays: number; brokenPromiseLevel: number | null }) =>
    request<Policy>("PUT", `/api/collections/policies/${tier}`, body),
  resetPolicy: (tier: Tier) => request<Policy>("DELETE", `/api/collections/policies/${tier}`),
  staff: (member: string) => request<{ items: StaffMember[] }>("GET", `/api/members/${member}/staff`),
};

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  /** The answer's HTTP status when it failed (404: not there or not yours). */
  status: number | null;
  loading: boolean;
}

/** GET `path` once the session is ready, again when the path, the ledger or `reload` changes (null: nothing). */
export function useGet<T>(path: string | null, reload = 0): Loaded<T> & { set(data: T): void } {
  const { ready, revision, account, reportUnauthorized } = useSession();
  const [state, setState] = useState<Loaded<T>>({ data: null, error: null, status: null, loading: !!path });
  useEffect(() => {
    if (!path || !ready || !account) return;
    let cancelled = false;
    setState((s) => ({ ...s, loading: true }));
    request<T>("GET", path)
      .then((data) => !cancelled && setState({ data, error: null, status: null, loading: false }))
      .catch((e: unknown) => {
        if (cancelled) return;
        if (e instanceof ApiError && e.status === 401) reportUnauthorized();
        setState({ data: null, error: errorText(e), status: e instanceof ApiError ? e.status : null, loading: false });
      });
    return () => {
      cancelled = true;
    };
  }, [path, ready, revision, account?.address, reload]);
  return { ...state, set: (data: T) => setState({ data, error: null, status: null, loading: false }) };
}

/** The signed-in person as far as collections go: who it is, which member it acts for, what it may do. */
export function useCollectionsPerson() {
  const { signIn, source, roles } = useSession();
  if (signIn.state !== "signed-in" || source.kind !== "api") return null;
  const person = signIn.person ?? { administrator: signIn.address === signIn.member, deskRoles: [] as DeskRole[], authority: null };
  const desk = { administrator: person.administrator, deskRoles: person.deskRoles, authority: null };
  return {
    address: signIn.address,
    member: signIn.member,
    /** A creditor's person who works cases (its administrator, a collector or a collections manager). */
    works: (roles.includes("Seller") || roles.includes("Financier")) && mayDo(desk, "collections"),
    manages: mayDo(desk, "collectionsManage"),
  };
}

/** The people a case may be assigned to: the administrator (the member's own key) and its active collectors and managers. */
export function useCollectors(member: string | null): { address: string; name: string | null }[] {
  const staff = useGet<{ items: StaffMember[] }>(member ? `/api/members/${member}/staff` : null);
  const people = (staff.data?.items ?? [])
    .filter((s) => s.active && s.deskRoles.some((r) => r === "collector" || r === "collectionsManager"))
    .map((s) => ({ address: s.address.toLowerCase(), name: s.name }));
  return member ? [{ address: member.toLowerCase(), name: null }, ...people] : people;
}

/** "2026-12-03" of today (UTC). */
export const todayIso = () => new Date().toISOString().slice(0, 10);
