// The REST API of server/ (see the API contract in the team brief). Shapes are the server's JSON: amounts are
// decimal strings in base units, ids 0x-prefixed 32-byte hex, dates ISO strings.
import type { Address, Hex } from "viem";

export interface ReceivableJson {
  id: Hex;
  seller: Address;
  buyer: Address;
  holder: Address;
  status: string;
  faceAmount: string;
  paid: string;
  outstanding: string;
  issueDate: string;
  dueDate: string;
  documentHash: Hex;
  terms?: { discountBps: number; discountDays: number; lateInterestBps: number; graceDays: number } | null;
  parentId?: string | null;
  lockedBy?: Address | null;
  registeredAt?: { blockNumber: number; transactionHash: Hex } | null;
  /** Listed for financing (issue 5). */
  listed?: boolean;
  /** The invoice behind it, as its seller submitted it (issue 9, item 15); split parts show the parent's. */
  invoice?: InvoiceJson | null;
  sellerName?: string | null;
  buyerName?: string | null;
  /** The server's one definition of overdue, judged at the chain's time (issue 9). */
  overdue?: boolean;
  daysOverdue?: number;
}

export interface InvoiceJson {
  number: string;
  sellerTaxId: string;
  buyerTaxId: string;
  currency: string;
  amount: string;
  issueDate: string;
  ofParent?: boolean;
}

/** A near-duplicate warning (issue 9, item 16): named only when the viewer may see the other receivable. */
export interface SimilarWarning {
  visible: boolean;
  id?: Hex;
  invoiceNumber?: string;
  reasons: string[];
  message: string;
}

export interface ReceivableEvent {
  type: string;
  blockNumber: number;
  blockHash?: Hex;
  transactionHash: Hex;
  logIndex: number;
  args: Record<string, unknown>;
  timestamp?: string | number | null;
}

export interface ReceivableDetail extends ReceivableJson {
  events: ReceivableEvent[];
  similar?: SimilarWarning[];
}

export interface BlockRef {
  number: number;
  hash?: Hex;
  final?: boolean;
}

export interface ReceivablePage {
  items: ReceivableJson[];
  nextCursor: string | null;
  block?: BlockRef | null;
}

export interface ReceivableQuery {
  seller?: Address;
  buyer?: Address;
  holder?: Address;
  status?: string;
  sort?: string;
  /** YYYY-MM-DD */
  dueFrom?: string;
  dueTo?: string;
  cursor?: string | null;
  limit?: number;
  /** Search: invoice number, counterparty name or tax id, amount. */
  q?: string;
}

export interface Session {
  /** The person: the key that signed in. */
  address: Address;
  /** The member the person acts for (the same address for the member's own key). */
  member?: string;
  roles: string[];
  active?: boolean;
  company?: { legalName?: string; taxId?: string } | null;
  person?: Person;
}

/** The signed-in person (people inside a member, common/desk-roles.ts). */
export interface Person {
  address: string;
  /** The staff member's name; null for the member's own key. */
  name: string | null;
  /** The member's own key: manages staff, may do all its member may do. */
  administrator: boolean;
  deskRoles: DeskRole[];
  /** A credit approver's authority in base units; null for the administrator. */
  authority: string | null;
}

import type { DeskRole } from "../../common/desk-roles.ts";

export class ApiError extends Error {
  override name = "ApiError";
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export async function request<T>(method: string, path: string, body?: unknown, raw?: Uint8Array, rawType?: string): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  let payload: BodyInit | undefined;
  if (raw) {
    // The document route takes the raw body whatever its type (the server's JSON parser leaves it alone), so the
    // document keeps its own content type for download; the hash covers the bytes either way.
    headers["content-type"] = rawType || "application/octet-stream";
    payload = new Blob([raw as Uint8Array<ArrayBuffer>]);
  } else if (body !== undefined) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const res = await fetch(path, { method, headers, body: payload, credentials: "same-origin" });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (e.g. an HTML 404 page)
  }
  if (!res.ok) {
    // The server answers errors as { error: { code, message } }; tolerate { error: "..." } and { message } too.
    const body = (json ?? {}) as { error?: unknown; message?: unknown };
    const err = body.error;
    const msg =
      (typeof err === "string" ? err : err && typeof err === "object" && "message" in err ? String((err as { message: unknown }).message) : "") ||
      (typeof body.message === "string" ? body.message : "") ||
      `${method} ${path} failed with HTTP ${res.status}`;
    throw new ApiError(res.status, msg);
  }
  return json as T;
}

function queryString(q: ReceivableQuery): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
}

export const api = {
  listReceivables: (q: ReceivableQuery) => request<ReceivablePage>("GET", `/api/receivables${queryString(q)}`),
  getReceivable: (id: string) => request<ReceivableDetail>("GET", `/api/receivables/${id}`),
  uploadDocument: (id: string, bytes: Uint8Array, contentType?: string) =>
    request<{ receivableId: string; hash: string; bytes: number; contentType: string }>("POST", `/api/receivables/${id}/document`, undefined, bytes, contentType),
  /** Whether the server stores the receivable's document (GET answers 200). */
  hasDocument: async (id: string) => (await fetch(`/api/receivables/${id}/document`, { method: "GET", credentials: "same-origin" })).ok,
  nonce: () => request<{ nonce: string }>("GET", "/api/auth/nonce"),
  login: (message: string, signature: Hex) => request<Session>("POST", "/api/auth/login", { message, signature }),
  logout: () => request<unknown>("POST", "/api/auth/logout"),
  me: () => request<Session>("GET", "/api/auth/me"),
  /** The consortium salt of invoice fingerprints: members only (403 otherwise, 401 without a session). */
  consortiumSalt: () => request<{ consortiumSalt: Hex }>("GET", "/api/config/consortium"),
};

// ───────────────────────────────────────────── financing and credit (issue 5) ──

export type OfferKind = "factoring" | "loan";
/** lost: its listing was sold to another bid; closed: its listing was closed or passed its deadline unsold. */
export type OfferState = "open" | "withdrawn" | "expired" | "accepted" | "cancelled" | "lost" | "closed";

export interface LoanRequestJson {
  receivableId: Hex;
  holder: Address;
  requestedAt: string;
  closedAt: string | null;
  /** Open, by the current holder, on a confirmed, unlocked receivable: financiers see it. */
  open: boolean;
}

export interface OfferJson {
  id: string;
  kind: OfferKind;
  receivableId: Hex;
  bidder: Address;
  price: string | null;
  advanceBps: number | null;
  rateBps: number | null;
  nonce: string;
  /** ISO time. */
  expiry: string;
  signature: Hex;
  state: OfferState;
  createdAt: string;
  withdrawnAt: string | null;
  daysToMaturity: number;
  discountBps: number | null;
  yieldBps: number | null;
  /** The call the lister/holder sends with `signature`; `offer` holds the signed struct (numbers as decimal strings). */
  onChain: { contract: Address | null; function: string; offer: Record<string, string | number> };
}

export interface RankedOfferJson extends OfferJson {
  rank: number | null;
}

export interface ListingJson {
  seq: number;
  lister: Address;
  reserve: string;
  deadline: string;
  withRecourse: boolean;
  recourseRateBps: number;
  status: "open" | "expired" | "sold" | "closed";
}

export interface ReceivableSummaryJson {
  id: Hex;
  seller: Address;
  buyer: Address;
  holder: Address;
  status: string;
  confirmed: boolean;
  faceAmount: string;
  outstanding: string;
  issueDate: string;
  dueDate: string;
  daysToMaturity: number;
  lockedBy: Address | null;
  /** Invoice details and party names (issue 9, item 15); near-duplicate warnings on the marketplace (item 16). */
  invoice?: InvoiceJson | null;
  sellerName?: string | null;
  buyerName?: string | null;
  similar?: SimilarWarning[];
}

export interface CreditSummaryJson {
  tier: "A" | "B" | "C";
  score: number | null;
  limit: string | null;
  exposure: string;
  limitUsePct: number | null;
}

export interface CreditNoteJson {
  type: string;
  noteId: string;
  amount: string | null;
  faceAmountAfter: string | null;
  blockNumber: number;
}

export interface PolicyJson {
  seq: number;
  insurer: Address;
  coverageBps: number;
  premium: string;
  expiry: string;
  escrow: string;
  status: "offered" | "active" | "expired" | "claimed" | "released";
  holder: Address | null;
  payout: string | null;
}

export interface MarketplaceItem {
  receivable: ReceivableSummaryJson;
  listing: ListingJson;
  buyerCredit: CreditSummaryJson;
  sellerCredit: CreditSummaryJson;
  dilution: { creditNotes: CreditNoteJson[]; acceptedCount: number };
  insurance: PolicyJson[];
  myOffers: OfferJson[];
}

export interface OffersOnJson {
  receivableId: Hex;
  kind: OfferKind;
  faceAmount: string;
  outstanding: string;
  dueDate: string;
  daysToMaturity: number;
  listing: ListingJson | null;
  items: RankedOfferJson[];
}

export interface LoanJson {
  receivableId: Hex;
  seq: number;
  borrower: Address;
  lender: Address;
  principal: string;
  rateBps: number;
  status: "open" | "repaid" | "seized";
  paidToLender: string;
  paidToHolder: string;
  owed: string;
  dueDate?: string | null;
  interestPaid?: string;
}

export interface FinancierPortfolioJson {
  holdings: {
    receivable: ReceivableSummaryJson;
    purchase: { price: string; soldBlock: number; withRecourse: boolean; recourse: string; discountBps: number | null; yieldBps: number | null } | null;
    collected: string;
    overdue: boolean;
    daysOverdue: number;
  }[];
  loans: LoanJson[];
  collectionsByWeek: { weekOf: string; receivables: string; loans: string; total: string; count: number }[];
  totals: {
    holdings: number;
    invested: string;
    expected: string;
    weightedYieldBps: number | null;
    overdueAmount: string;
    overdueCount: number;
    loansOutstanding: string;
  };
  now: string;
}

export interface SellerPortfolioJson {
  factoring: {
    count: number;
    faceAmount: string;
    received: string;
    discount: string;
    discountBps: number | null;
    annualisedCostBps: number | null;
    sales: Record<string, unknown>[];
  };
  loans: { count: number; advanced: string; interestPaid: string; open: number; items: LoanJson[] };
  financedVolume: string;
  costOfFinancing: string;
}

export interface CreditProfileJson {
  address: Address;
  score: number | null;
  tier: "A" | "B" | "C";
  onTimeRatio: number | null;
  averageDaysLate: number | null;
  decided: number;
  disputes: number;
  defaults: number;
  overdueOpen: number;
  reasons: string[];
  limit: string | null;
  externalRating: string | null;
  note: string | null;
  limitSetBy: string | null;
  limitSetAt: string | null;
  exposure: string;
  openBalance: string;
  confirmedOpen: string;
  openCount: number;
  limitUsePct: number | null;
  dsoDays: number | null;
}

export type OfferBody =
  | { kind: "factoring"; receivableId: string; price: string; nonce: string; expiry: number; signature: Hex }
  | { kind: "loan"; receivableId: string; advanceBps: number; rateBps: number; nonce: string; expiry: number; signature: Hex };

export const financingApi = {
  marketplace: () => request<{ items: MarketplaceItem[]; now: string }>("GET", "/api/financing/marketplace"),
  postOffer: (body: OfferBody) => request<OfferJson>("POST", "/api/financing/offers", body),
  myOffers: (q: { receivableId?: string; kind?: OfferKind } = {}) =>
    request<{ items: OfferJson[] }>("GET", `/api/financing/offers${queryString(q as ReceivableQuery)}`),
  offersOn: (id: string, kind: OfferKind = "factoring") => request<OffersOnJson>("GET", `/api/financing/receivables/${id}/offers?kind=${kind}`),
  /** A receivable's financing record (only the parts the client reads). */
  record: (id: string) => request<{ loanRequest: LoanRequestJson | null }>("GET", `/api/financing/receivables/${id}`),
  requestLoanOffers: (id: string) => request<LoanRequestJson>("POST", `/api/financing/receivables/${id}/loan-request`),
  withdrawLoanRequest: (id: string) => request<LoanRequestJson>("POST", `/api/financing/receivables/${id}/loan-request/withdraw`),
  withdraw: (offerId: string) =>
    request<OfferJson & { onChainCancel: { contract: string | null; function: "cancelOffer"; args: string[] } }>("POST", `/api/financing/offers/${offerId}/withdraw`),
  loans: () => request<{ items: LoanJson[] }>("GET", "/api/financing/loans"),
  financierPortfolio: () => request<FinancierPortfolioJson>("GET", "/api/financing/portfolio/financier"),
  sellerPortfolio: () => request<SellerPortfolioJson>("GET", "/api/financing/portfolio/seller"),
  creditProfiles: () => request<{ items: CreditProfileJson[] }>("GET", "/api/credit/profiles"),
  creditProfile: (address: string) => request<CreditProfileJson>("GET", `/api/credit/profiles/${address}`),
  setLimit: (address: string, body: { limit: string; externalRating?: string; note?: string }) =>
    request<CreditProfileJson>("PUT", `/api/credit/limits/${address}`, body),
};
