// Who may see which receivables (issue 4): a pure rule over the viewer's on-chain roles.
import { Role } from "../../common/domain.ts";

export interface Viewer {
  address: string;
  /** Role bits from the MemberRegistry (0 when not a member). */
  roles: number;
  /** Admitted, not suspended, not expired. */
  active: boolean;
  /** The registry's operator. */
  isOperator: boolean;
}

/** A receivable is visible when ANY clause matches; `all` sees everything. */
export type ReceivableScope =
  | { all: true }
  | { all: false; seller?: string; buyer?: string; holder?: string; listed?: boolean };

export type ScopeClause = { seller?: string; buyer?: string; holder?: string; listed?: boolean };

export interface ResolvedScope {
  all: boolean;
  anyOf: ScopeClause[];
}

/**
 * seller: its own receivables; buyer: those addressed to it; financier: those listed for financing and those it
 * holds; auditor: everything (read-only); operator: membership and admin views, no receivables. Anyone sees
 * what it holds (a supplier passed a split part). Inactive members (suspended, expired) keep only their own.
 */
export function receivableScope(v: Viewer): ResolvedScope {
  const has = (bit: number) => (v.roles & bit) !== 0;
  if (v.active && has(Role.Auditor)) return { all: true, anyOf: [] };
  const anyOf: ScopeClause[] = [{ holder: v.address }];
  if (has(Role.Seller)) anyOf.push({ seller: v.address });
  if (has(Role.Buyer)) anyOf.push({ buyer: v.address });
  if (v.active && has(Role.Financier)) anyOf.push({ listed: true });
  return { all: false, anyOf };
}

export function canSeeReceivable(v: Viewer, r: { seller: string; buyer: string; holder: string; listed: boolean }): boolean {
  const scope = receivableScope(v);
  if (scope.all) return true;
  return scope.anyOf.some(
    (c) =>
      (c.seller !== undefined && c.seller === r.seller) ||
      (c.buyer !== undefined && c.buyer === r.buyer) ||
      (c.holder !== undefined && c.holder === r.holder) ||
      (c.listed === true && r.listed),
  );
}

/** Members list and admin views: the operator and auditors. */
export function canSeeMembers(v: Viewer): boolean {
  return v.isOperator || (v.active && (v.roles & Role.Auditor) !== 0);
}
