// Who may see which receivables (issues 4 and 9): a pure rule over the viewer's on-chain roles and its
// involvement in the receivable's financing (lender, insurer), which data access looks up.
import { Role } from "../../common/roles.ts";
import { PAYABLE } from "../../common/lifecycle.ts";
import type { DeskPerson } from "../../common/desk-roles.ts";

/**
 * Who is asking: the person (`address`, the key that signed in) and the member it acts for (`member`: the same
 * address for the member's own key, its administrator; the company for a staff key). Everything that decides
 * visibility uses `member`, so staff see exactly what their member sees; desk roles limit what they may change.
 */
export interface Viewer extends DeskPerson {
  /** The person: the key that signed in. */
  address: string;
  /** The member (company) whose visibility the person has. */
  member: string;
  /** Role bits from the MemberRegistry (0 when not a member). */
  roles: number;
  /** Admitted, not suspended, not expired. */
  active: boolean;
  /** The registry's operator. */
  isOperator: boolean;
}

/** IReceivableLedger.Status indexes the operator may attest a bank payment on: PAYABLE (`_applyPayment` accepts only these). */
export const ATTESTABLE_STATUSES = PAYABLE.indexes;

/**
 * One way of seeing a receivable (a receivable is visible when ANY clause matches). Each clause is one indexed
 * SELECT in the list query.
 */
export type ScopeClause =
  | { seller: string }
  | { buyer: string }
  | { holder: string }
  /** Listed for factoring (financiers). */
  | { listed: true }
  /** Lender of a pledge loan on it, open or closed (its lien holder while open). */
  | { lender: string }
  /** Insurer of a policy on it (offered, active, claimed or released). */
  | { insurer: string }
  /** Its current holder asked financiers for loan offers, and it can still be pledged (confirmed, unlocked). */
  | { loanRequested: true }
  /** In a state the operator can attest a bank payment on (Confirmed, Defaulted). */
  | { attestable: true }
  /** The operator attested a bank payment on it. */
  | { attested: true };

export interface ResolvedScope {
  all: boolean;
  anyOf: ScopeClause[];
}

/** What visibility needs to know about a receivable beyond its state (read by data access). */
export interface Involvement {
  /** Lenders of its pledge loans (any status). */
  lenders: string[];
  /** Insurers of its policies (any status). */
  insurers: string[];
  /** Holders (then) with an open request for loan offers on it; only the current holder's counts. */
  loanRequesters: string[];
  /** A bank payment was attested on it. */
  attested: boolean;
}

export const NO_INVOLVEMENT: Involvement = { lenders: [], insurers: [], loanRequesters: [], attested: false };

/**
 * - seller: its own receivables; buyer: those addressed to it; anyone: what it holds (a supplier passed a split part);
 * - financier: those listed for factoring, those whose holder asked for loan offers, those it lent against;
 * - insurer: those it offered a policy on;
 * - auditor: everything (read-only);
 * - operator: the receivables it can attest a bank payment on (Confirmed, Defaulted) and those it attested a bank
 *   payment on — their state and history, not their invoice document ({@link canSeeDocument}); nothing in
 *   Registered, Disputed or Cancelled (a matter between seller and buyer) unless it attested on it.
 * Inactive members (suspended, expired) keep only what they are a party to (seller, buyer, holder, lender, insurer).
 */
export function receivableScope(v: Viewer): ResolvedScope {
  const has = (bit: number) => (v.roles & bit) !== 0;
  if (v.active && has(Role.Auditor)) return { all: true, anyOf: [] };
  const anyOf: ScopeClause[] = [{ holder: v.member }];
  if (has(Role.Seller)) anyOf.push({ seller: v.member });
  if (has(Role.Buyer)) anyOf.push({ buyer: v.member });
  if (has(Role.Financier)) {
    anyOf.push({ lender: v.member });
    if (v.active) anyOf.push({ listed: true }, { loanRequested: true });
  }
  if (has(Role.Insurer)) anyOf.push({ insurer: v.member });
  if (v.isOperator) anyOf.push({ attestable: true }, { attested: true });
  return { all: false, anyOf };
}

export interface VisibleFacts {
  seller: string;
  buyer: string;
  holder: string;
  listed: boolean;
  status: number;
  lockedBy: string | null;
}

function matches(c: ScopeClause, r: VisibleFacts, inv: Involvement): boolean {
  if ("seller" in c) return c.seller === r.seller;
  if ("buyer" in c) return c.buyer === r.buyer;
  if ("holder" in c) return c.holder === r.holder;
  if ("listed" in c) return r.listed;
  if ("lender" in c) return inv.lenders.includes(c.lender);
  if ("insurer" in c) return inv.insurers.includes(c.insurer);
  if ("loanRequested" in c) return inv.loanRequesters.includes(r.holder) && r.status === 2 && r.lockedBy === null;
  if ("attestable" in c) return ATTESTABLE_STATUSES.includes(r.status);
  return inv.attested;
}

/** The single-receivable form of {@link receivableScope}: exactly the rows the list query would return. */
export function canSeeReceivable(v: Viewer, r: VisibleFacts, inv: Involvement): boolean {
  const scope = receivableScope(v);
  return scope.all || scope.anyOf.some((c) => matches(c, r, inv));
}

/** The invoice document: whoever sees the receivable, except the operator by its attestation clauses alone. */
export function canSeeDocument(v: Viewer, r: VisibleFacts, inv: Involvement): boolean {
  return canSeeReceivable({ ...v, isOperator: false }, r, inv);
}

/** Members list and admin views: the operator and auditors. */
export function canSeeMembers(v: Viewer): boolean {
  return v.isOperator || (v.active && (v.roles & Role.Auditor) !== 0);
}

/** Members of the consortium (admitted, not suspended, not expired) and the operator: company profiles, the salt. */
export function isMember(v: Viewer): boolean {
  return v.isOperator || v.active;
}
