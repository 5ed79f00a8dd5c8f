// The REST API of server/. Shapes are the server's JSON: amounts are decimal strings in base units, ids
// 0x-prefixed 32-byte hex, dates ISO strings; the receivables, members, session, financing and credit types are
// inferred from the server's response schemas in common/api/; a few small answers are still written here.
import type { Address, Hex } from "viem";
import type { z } from "zod";
import type { BlockStampJson } from "../../common/api/json.ts";
import type {
  InvoiceJson as InvoiceSchema,
  ReceivableEventJson as ReceivableEventSchema,
  ReceivableJson as ReceivableSchema,
  ReceivableListResponse as ReceivableListSchema,
  SimilarWarningJson as SimilarWarningSchema,
} from "../../common/api/receivables.ts";
import type { MemberJson as MemberSchema, SessionJson as SessionSchema } from "../../common/api/members.ts";
import type * as F from "../../common/api/financing.ts";
import type { CreditProfileJson as CreditProfileSchema } from "../../common/api/credit.ts";

// The server's response schemas (common/api/) give these types; type-only imports keep zod out of the bundle.
type ApiReceivable = z.infer<typeof ReceivableSchema>;
/** What the chain alone cannot tell (the chain fallback source leaves these out). */
type ServerOnly = "currency" | "listed" | "updatedBlock" | "invoice" | "sellerName" | "buyerName" | "overdue" | "daysOverdue";

/** A receivable as the API lists it (GET /api/receivables). */
export type ReceivableJson = Omit<ApiReceivable, ServerOnly> & Partial<Pick<ApiReceivable, ServerOnly>>;
/** The invoice behind it, as its seller submitted it (issue 9, item 15); split parts show the parent's. */
export type InvoiceJson = z.infer<typeof InvoiceSchema>;
/** A near-duplicate warning (issue 9, item 16): named only when the viewer may see the other receivable. */
export type SimilarWarning = z.infer<typeof SimilarWarningSchema>;
/** A ledger event of the receivable; the chain source has no block hash when the node gives none. */
export type ReceivableEvent = Omit<z.infer<typeof ReceivableEventSchema>, "blockHash"> & { blockHash?: Hex | undefined };
export interface ReceivableDetail extends ReceivableJson {
  events: ReceivableEvent[];
  similar?: SimilarWarning[];
}
/** The block a response is current to (the chain source knows only its number). */
export type BlockRef = Partial<BlockStampJson> & { number: number };
export type ReceivablePage = Omit<z.infer<typeof ReceivableListSchema>, "items" | "block"> & { items: ReceivableJson[]; block?: BlockRef | null };

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

/** The signed-in account (GET /api/auth/me, POST /api/auth/login). */
export type Session = z.infer<typeof SessionSchema>;
/** A consortium member as GET /api/members lists it. */
export type MemberJson = z.infer<typeof MemberSchema>;
/** The person who signed in (a member's own key or one of its staff). */
export type Person = Session["person"];

export class ApiError extends Error {
  override name = "ApiError";
  readonly status: number;
  /** The server's error code (`{ error: { code } }`, server/errors.ts), translated by the client; absent when the answer had none. */
  readonly code: string | undefined;
  constructor(status: number, message: string, code?: string) {
    super(message);
    this.status = status;
    this.code = code;
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
    const code =
      err && typeof err === "object" && "code" in err && typeof (err as { code: unknown }).code === "string" ? (err as { code: string }).code : undefined;
    throw new ApiError(res.status, msg, code);
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
    request<{ receivableId: string; hash: string; bytes: number; contentType: string }>(
      "POST",
      `/api/receivables/${id}/document`,
      undefined,
      bytes,
      contentType,
    ),
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

export type OfferKind = z.infer<typeof F.OfferKind>;
/** lost: its listing was sold to another bid; closed: its listing was closed or passed its deadline unsold. */
export type OfferState = OfferJson["state"];
export type LoanRequestJson = z.infer<typeof F.LoanRequestJson>;
export type OfferJson = z.infer<typeof F.OfferJson>;
export type RankedOfferJson = OffersOnJson["items"][number];
export type ListingJson = z.infer<typeof F.ListingJson>;
export type ReceivableSummaryJson = z.infer<typeof F.ReceivableSummary>;
export type CreditSummaryJson = z.infer<typeof F.CreditSummary>;
export type CreditNoteJson = z.infer<typeof F.CreditNoteJson>;
export type PolicyJson = z.infer<typeof F.PolicyJson>;
export type MarketplaceItem = z.infer<typeof F.MarketplaceResponse>["items"][number];
export type OffersOnJson = z.infer<typeof F.OffersOnResponse>;
/** A pledge loan; the portfolios add its due date (financier) or the interest paid (seller). */
export type LoanJson = z.infer<typeof F.LoanJson> & { dueDate?: string | null; interestPaid?: string };
export type FinancierPortfolioJson = z.infer<typeof F.FinancierPortfolioResponse>;
export type SellerPortfolioJson = z.infer<typeof F.SellerPortfolioResponse>;

export type CreditProfileJson = z.infer<typeof CreditProfileSchema>;

export type OfferBody =
  | { kind: "factoring"; receivableId: string; price: string; listing: number; nonce: string; expiry: number; signature: Hex }
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
    request<OfferJson & { onChainCancel: { contract: string | null; function: "cancelOffer"; args: string[] } }>(
      "POST",
      `/api/financing/offers/${offerId}/withdraw`,
    ),
  loans: () => request<{ items: LoanJson[] }>("GET", "/api/financing/loans"),
  financierPortfolio: () => request<FinancierPortfolioJson>("GET", "/api/financing/portfolio/financier"),
  sellerPortfolio: () => request<SellerPortfolioJson>("GET", "/api/financing/portfolio/seller"),
  creditProfiles: () => request<{ items: CreditProfileJson[] }>("GET", "/api/credit/profiles"),
  creditProfile: (address: string) => request<CreditProfileJson>("GET", `/api/credit/profiles/${address}`),
  setLimit: (address: string, body: { limit: string; externalRating?: string; note?: string }) =>
    request<CreditProfileJson>("PUT", `/api/credit/limits/${address}`, body),
};
