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
}

export interface Session {
  address: Address;
  roles: string[];
  active?: boolean;
  company?: { legalName?: string; taxId?: string } | null;
}

export class ApiError extends Error {
  override name = "ApiError";
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

async function request<T>(method: string, path: string, body?: unknown, raw?: Uint8Array, rawType?: string): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  let payload: BodyInit | undefined;
  if (raw) {
    // JSON bodies are parsed by the server's /api JSON middleware before the raw parser sees them, so JSON
    // documents go up as application/octet-stream (the bytes are what the hash covers either way).
    headers["content-type"] = rawType && !/json/i.test(rawType) ? rawType : "application/octet-stream";
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
};
